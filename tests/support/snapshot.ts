import { sql } from "kysely";
import type { DB } from "../../app/lib/db.server";

/**
 * Every row of every table of ours (and the count of queued jobs), as one
 * comparable value: equal snapshots before and after a call mean it changed
 * nothing at all. Rate-limit counters are left out only when asked (a refused
 * sign-in still counts an attempt; a refused post counts nothing).
 */
export async function databaseSnapshot(db: DB, options: { exceptRateLimits?: boolean } = {}): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  const names = tables.rows.map((r) => r.table_name).filter((t) => !(options.exceptRateLimits && t === "rate_limits"));
  const parts = names.map(
    (t) => sql`select ${t}::text as name, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as digest from ${sql.table(t)} x`,
  );
  const rows = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  const jobs = await sql<{ n: string }>`select count(*)::text as n from pgboss.job`.execute(db);
  return { ...Object.fromEntries(rows.rows.map((r) => [r.name, r.digest])), "pgboss.job": jobs.rows[0]!.n };
}
