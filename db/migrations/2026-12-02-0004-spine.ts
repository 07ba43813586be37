// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const up_statements = [
  // Events: commit order for consumers that read the log, and a payload version per row.
  // Rows written before the typed catalogue are version 0.
  `alter table events add column tx_id xid8 not null default pg_current_xact_id()`,
  `alter table events add column version smallint not null default 0`,
  `alter table events alter column version drop default`,
  `create index events_commit_order_idx on events (tx_id, id)`,
  `create index events_member_idx on events (member_id, id desc) where member_id is not null`,
  `create index events_comment_idx on events (comment_id, id desc) where comment_id is not null`,
  // Older payloads copied members' words (comment text before/after an edit, earlier titles,
  // suspension reasons); those now live in rows the events reference. Scrub the copies.
  // Only a migration (the owner role) may touch the log, and only here.
  `alter table events disable trigger events_append_only`,
  `update events set data = data - 'before' - 'after' where type = 'comment.edited'`,
  `update events set data = data - 'previousTitle' where type = 'idea.edited'`,
  `update events set data = data - 'before' - 'after' where type in ('member.suspended', 'member.unsuspended')`,
  `update events set data = data - 'reason' where type like 'moderation.%'`,
  `alter table events enable trigger events_append_only`,

  // One word per concept (docs/glossary.md): the trending key, official responses.
  `alter table ideas rename column hot to trending`,
  `alter index ideas_hot_idx rename to ideas_trending_idx`,
  `alter index ideas_category_hot_idx rename to ideas_category_trending_idx`,
  `alter index ideas_status_hot_idx rename to ideas_status_trending_idx`,
  `alter table idea_responses rename to official_responses`,
  `alter index idea_responses_idea_idx rename to official_responses_idea_idx`,
  `alter index idea_responses_pkey rename to official_responses_pkey`,

  // Notifications say why the member was told; what happened is the event's type.
  `alter table notifications rename column kind to reason`,
  `update notifications set reason = case reason
     when 'comment_on_idea' then 'idea_author'
     when 'reply_to_comment' then 'comment_author'
     when 'moderation' then 'content_author'
     else 'audience' end`,
  `alter table notifications add constraint notifications_reason_check
     check (reason in ('audience', 'idea_author', 'comment_author', 'content_author', 'mentioned',
       'member_followed', 'category_followed', 'recipient'))`,

  // Earlier versions of comments (events reference them instead of copying the text).
  `create table comment_revisions (
    id integer generated always as identity primary key,
    comment_id integer not null references comments (id) on delete cascade,
    editor_id integer not null references members (id),
    body text not null,
    created_at timestamptz not null default now()
  )`,
  `create index comment_revisions_comment_idx on comment_revisions (comment_id, id desc)`,

  // Suspensions as rows: who, until when, why, and when lifted. members.suspended_until
  // stays the current state that sessions read.
  `create table suspensions (
    id integer generated always as identity primary key,
    member_id integer not null references members (id),
    actor_id integer not null references members (id),
    until timestamptz not null,
    reason text not null check (char_length(reason) between 1 and 500),
    created_at timestamptz not null default now(),
    lifted_at timestamptz,
    lifted_by integer references members (id)
  )`,
  `create index suspensions_member_idx on suspensions (member_id, id desc)`,

  // Every moderation decision, by a moderator or automatic (flags), with its reason.
  `create table moderation_decisions (
    id integer generated always as identity primary key,
    target_kind text not null check (target_kind in ('idea', 'comment', 'member')),
    target_id integer not null,
    actor_id integer references members (id),
    action text not null check (action in ('dismiss', 'hide', 'delete', 'restore', 'auto_hide', 'auto_restore')),
    before text not null,
    after text not null,
    reason text check (char_length(reason) <= 500),
    flags_resolved integer not null default 0,
    created_at timestamptz not null default now()
  )`,
  `create index moderation_decisions_target_idx on moderation_decisions (target_kind, target_id, id desc)`,

  // Flags from accounts without an established record reach the queue but never hide on their own.
  `alter table flags add column established boolean not null default true`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const statements = [
    `alter table flags drop column established`,
    `drop table if exists moderation_decisions`,
    `drop table if exists suspensions`,
    `drop table if exists comment_revisions`,
    `alter table notifications drop constraint notifications_reason_check`,
    `update notifications set reason = case reason
       when 'idea_author' then 'comment_on_idea'
       when 'comment_author' then 'reply_to_comment'
       when 'content_author' then 'moderation'
       else 'status_changed' end`,
    `alter table notifications rename column reason to kind`,
    `alter index official_responses_pkey rename to idea_responses_pkey`,
    `alter index official_responses_idea_idx rename to idea_responses_idea_idx`,
    `alter table official_responses rename to idea_responses`,
    `alter index ideas_status_trending_idx rename to ideas_status_hot_idx`,
    `alter index ideas_category_trending_idx rename to ideas_category_hot_idx`,
    `alter index ideas_trending_idx rename to ideas_hot_idx`,
    `alter table ideas rename column trending to hot`,
    `drop index if exists events_comment_idx`,
    `drop index if exists events_member_idx`,
    `drop index if exists events_commit_order_idx`,
    `alter table events drop column version`,
    `alter table events drop column tx_id`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
