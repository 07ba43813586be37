// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

/** The rank the last monthly impact mail reported, so the next one says how many places were climbed. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table members add column impact_rank int`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table members drop column if exists impact_rank`.execute(db);
}
