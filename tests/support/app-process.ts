// The built server as a real process (node build/index.js), for the ops tests.
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest, Agent, type IncomingHttpHeaders } from "node:http";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "./pg-cluster";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface AppProcess {
  port: number;
  base: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr. */
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Resolves with the exit code (or signal) and the time it exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILL if still running (test cleanup). */
  kill(): Promise<void>;
}

/** Starts `node build/index.js` with the given environment and waits for /healthz. */
export async function startApp(env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<AppProcess> {
  if (!existsSync(`${ROOT}build/index.js`)) throw new Error("build/index.js is missing: run `npx remix build` first (tests/run.mjs does)");
  // A free port can be taken by someone else before the server listens on it: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, options);
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(error))) throw error;
    }
  }
}

async function startOnce(env: Record<string, string>, options: { timeoutMs?: number }): Promise<AppProcess> {
  const port = await freePort();
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_|MIGRATION_DATABASE_URL|DATA_DIR|PORT|SEED_DEMO|TEST_|E2E_|VITEST)/.test(k)),
  );
  // An absolute path: this checkout's server, distinct in the process list.
  const child = spawn(process.execPath, [`${ROOT}build/index.js`], {
    cwd: ROOT,
    env: { ...clean, NODE_ENV: "production", SEED_DEMO: "never", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      const at = Date.now();
      // Resolve once its output is read to the end ('close'), so a crash's message is in output().
      child.once("close", () => resolve({ code, signal, at }));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!running) {
      const { code, signal } = await exited;
      throw new Error(`the server exited (${signal ?? code}) before it was ready:\n${out}`);
    }
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server was not ready in time:\n${out}`);
    }
    await sleep(150);
  }
  return {
    port,
    base,
    child,
    output: () => out,
    alive: () => running,
    exited,
    async kill() {
      if (running) child.kill("SIGKILL");
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Answer {
  status: number; // 0: no answer (refused, reset, timed out)
  error?: string;
  started: number;
  ms: number;
  body: string;
  headers: IncomingHttpHeaders;
  /** Which process answered (index into the list given to the load). */
  app: number;
}

/** One GET with node:http (keep-alive agent optional), never throwing. */
export function get(
  base: string,
  path: string,
  options: { agent?: Agent; timeoutMs?: number; headers?: Record<string, string>; method?: string } = {},
): Promise<Omit<Answer, "app">> {
  const started = Date.now();
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = httpRequest(
      url,
      { method: options.method ?? "GET", agent: options.agent ?? false, headers: options.headers, timeout: options.timeoutMs ?? 10_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, started, ms: Date.now() - started, body, headers: res.headers }),
        );
        res.on("error", (error) =>
          resolve({ status: 0, error: `${(error as NodeJS.ErrnoException).code ?? error.message} (mid-body)`, started, ms: Date.now() - started, body, headers: res.headers }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (error) =>
      resolve({ status: 0, error: (error as NodeJS.ErrnoException).code ?? error.message, started, ms: Date.now() - started, body: "", headers: {} }),
    );
    req.end();
  });
}

/**
 * Steady load: `concurrency` loops per process, each requesting the pages in
 * turn, until stopped. Every answer is recorded with its time and duration.
 */
export function steadyLoad(apps: AppProcess[], paths: string[], concurrency = 3) {
  const answers: Answer[] = [];
  let running = true;
  const loops = apps.flatMap((app, index) =>
    Array.from({ length: concurrency }, async (_, n) => {
      let i = n;
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (running) {
        const answer = await get(app.base, paths[i++ % paths.length]!, { agent, timeoutMs: 15_000 });
        answers.push({ ...answer, app: index });
        if (answer.status === 0) await sleep(50); // a process that is gone: don't spin
      }
      agent.destroy();
    }),
  );
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

/** Polls a path every `everyMs` until stopped, recording each answer. */
export function poll(app: AppProcess, path: string, everyMs = 200) {
  const answers: Omit<Answer, "app">[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      answers.push(await get(app.base, path, { timeoutMs: 5_000 }));
      await sleep(everyMs);
    }
  })();
  return {
    answers,
    async stop() {
      running = false;
      await loop;
      return answers;
    },
  };
}

/** Waits until `check` holds, polling; returns the milliseconds it took. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Summary of answers for failure messages. */
export function tallyStatuses(answers: { status: number; error?: string }[]) {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.status ? String(a.status) : `no answer: ${a.error}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
