// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

/**
 * Members' uploaded avatars (re-encoded WebP bytes, in the database so every app
 * process serves them), the version lists read with the member's other fields,
 * whether a member shows their votes on their public page, and the index the
 * timeline's up-votes are read from.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table members add column avatar_version text, add column show_votes boolean not null default false`.execute(db);
  await sql`create table member_avatars (
    member_id integer primary key references members (id) on delete cascade,
    version text not null,
    content_type text not null check (content_type = 'image/webp'),
    bytes bytea not null check (octet_length(bytes) between 1 and 1048576),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index events_upvotes_idx on events (actor_id, id desc) include (idea_id)
    where type in ('vote.cast', 'vote.changed') and data->>'to' = '1'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists events_upvotes_idx`.execute(db);
  await sql`drop table if exists member_avatars`.execute(db);
  await sql`alter table members drop column if exists avatar_version, drop column if exists show_votes`.execute(db);
}
