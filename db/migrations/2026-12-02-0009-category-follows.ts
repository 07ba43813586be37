// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

/** Members follow categories: a new idea in one tells its followers. */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table category_follows (
    category_id int not null references categories (id) on delete cascade,
    member_id int not null references members (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (category_id, member_id)
  )`.execute(db);
  await sql`create index category_follows_member_idx on category_follows (member_id, category_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists category_follows`.execute(db);
}
