// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

/**
 * The trigram index on idea titles is dropped: no query uses it since similar ideas score a
 * bounded candidate set (docs/decisions/016), and every vote, comment count or status change
 * rewrites an idea's row, which inserted some 30 trigrams of its title into it (decision 022).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists ideas_title_trgm_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists ideas_title_trgm_idx on ideas using gin (title gin_trgm_ops)`.execute(db);
}
