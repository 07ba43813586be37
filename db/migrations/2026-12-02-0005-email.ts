// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const up_statements = [
  // Whether the member's address is theirs. Members from before verification existed
  // joined when nothing was checked: they count as verified (docs/decisions/014).
  `alter table members add column email_verified_at timestamptz`,
  `update members set email_verified_at = created_at`,
  // How often the member's digest comes, if any kind goes to it.
  `alter table members add column digest text not null default 'weekly' check (digest in ('daily', 'weekly'))`,
  `alter table members add column last_digest_at timestamptz`,

  // When each session began (the account page lists them).
  `alter table sessions add column created_at timestamptz not null default now()`,

  // Single-use, expiring links sent by e-mail: only a hash of the token is kept.
  `create table email_tokens (
    id integer generated always as identity primary key,
    member_id integer not null references members (id) on delete cascade,
    purpose text not null check (purpose in ('verify_email', 'reset_password')),
    token_hash text not null,
    email text not null check (char_length(email) between 3 and 254),
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`,
  `create unique index email_tokens_hash_key on email_tokens (token_hash)`,
  `create index email_tokens_member_idx on email_tokens (member_id, purpose, id desc)`,

  // One row per mail: keyed (what, who, why) so a retried job never mails twice.
  // The body is kept until it is sent (the development mailbox keeps it to show it).
  `create table mail_deliveries (
    id bigint generated always as identity primary key,
    key text not null check (char_length(key) <= 200),
    kind text not null,
    member_id integer references members (id) on delete cascade,
    event_id bigint,
    to_address text not null,
    subject text not null,
    text_body text,
    html_body text,
    headers jsonb not null default '{}',
    state text not null default 'queued' check (state in ('queued', 'sent', 'failed')),
    attempts integer not null default 0,
    transport text,
    smtp_response text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    updated_at timestamptz not null default now()
  )`,
  `create unique index mail_deliveries_key on mail_deliveries (key)`,
  `create index mail_deliveries_recent_idx on mail_deliveries (id desc)`,
  `create index mail_deliveries_state_idx on mail_deliveries (state, id desc)`,
  `create index mail_deliveries_member_idx on mail_deliveries (member_id, id desc)`,
  `create index mail_deliveries_mailbox_idx on mail_deliveries (id desc) where transport = 'mailbox'`,
  // The e-mail fan-out reads an event's notifications.
  `create index notifications_event_idx on notifications (event_id)`,

  // Per kind of notification: in-app only, e-mail at once, in the digest, or off.
  // No row: the kind's default.
  `create table mail_preferences (
    member_id integer not null references members (id) on delete cascade,
    kind text not null check (kind ~ '^[a-z_]{1,40}$'),
    choice text not null check (choice in ('in_app', 'email', 'digest', 'off')),
    updated_at timestamptz not null default now(),
    primary key (member_id, kind)
  )`,

  // The digest job finds the members who put any kind in their digest.
  `create index mail_preferences_digest_idx on mail_preferences (member_id) where choice = 'digest'`,

  // "@" while typing: members by the start of their handle or name.
  `create index members_handle_prefix_idx on members (handle text_pattern_ops) where deleted_at is null`,
  `create index members_name_prefix_idx on members (lower(display_name) text_pattern_ops) where deleted_at is null`,

  // The key that signs unsubscribe links (made once, shared by every app process).
  `create table site_secrets (
    name text primary key,
    value text not null check (char_length(value) >= 32),
    created_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const statements = [
    `drop table if exists site_secrets`,
    `drop index if exists members_name_prefix_idx`,
    `drop index if exists members_handle_prefix_idx`,
    `drop index if exists notifications_event_idx`,
    `drop table if exists mail_preferences`,
    `drop table if exists mail_deliveries`,
    `drop table if exists email_tokens`,
    `alter table sessions drop column created_at`,
    `alter table members drop column last_digest_at`,
    `alter table members drop column digest`,
    `alter table members drop column email_verified_at`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
