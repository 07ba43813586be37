import { sql } from "kysely";
import type { DB } from "../lib/db.server";
import { DomainError } from "./errors";

export interface RateLimit {
  /** How many attempts a window allows. */
  limit: number;
  /** The window's length in seconds. */
  windowSeconds: number;
}

/**
 * Counts one attempt against `key` in the current fixed window and refuses
 * with a 429 once the window's limit is passed. The counter lives in
 * PostgreSQL and is incremented atomically, so the limit holds across every
 * app process sharing the database.
 */
export async function consumeRateLimit(db: DB, key: string, rule: RateLimit, message: string, cost = 1): Promise<void> {
  const row = await sql<{ hits: number; retry_after: number }>`
    insert into rate_limits (key, window_start, hits)
    values (${key}, to_timestamp(floor(extract(epoch from now()) / ${rule.windowSeconds}) * ${rule.windowSeconds}), ${cost}::int)
    on conflict (key, window_start) do update set hits = rate_limits.hits + ${cost}::int
    returning hits,
      ceil(extract(epoch from (window_start + make_interval(secs => ${rule.windowSeconds}) - now())))::int as retry_after`
    .execute(db)
    .then((r) => r.rows[0]!);
  if (row.hits > rule.limit) {
    throw new DomainError(429, `${message} Try again ${waitText(row.retry_after)}.`, "form", row.retry_after);
  }
}

/** Forgets the attempts counted against a key (after a successful sign-in). */
export async function resetRateLimit(db: DB, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** Drops windows that ended more than a day ago. */
export async function pruneRateLimits(db: DB): Promise<void> {
  await db.deleteFrom("rate_limits").where("window_start", "<", sql<Date>`now() - interval '1 day'`).execute();
}

/** "in 5 minutes", "in 3 hours". */
function waitText(seconds: number): string {
  if (seconds >= 2 * 3600) return `in ${Math.ceil(seconds / 3600)} hours`;
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}
