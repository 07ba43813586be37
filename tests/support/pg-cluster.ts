// A private PostgreSQL cluster for the ops tests: they restart and stop it, which
// must never happen to the shared server other engineers and tiers use.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { TMP_DIR } from "./paths";

/** The newest PostgreSQL binaries on this machine (PG_BIN wins). */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], "bin");
  }
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("No PostgreSQL binaries found: install postgresql or set PG_BIN to the folder holding initdb and pg_ctl");
  }
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface PrivateCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  port: number;
  dir: string;
  urlFor(database: string, user?: { name: string; password: string }): string;
  /** `pg_ctl restart -m fast`: every backend gets 57P01, then the server comes back. Resolves once it accepts connections. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
  /** Resolves once the server accepts connections. */
  start(): Promise<void>;
  /** Stops the cluster and removes its folder. */
  destroy(): void;
}

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a PostgreSQL binary; as root, as the `postgres` OS user (initdb and postgres refuse root). */
function pgRun(bin: string, args: string[]) {
  const command = asRoot ? "runuser" : bin;
  const argv = asRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  const r = spawnSync(command, argv, { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The same, without blocking the event loop (the tests keep load running while pg_ctl works). */
function pgRunAsync(bin: string, args: string[]): Promise<void> {
  const command = asRoot ? "runuser" : bin;
  const argv = asRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(" ")} failed (${code}):\n${out}`))));
  });
}

/**
 * Stops and removes clusters a killed run left behind (folders over 15 minutes old:
 * a run takes two), so they do not pile up as stray postmasters.
 */
export function removeStaleClusters(parent: string) {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent).filter((n) => n.startsWith("ops-pg-"))) {
    const dir = join(parent, name);
    if (Date.now() - statSync(dir).mtimeMs < 15 * 60_000) continue;
    try {
      pgRun(join(postgresBinDir(), "pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"]);
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A folder the `postgres` OS user can write: under tests/.tmp when it can reach it, else the system temp dir. */
function clusterFolder(): string {
  mkdirSync(TMP_DIR, { recursive: true });
  let parent = TMP_DIR;
  if (asRoot) {
    const reachable = spawnSync("runuser", ["-u", "postgres", "--", "test", "-x", TMP_DIR]).status === 0;
    if (!reachable) parent = tmpdir();
  }
  const dir = mkdtempSync(join(parent, "ops-pg-"));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  return dir;
}

/** initdb + start a throw-away cluster on a free port (trust auth, no fsync: it holds nothing of value). */
export async function startPrivateCluster(): Promise<PrivateCluster> {
  removeStaleClusters(TMP_DIR); // this checkout's own folder only: never someone else's
  const dir = clusterFolder();
  pgRun(join(postgresBinDir(), "initdb"), ["-D", join(dir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const cluster = attachPrivateCluster(dir, await freePort());
  await cluster.start();
  return cluster;
}

/** Control over a cluster made by startPrivateCluster (in another process: vitest's global setup). */
export function attachPrivateCluster(dir: string, port: number): PrivateCluster {
  const bin = postgresBinDir();
  const data = join(dir, "data");
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    "-c unix_socket_directories=''",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=60",
    "-c shared_buffers=32MB",
  ].join(" ");
  const ctl = (...args: string[]) => pgRunAsync(join(bin, "pg_ctl"), ["-D", data, "-w", "-t", "30", ...args]);
  const start = () => ctl("-o", options, "-l", join(dir, "server.log"), "start");
  const base = `postgres://postgres@127.0.0.1:${port}`;
  const urlFor = (database: string, user?: { name: string; password: string }) =>
    user
      ? `postgres://${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}@127.0.0.1:${port}/${database}`
      : `${base}/${database}`;
  return {
    url: `${base}/postgres`,
    port,
    dir,
    urlFor,
    restart: () => ctl("-m", "fast", "restart"),
    stop: () => ctl("-m", "fast", "stop"),
    start,
    destroy() {
      try {
        pgRun(join(bin, "pg_ctl"), ["-D", data, "-w", "-m", "immediate", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs statements as the cluster's superuser. */
export async function asSuperuser<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Two login roles for one deployment: the owner that migrates and the app role that serves. */
export function newRoleNames(prefix: string) {
  const id = randomUUID().replaceAll("-", "").slice(0, 10);
  return {
    owner: { name: `${prefix}_owner_${id}`, password: randomUUID() },
    app: { name: `${prefix}_app_${id}`, password: randomUUID() },
  };
}
