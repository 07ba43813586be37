import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { DomainError } from "./errors";

/**
 * Queries whose cost depends on what a visitor typed (search, similar ideas) run on a
 * budget (docs/decisions/016): a statement timeout of their own kind, cancelled in
 * PostgreSQL as soon as the visitor goes away, and a bulkhead, so that however many of
 * them arrive at once they hold at most part of the pool and every other page keeps
 * its connections.
 */
export type QueryKind = "search" | "similar";

export const QUERY_TIMEOUT_MS: Record<QueryKind, number> = { search: 2_000, similar: 1_000 };

export interface QueryBudgetOptions {
  /** The request's signal: when it aborts, the running statement is cancelled. */
  signal?: AbortSignal;
}

/** Raised when a budgeted query ran out of time, was cancelled, or found no room. */
export class QueryBudgetExceeded extends DomainError {
  constructor(message: string) {
    super(503, message);
    this.name = "QueryBudgetExceeded";
  }
}

type Canceller = (backendPid: number) => Promise<void>;

interface BudgetConfig {
  /** At most this many budgeted queries at once in this process (the rest wait, then give up). */
  concurrent: number;
  /** Cancels a backend's running statement over a connection of its own (PostgreSQL), or null (PGlite). */
  cancel: Canceller | null;
}

let config: BudgetConfig = { concurrent: 4, cancel: null };

/** Set once by the server: half the pool for these queries, and how to cancel one. */
export function configureQueryBudget(next: Partial<BudgetConfig>): void {
  config = { ...config, ...next, concurrent: Math.max(1, Math.floor(next.concurrent ?? config.concurrent)) };
}

let running = 0;
const waiting: Array<() => void> = [];

async function acquire(kind: QueryKind, signal: AbortSignal | undefined): Promise<() => void> {
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  if (running < config.concurrent) {
    running++;
    return release;
  }
  // Wait for a slot no longer than the query itself may run; a queue as long as the
  // bulkhead is wide is enough (more would only wait to time out).
  if (waiting.length >= config.concurrent * 4) throw busy(kind);
  return new Promise((resolve, reject) => {
    const onSlot = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(release);
    };
    const drop = () => {
      const at = waiting.indexOf(onSlot);
      if (at >= 0) waiting.splice(at, 1);
    };
    const onAbort = () => {
      clearTimeout(timer);
      drop();
      reject(gone(kind));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      drop();
      reject(busy(kind));
    }, QUERY_TIMEOUT_MS[kind]);
    waiting.push(onSlot);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const busy = (kind: QueryKind) =>
  new QueryBudgetExceeded(kind === "search" ? "Search is busy right now; please try again in a moment." : "Similar ideas are busy right now.");
const slow = (kind: QueryKind) =>
  new QueryBudgetExceeded(
    kind === "search" ? "That search took too long. Try fewer or more specific words." : "Looking for similar ideas took too long.",
  );
const gone = (kind: QueryKind) => new QueryBudgetExceeded(`The ${kind === "search" ? "search" : "lookup"} was cancelled.`);

/**
 * Runs `work` in a read-only transaction whose statements may take at most the kind's
 * timeout, inside the bulkhead, cancelled when `signal` aborts. A timeout or a
 * cancellation becomes a QueryBudgetExceeded (503), never a 500.
 */
export async function withQueryBudget<T>(db: DB, kind: QueryKind, options: QueryBudgetOptions, work: (trx: DB) => Promise<T>): Promise<T> {
  const { signal } = options;
  if (signal?.aborted) throw gone(kind);
  const release = await acquire(kind, signal);
  let backend: number | null = null;
  let cancelled = false;
  const onAbort = () => {
    cancelled = true;
    if (backend !== null && config.cancel) config.cancel(backend).catch(() => {});
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await sql<{ pid: number }>`
        select set_config('statement_timeout', ${String(QUERY_TIMEOUT_MS[kind])}, true), pg_backend_pid() as pid`.execute(trx);
      backend = row.rows[0]?.pid ?? null;
      if (cancelled) throw gone(kind);
      return await work(trx);
    });
  } catch (error) {
    // 57014: canceled by the statement timeout or by pg_cancel_backend.
    if ((error as { code?: string }).code === "57014") throw cancelled ? gone(kind) : slow(kind);
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    release();
  }
}

/** For tests: how many budgeted queries are running and waiting in this process. */
export function queryBudgetState() {
  return { running, waiting: waiting.length, concurrent: config.concurrent };
}
