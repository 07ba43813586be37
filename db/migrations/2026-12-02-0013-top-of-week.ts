// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

/**
 * "Top, this week" read per UTC day (docs/decisions/016-fast-pages-and-bounded-queries.md):
 * each day's ideas in score order, so the list takes the best few of each of the week's
 * eight days instead of walking the all-time score index past older, better-voted ideas.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index ideas_day_top_idx on ideas (((created_at at time zone 'UTC')::date), score desc, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists ideas_day_top_idx`.execute(db);
}
