// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const up_statements = [
  // What the public sees of a post: visible; pending review (hidden automatically by
  // flags); hidden or deleted by a moderator. Nothing is ever hard-deleted.
  `alter table ideas
     add column moderation text not null default 'visible'
       check (moderation in ('visible', 'pending', 'hidden', 'deleted')),
     add column moderation_reason text check (char_length(moderation_reason) <= 500),
     add column moderated_at timestamptz`,
  `alter table comments
     add column moderation text not null default 'visible'
       check (moderation in ('visible', 'pending', 'hidden', 'deleted')),
     add column moderation_reason text check (char_length(moderation_reason) <= 500),
     add column moderated_at timestamptz`,
  `alter table members
     add column suspended_until timestamptz,
     add column suspension_reason text check (char_length(suspension_reason) <= 500),
     add column moderation text not null default 'visible' check (moderation in ('visible', 'pending', 'hidden')),
     add column moderation_reason text check (char_length(moderation_reason) <= 500)`,

  `create table flags (
    id integer generated always as identity primary key,
    flagger_id integer not null references members (id),
    target_kind text not null check (target_kind in ('idea', 'comment', 'member')),
    target_id integer not null,
    reason text not null check (reason in ('spam', 'abusive', 'off_topic', 'other')),
    note text not null default '' check (char_length(note) <= 500),
    weight real not null check (weight > 0),
    status text not null default 'open' check (status in ('open', 'upheld', 'dismissed', 'withdrawn')),
    created_at timestamptz not null default now(),
    resolved_at timestamptz,
    resolved_by integer references members (id)
  )`,
  // One flag per member per item (a withdrawn flag does not count).
  `create unique index flags_one_per_member_key on flags (flagger_id, target_kind, target_id) where status <> 'withdrawn'`,
  `create index flags_open_target_idx on flags (target_kind, target_id) where status = 'open'`,
  `create index flags_open_queue_idx on flags (created_at, id) where status = 'open'`,
  `create index flags_flagger_idx on flags (flagger_id, created_at desc)`,

  `create table settings (
    key text primary key check (key ~ '^[a-z_]{1,60}$'),
    value jsonb not null,
    updated_at timestamptz not null default now(),
    updated_by integer references members (id)
  )`,

  // The audit log reads staff actions from the events log.
  `create index events_staff_idx on events (id desc) where actor_role is not null and actor_role <> 'member'`,
  `create index comments_author_recent_idx on comments (author_id, created_at desc)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`drop index if exists comments_author_recent_idx`).execute(db);
  await sql.raw(`drop index if exists events_staff_idx`).execute(db);
  await sql.raw(`drop table if exists settings`).execute(db);
  await sql.raw(`drop table if exists flags`).execute(db);
  await sql.raw(`alter table members drop column suspended_until, drop column suspension_reason, drop column moderation, drop column moderation_reason`).execute(db);
  await sql.raw(`alter table comments drop column moderation, drop column moderation_reason, drop column moderated_at`).execute(db);
  await sql.raw(`alter table ideas drop column moderation, drop column moderation_reason, drop column moderated_at`).execute(db);
}
