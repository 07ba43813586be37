import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { DomainError } from "./errors";

export interface RateLimit {
  /** How many attempts the window allows. */
  limit: number;
  /** The window's length in seconds. */
  windowSeconds: number;
}

/**
 * Counts `cost` attempts against `key` and refuses with a 429 once the
 * limit is passed within any window of `windowSeconds` (a sliding window:
 * the previous fixed window's count weighs by how much of it still overlaps,
 * so nobody gets twice the limit through at a window's edge). Counters live
 * in PostgreSQL and change atomically, so limits hold across app processes.
 * Called inside a command's transaction, a refused or failed command rolls
 * its count back with everything else.
 */
export async function consumeRateLimit(db: DB, key: string, rule: RateLimit, message: string, cost = 1): Promise<void> {
  const w = rule.windowSeconds;
  const row = await sql<{ hits: number; previous: number; elapsed: number }>`
    with hit as (
      insert into rate_limits (key, window_start, hits)
      values (${key}, to_timestamp(floor(extract(epoch from now()) / ${w}) * ${w}), ${cost}::int)
      on conflict (key, window_start) do update set hits = rate_limits.hits + ${cost}::int
      returning hits, window_start
    )
    select hit.hits,
           coalesce((select r.hits from rate_limits r
                     where r.key = ${key} and r.window_start = hit.window_start - make_interval(secs => ${w})), 0) as previous,
           extract(epoch from now() - hit.window_start)::float8 as elapsed
    from hit`
    .execute(db)
    .then((r) => r.rows[0]!);
  const elapsed = Math.min(Math.max(Number(row.elapsed), 0), w);
  const overlap = 1 - elapsed / w;
  const estimate = row.hits + row.previous * overlap;
  if (estimate <= rule.limit) return;
  const retryAfter = waitSeconds(rule, row.hits, row.previous, elapsed);
  throw new DomainError(429, `${message} Try again ${waitText(retryAfter)}.`, "form", retryAfter);
}

/** Seconds until the sliding estimate is back within the limit. */
function waitSeconds(rule: RateLimit, hits: number, previous: number, elapsed: number): number {
  const w = rule.windowSeconds;
  const untilWindowEnd = w - elapsed;
  if (hits > rule.limit) {
    // This window alone is over: wait for it to slide out (it weighs fully until its end).
    return Math.max(1, Math.ceil(untilWindowEnd + w * (1 - rule.limit / hits)));
  }
  // The previous window's tail is what is over: wait until enough of it has slid away.
  const t = w * (1 - (rule.limit - hits) / previous) - elapsed;
  return Math.max(1, Math.ceil(Math.min(t, untilWindowEnd)));
}

/** Forgets the attempts counted against a key (after a successful sign-in). */
/** Counts one hit and says whether it was within the limit, for work that is skipped, not refused, past it. */
export async function withinRateLimit(db: DB, key: string, rule: RateLimit): Promise<boolean> {
  try {
    await consumeRateLimit(db, key, rule, "");
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.status === 429) return false;
    throw error;
  }
}

export async function resetRateLimit(db: DB, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

/** Drops windows that ended more than a day ago (a scheduled job). */
export async function pruneRateLimits(db: DB): Promise<number> {
  const result = await db.deleteFrom("rate_limits").where("window_start", "<", sql<Date>`now() - interval '2 days'`).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}

/** "in 5 minutes", "in 3 hours". */
export function waitText(seconds: number): string {
  if (seconds >= 2 * 3600) return `in ${Math.ceil(seconds / 3600)} hours`;
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}
