// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const up_statements = [
  `alter table events add column actor_role text`,

  `alter table ideas
     add column duplicate_of_id integer references ideas (id),
     add column owner_id integer references members (id),
     add column status_changed_at timestamptz,
     add column first_response_at timestamptz,
     add column revisit_on date,
     add constraint ideas_duplicate_has_target check ((status = 'duplicate') = (duplicate_of_id is not null)),
     add constraint ideas_not_own_duplicate check (duplicate_of_id <> id)`,
  // Triage: unreviewed ideas, oldest first; roadmap columns by last move; due revisits.
  `create index ideas_triage_idx on ideas (created_at, id) where status = 'new'`,
  `create index ideas_triage_votes_idx on ideas (score desc, id desc) where status = 'new'`,
  `create index ideas_status_moved_idx on ideas (status, status_changed_at desc, id desc)`,
  `create index ideas_revisit_idx on ideas (revisit_on) where status = 'declined' and revisit_on is not null`,
  `create index ideas_duplicate_of_idx on ideas (duplicate_of_id) where duplicate_of_id is not null`,
  `create index ideas_owner_idx on ideas (owner_id) where owner_id is not null`,

  `create table idea_responses (
    id integer generated always as identity primary key,
    idea_id integer not null references ideas (id) on delete cascade,
    author_id integer references members (id),
    from_status text not null,
    to_status text not null,
    body text not null check (char_length(body) <= 10000),
    body_html text not null,
    decline_reason text,
    revisit_on date,
    created_at timestamptz not null default now()
  )`,
  `create index idea_responses_idea_idx on idea_responses (idea_id, id desc)`,

  `create table tags (
    id integer generated always as identity primary key,
    slug text not null unique check (slug ~ '^[a-z0-9-]{1,40}$'),
    name text not null check (char_length(name) between 1 and 40)
  )`,
  `create table idea_tags (
    idea_id integer not null references ideas (id) on delete cascade,
    tag_id integer not null references tags (id) on delete cascade,
    primary key (idea_id, tag_id)
  )`,
  `create index idea_tags_tag_idx on idea_tags (tag_id, idea_id)`,

  `create table idea_follows (
    idea_id integer not null references ideas (id) on delete cascade,
    member_id integer not null references members (id),
    created_at timestamptz not null default now(),
    primary key (idea_id, member_id)
  )`,
  `create index idea_follows_member_idx on idea_follows (member_id)`,

  `create table staff_notes (
    id integer generated always as identity primary key,
    idea_id integer not null references ideas (id) on delete cascade,
    author_id integer not null references members (id),
    body text not null check (char_length(body) between 1 and 5000),
    body_html text not null,
    created_at timestamptz not null default now()
  )`,
  `create index staff_notes_idea_idx on staff_notes (idea_id, id desc)`,

  `create table merges (
    id integer generated always as identity primary key,
    source_id integer not null references ideas (id),
    target_id integer not null references ideas (id),
    actor_id integer not null references members (id),
    source_status text not null,
    moved_votes jsonb not null,
    moved_follows jsonb not null,
    created_at timestamptz not null default now(),
    undone_at timestamptz,
    undone_by integer references members (id),
    check (source_id <> target_id)
  )`,
  `create unique index merges_active_source_key on merges (source_id) where undone_at is null`,
  `create index merges_target_idx on merges (target_id) where undone_at is null`,

  `create table notifications (
    id bigint generated always as identity primary key,
    member_id integer not null references members (id),
    event_id bigint not null references events (id),
    kind text not null,
    idea_id integer references ideas (id) on delete cascade,
    comment_id integer references comments (id) on delete set null,
    actor_id integer references members (id),
    created_at timestamptz not null default now(),
    read_at timestamptz,
    unique (member_id, event_id)
  )`,
  `create index notifications_member_idx on notifications (member_id, id desc)`,
  `create index notifications_unread_idx on notifications (member_id) where read_at is null`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["notifications", "merges", "staff_notes", "idea_follows", "idea_tags", "tags", "idea_responses"]) {
    await sql.raw(`drop table if exists ${table} cascade`).execute(db);
  }
  await sql.raw(`alter table ideas
    drop column duplicate_of_id, drop column owner_id, drop column status_changed_at,
    drop column first_response_at, drop column revisit_on`).execute(db);
  await sql.raw(`alter table events drop column actor_role`).execute(db);
}
