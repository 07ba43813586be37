// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

/** The language a member chose for the site (null: follow the browser's Accept-Language). */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table members add column locale text check (locale in ('en', 'fr'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table members drop column if exists locale`.execute(db);
}
