import { mkdirSync } from "node:fs";
import { Kysely, PostgresDialect, sql, type LogConfig } from "kysely";
import pg from "pg";
import type { Database } from "../../db/schema";
import { env } from "./env.server";

export type DB = Kysely<Database>;

// A DATE is a calendar day, not an instant: keep it as "YYYY-MM-DD" rather
// than a Date at the server's local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface DatabaseHandle {
  db: DB;
  kind: "postgres" | "pglite";
  /** The pool under `db`, for the job queue (which must share PGlite's single connection). */
  pool: pg.Pool;
  /** Opens one fresh connection (not from the pool) and runs `select 1`; throws when the server cannot be reached. */
  probe(): Promise<void>;
  /** Whether every pooled connection is checked out (a wait for one is then the pool's queue, not the server). */
  poolIsBusy(): boolean;
  /** How many connections the pool may open. */
  poolSize: number;
  /**
   * Cancels the statement a backend is running, over a connection of its own (so a full
   * pool cannot hold it up); null on PGlite, whose one connection runs one statement at a time.
   */
  cancelBackend: ((pid: number) => Promise<void>) | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string;
  dataDir?: string;
  poolSize?: number;
  log?: LogConfig;
  /**
   * Session limits for PostgreSQL connections (milliseconds, 0 = none). Defaults come
   * from the environment; the migrator passes 0 for statements (DDL may take long).
   */
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Told about every error of a connection that is not running a query (dropped, terminated). */
  onConnectionError?: (error: Error) => void;
}

/**
 * Opens the database: PostgreSQL when a URL is given, otherwise embedded
 * PGlite in a data folder. Both go through one pg.Pool and one Kysely
 * dialect, so every query and migration is the same on both.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const url = options.url ?? (options.dataDir ? undefined : env().DATABASE_URL);
  if (url) return openPostgres(url, options);

  const dataDir = options.dataDir ?? env().DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  // PGlite is one connection: a pool of one keeps transactions from interleaving.
  // No connect timeout: waiting for the one connection is the normal queue here.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  pool.on("error", (error) => console.warn(`database: ${describeError(error)}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
  return {
    db,
    kind: "pglite",
    pool,
    probe: async () => void (await sql`select 1`.execute(db)),
    poolIsBusy: () => pool.totalCount >= 1 && pool.idleCount === 0,
    poolSize: 1,
    cancelBackend: null,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

function openPostgres(url: string, options: DatabaseOptions): DatabaseHandle {
  const config = env();
  const connectionTimeoutMillis = options.connectTimeoutMs ?? config.DATABASE_CONNECT_TIMEOUT_MS;
  const statementTimeout = options.statementTimeoutMs ?? config.DATABASE_STATEMENT_TIMEOUT_MS;
  const idleInTransaction = options.idleInTransactionTimeoutMs ?? config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS;
  const clientConfig: pg.ClientConfig = {
    connectionString: url,
    application_name: "groundswell",
    // Nothing waits forever: not for a connection, a statement, or a transaction left open.
    connectionTimeoutMillis,
    ...(statementTimeout ? { statement_timeout: statementTimeout } : {}),
    ...(idleInTransaction ? { idle_in_transaction_session_timeout: idleInTransaction } : {}),
    // TCP keepalive notices a server that vanished without closing the socket.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  const max = options.poolSize ?? config.DATABASE_POOL_SIZE;
  const pool = new pg.Pool({ ...clientConfig, max, idleTimeoutMillis: 30_000 });
  const onError = (error: Error) => {
    console.warn(`database: ${describeError(error)}`);
    options.onConnectionError?.(error);
  };
  // An idle pooled connection that drops (server restart, pg_terminate_backend) is
  // reported here; without a listener Node would end the process.
  pool.on("error", onError);
  // A checked-out connection has no pool listener: one that drops between two
  // queries of a transaction would crash the process the same way. The query
  // that then runs on it fails, and the pool discards it on release.
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
  // One short-lived connection outside the pool: for the availability probe and for cancelling.
  const aside = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({
      ...clientConfig,
      connectionTimeoutMillis: Math.min(connectionTimeoutMillis, 2_000),
      statement_timeout: 2_000,
      keepAlive: false,
    });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query(text, values);
    } finally {
      await client.end().catch(() => {});
    }
  };
  return {
    db,
    kind: "postgres",
    pool,
    probe: () => aside("select 1"),
    poolIsBusy: () => pool.totalCount >= max && pool.idleCount === 0,
    poolSize: max,
    cancelBackend: (pid) => aside("select pg_cancel_backend($1)", [pid]),
    close: () => db.destroy(),
  };
}

// Connection-class failures: the server went away or cannot be reached, as
// opposed to a failing statement. SQLSTATE class 08 is "connection exception";
// 57P01-57P03 are admin/crash shutdown and "cannot connect now" (starting or stopping).
const CONNECTION_SQLSTATES = new Set(["57P01", "57P02", "57P03"]);
const CONNECTION_ERRNOS = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH",
  "ENOTFOUND", "EAI_AGAIN",
]);
const CONNECTION_MESSAGES = [
  /Connection terminated/i, // pg: "... unexpectedly", "... due to connection timeout"
  /timeout exceeded when trying to connect/i, // pg-pool: no connection within connectionTimeoutMillis
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /Postgres connection has been discarded/i, // Kysely, after a rollback failed on a dead connection
];

/**
 * Whether an error means the database could not be reached (as opposed to a
 * statement that failed): SQLSTATE class 08, 57P01/57P02/57P03, a refused or
 * reset socket, a terminated connection, or no connection within the timeout.
 * Looks through `cause` and AggregateError's `errors`.
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (code.startsWith("08") || CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code))) {
    return true;
  }
  if (typeof message === "string" && CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
  if (cause && isConnectionError(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isConnectionError(e, depth + 1));
}

/** Whether a connection error is the pool's own queue timing out (every connection busy). */
export function isPoolWaitTimeout(error: unknown): boolean {
  return error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message);
}

/** One line for logs: the code and message, without a stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const message = error.message || (error instanceof AggregateError ? error.errors.map(String).join("; ") : error.name);
  return typeof code === "string" ? `${message} (${code})` : message;
}
