// Building and running the two servers the benchmark compares, and reading their CPU and memory.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const TMP = resolve(ROOT, "tests/.tmp");
const BARE_DIR = resolve(ROOT, "tests/bench/bare");
const BARE_ENTRY = resolve(TMP, "bench-bare/index.js");
const APP_ENTRY = resolve(ROOT, "build/index.js");

export type Target = "bare" | "app";
export const TARGET_LABEL: Record<Target, string> = { bare: "bare", app: "Groundswell" };

/** `remix build` of Groundswell (build/, public/build) and of the bare app (tests/.tmp/bench-bare). */
export function buildApps(log: (line: string) => void) {
  const remix = resolve(ROOT, "node_modules/.bin/remix");
  for (const [name, args] of [["Groundswell", ["build"]], ["bare", ["build", BARE_DIR]]] as const) {
    const t = performance.now();
    const r = spawnSync(remix, [...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    if (r.status !== 0) throw new Error(`remix build of ${name} failed:\n${r.stdout}\n${r.stderr}`);
    log(`built ${name} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}

export interface RunningServer {
  target: Target;
  port: number;
  pid: number;
  origin: string;
  stop(): Promise<void>;
}

export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once("error", () => done(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => done(true)));
  });
}

/** The Node flags of package.json's `serve` script ("node --flag build/index.js"). */
function serveFlags(): string[] {
  const script: string = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")).scripts.serve;
  return script.split(/\s+/).filter((word) => word.startsWith("--"));
}

/** Starts `node <entry>` on the project's Node (this process's), waits until it answers. */
export async function startServer(target: Target, databaseUrl: string, port: number): Promise<RunningServer> {
  if (!(await portIsFree(port))) throw new Error(`port ${port} is taken; set BENCH_PORT to another base port`);
  const entry = target === "app" ? APP_ENTRY : BARE_ENTRY;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: the build failed?`);
  const logFile = resolve(TMP, `bench-${target}-${port}.log`);
  const out = createWriteStream(logFile);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    ...(target === "app" ? { SEED_DEMO: "never" } : {}),
  };
  // Groundswell runs with the Node flags `npm run serve` gives it (its heap limit).
  const flags = target === "app" ? serveFlags() : [];
  const child: ChildProcess = spawn(process.execPath, [...flags, entry], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  let exited: number | null = null;
  child.once("exit", (code) => { exited = code ?? -1; });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`${TARGET_LABEL[target]} exited (${exited}) on start; see ${logFile}`);
    try {
      const res = await fetch(`${origin}/`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${TARGET_LABEL[target]} did not answer on ${origin} within 2 minutes; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    target,
    port,
    pid: child.pid!,
    origin,
    async stop() {
      if (exited !== null) return;
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

let clockTicks: number | undefined;
/** Clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK; 100 on Linux here). */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU of a process (all its threads) so far, in milliseconds; null if it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After "pid (comm)": state is field 3, utime field 14, stime field 15.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** A /proc/<pid>/status field in kB (VmRSS, VmHWM). */
export function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Samples a process's resident memory every 200 ms until stopped; returns the largest, in MB. */
export function sampleRss(pid: number) {
  let max = statusKb(pid, "VmRSS") ?? 0;
  const timer = setInterval(() => {
    max = Math.max(max, statusKb(pid, "VmRSS") ?? 0);
  }, 200);
  return {
    stop(): number {
      clearInterval(timer);
      max = Math.max(max, statusKb(pid, "VmRSS") ?? 0);
      return max / 1024;
    },
  };
}
