// The load phase: wrk against the bare app and Groundswell in interleaved rounds, with each
// server's CPU (from /proc) and resident memory measured around every round.
import { spawn, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import type pg from "pg";
import { cpuMs, sampleRss, type RunningServer, type Target } from "./servers";

const SCRIPT = resolve(import.meta.dirname, "wrk.lua");
export const CONNECTIONS = 32;
export const THREADS = 2;

export interface WrkOutput {
  requests: number;
  duration_us: number;
  bytes: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  max_us: number;
  mean_us: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

/** wrk, or installs it from Debian's packages (root, as on these machines), or says how. */
export function ensureWrk(log: (line: string) => void) {
  if (spawnSync("wrk", ["--version"]).error === undefined) return;
  log("wrk is missing: apt-get install -y wrk");
  const r = spawnSync("sh", ["-c", "apt-get install -y wrk || (apt-get update && apt-get install -y wrk)"], { stdio: "inherit" });
  if (r.status !== 0 || spawnSync("wrk", ["--version"]).error !== undefined) {
    throw new Error("wrk is needed for the load phase: install it (Debian: apt-get install -y wrk) and run again");
  }
}

export interface Request {
  path: string;
  mode: "get" | "unique" | "vote";
  cookie?: string;
  /** For mode vote: the ideas to vote on. */
  ideas?: number[];
}

export function runWrk(origin: string, req: Request, seconds: number): Promise<WrkOutput> {
  const args = [
    `-t${THREADS}`, `-c${CONNECTIONS}`, `-d${seconds}s`, "--timeout", "15s", "-s", SCRIPT, `${origin}${req.path}`,
    "--", req.mode, req.cookie ?? "-", String(THREADS), (req.ideas ?? []).join(","),
  ];
  return new Promise((done, fail) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", fail);
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("BENCHJSON "));
      if (code !== 0 || !line) return fail(new Error(`wrk failed (${code}):\n${out}`));
      done(JSON.parse(line.slice("BENCHJSON ".length)) as WrkOutput);
    });
  });
}

/** CPU used by the PostgreSQL backends serving a database (client backends), by pid, in ms. */
export async function backendCpu(admin: pg.Pool, database: string): Promise<Map<number, number>> {
  const r = await admin.query<{ pid: number }>(
    "select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()",
    [database],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of r.rows) {
    const ms = cpuMs(pid);
    if (ms !== null) cpu.set(pid, ms);
  }
  return cpu;
}

/**
 * Waits until no request of the last run is still being served: wrk stops at its deadline with
 * requests in flight, and the server finishes them afterwards. Quiet = no backend of the database
 * active or inside a transaction, twice in a row.
 */
export async function quiesce(admin: pg.Pool, database: string, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let quiet = 0;
  await new Promise((r) => setTimeout(r, 200));
  while (quiet < 2 && Date.now() < end) {
    const r = await admin.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = $1 and backend_type = 'client backend'
         and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')`,
      [database],
    );
    quiet = r.rows[0]!.n === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>) {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

export interface Round {
  target: Target;
  round: number;
  rps: number;
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  /** Node CPU (user + system, all threads) of the server process per request, ms. */
  cpuPerRequest: number;
  /** CPU of the PostgreSQL backends of the bench database per request, ms. */
  pgCpuPerRequest: number;
  rssMaxMb: number;
  load1: number;
}

/** One measured wrk run against one server. */
export async function measure(
  server: RunningServer,
  req: Request,
  seconds: number,
  admin: pg.Pool,
  database: string,
  round: number,
): Promise<Round> {
  const load1 = loadavg()[0]!;
  const pg0 = await backendCpu(admin, database);
  const cpu0 = cpuMs(server.pid);
  const rss = sampleRss(server.pid);
  const w = await runWrk(server.origin, req, seconds);
  const rssMaxMb = rss.stop();
  const cpu1 = cpuMs(server.pid);
  const pg1 = await backendCpu(admin, database);
  if (cpu0 === null || cpu1 === null) throw new Error(`${server.target} (pid ${server.pid}) died during the round`);
  const requests = Math.max(w.requests, 1);
  const errors = w.errors.connect + w.errors.read + w.errors.write + w.errors.status + w.errors.timeout;
  return {
    target: server.target,
    round,
    rps: w.requests / (w.duration_us / 1e6),
    requests: w.requests,
    seconds: w.duration_us / 1e6,
    p50: w.p50_us / 1000,
    p99: w.p99_us / 1000,
    errors,
    cpuPerRequest: (cpu1 - cpu0) / requests,
    pgCpuPerRequest: cpuDelta(pg0, pg1) / requests,
    rssMaxMb,
    load1,
  };
}

export interface ScenarioResult {
  name: string;
  /** What the bare app serves in this comparison (the idea page is compared with the bare front page). */
  bareRequest: Request;
  appRequest: Request;
  rounds: Round[];
  summary: Record<Target, TargetSummary>;
  /** Median over rounds of Groundswell's rps / the bare app's rps in the same round. */
  ratio: number;
  cpuRatio: number;
  loadRange: [number, number];
}

export interface TargetSummary {
  rps: number;
  p50: number;
  p99: number;
  cpuPerRequest: number;
  pgCpuPerRequest: number;
  rssMaxMb: number;
  errors: number;
  requests: number;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function summarise(rounds: Round[], target: Target): TargetSummary {
  const mine = rounds.filter((r) => r.target === target);
  const requests = mine.reduce((a, r) => a + r.requests, 0);
  return {
    rps: median(mine.map((r) => r.rps)),
    p50: median(mine.map((r) => r.p50)),
    p99: median(mine.map((r) => r.p99)),
    // Totals over the rounds, weighted by requests.
    cpuPerRequest: mine.reduce((a, r) => a + r.cpuPerRequest * r.requests, 0) / Math.max(requests, 1),
    pgCpuPerRequest: mine.reduce((a, r) => a + r.pgCpuPerRequest * r.requests, 0) / Math.max(requests, 1),
    rssMaxMb: Math.max(...mine.map((r) => r.rssMaxMb)),
    errors: mine.reduce((a, r) => a + r.errors, 0),
    requests,
  };
}

/**
 * Warms both servers up, then runs `rounds` pairs: bare, Groundswell, bare, Groundswell…
 * `beforeEach` runs before every run (the vote scenario resets the voter there).
 */
export async function scenario(
  name: string,
  servers: Record<Target, RunningServer>,
  requests: Record<Target, Request>,
  options: {
    rounds: number; seconds: number; warmSeconds: number; admin: pg.Pool; database: string;
    /** A short name for the progress lines. */
    short: string;
    beforeEach?: () => Promise<void>;
    log: (l: string) => void;
  },
): Promise<ScenarioResult> {
  const prepare = async () => {
    await quiesce(options.admin, options.database);
    await options.beforeEach?.();
  };
  for (const target of ["bare", "app"] as const) {
    await prepare();
    await runWrk(servers[target].origin, requests[target], options.warmSeconds);
  }
  const rounds: Round[] = [];
  for (let i = 1; i <= options.rounds; i++) {
    for (const target of ["bare", "app"] as const) {
      await prepare();
      const r = await measure(servers[target], requests[target], options.seconds, options.admin, options.database, i);
      rounds.push(r);
      options.log(
        `    ${options.short} round ${i} ${target.padEnd(4)} ${r.rps.toFixed(0).padStart(6)} rps  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  ` +
          `cpu ${r.cpuPerRequest.toFixed(2)} ms/req  pg ${r.pgCpuPerRequest.toFixed(2)} ms/req  rss ${r.rssMaxMb.toFixed(0)} MB` +
          `${r.errors ? `  errors ${r.errors}` : ""}  load ${r.load1.toFixed(2)}`,
      );
    }
  }
  const pairs = Array.from({ length: options.rounds }, (_, k) => {
    const bare = rounds.find((r) => r.round === k + 1 && r.target === "bare")!;
    const app = rounds.find((r) => r.round === k + 1 && r.target === "app")!;
    return { rps: app.rps / bare.rps, cpu: app.cpuPerRequest / bare.cpuPerRequest };
  });
  const loads = rounds.map((r) => r.load1);
  return {
    name,
    bareRequest: requests.bare,
    appRequest: requests.app,
    rounds,
    summary: { bare: summarise(rounds, "bare"), app: summarise(rounds, "app") },
    ratio: median(pairs.map((p) => p.rps)),
    cpuRatio: median(pairs.map((p) => p.cpu)),
    loadRange: [Math.min(...loads), Math.max(...loads)],
  };
}
