// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const up_statements = [
  `create extension if not exists pg_trgm`,

  `create table members (
    id integer generated always as identity primary key,
    handle text not null check (handle ~ '^[a-z0-9_]{3,30}$'),
    display_name text not null check (char_length(display_name) between 1 and 60),
    email text not null check (char_length(email) between 3 and 254),
    password_hash text,
    role text not null default 'member'
      check (role in ('member', 'moderator', 'product_manager', 'admin')),
    bio text not null default '' check (char_length(bio) <= 500),
    created_at timestamptz not null default now(),
    deleted_at timestamptz
  )`,
  `create unique index members_handle_key on members (handle)`,
  `create unique index members_email_key on members (lower(email))`,

  `create table sessions (
    id text primary key,
    member_id integer not null references members (id) on delete cascade,
    expires_at timestamptz not null
  )`,
  `create index sessions_member_id_idx on sessions (member_id)`,

  `create table categories (
    id integer generated always as identity primary key,
    slug text not null unique check (slug ~ '^[a-z0-9-]{1,40}$'),
    name text not null check (char_length(name) between 1 and 60),
    description text not null default '' check (char_length(description) <= 300),
    position integer not null default 0
  )`,

  `create table ideas (
    id integer generated always as identity primary key,
    author_id integer not null references members (id),
    category_id integer references categories (id),
    title text not null check (char_length(title) between 1 and 150),
    body text not null check (char_length(body) <= 20000),
    body_html text not null,
    status text not null default 'new' check (status in
      ('new', 'under_review', 'planned', 'in_progress', 'adopted', 'declined', 'duplicate')),
    score integer not null default 0,
    up_count integer not null default 0 check (up_count >= 0),
    down_count integer not null default 0 check (down_count >= 0),
    comment_count integer not null default 0 check (comment_count >= 0),
    hot double precision not null,
    search tsvector generated always as (
      setweight(to_tsvector('english', title), 'A') ||
      setweight(to_tsvector('english', body), 'B')
    ) stored,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    edited_at timestamptz,
    constraint ideas_score_matches_counts check (score = up_count - down_count)
  )`,
  // One index per list ordering; the id breaks ties and makes the keyset unique.
  `create index ideas_hot_idx on ideas (hot desc, id desc)`,
  `create index ideas_new_idx on ideas (created_at desc, id desc)`,
  `create index ideas_top_idx on ideas (score desc, id desc)`,
  `create index ideas_discussed_idx on ideas (comment_count desc, id desc)`,
  `create index ideas_category_hot_idx on ideas (category_id, hot desc, id desc)`,
  `create index ideas_status_hot_idx on ideas (status, hot desc, id desc)`,
  `create index ideas_author_idx on ideas (author_id, created_at desc, id desc)`,
  `create index ideas_search_idx on ideas using gin (search)`,
  `create index ideas_title_trgm_idx on ideas using gin (title gin_trgm_ops)`,

  `create table idea_revisions (
    id integer generated always as identity primary key,
    idea_id integer not null references ideas (id) on delete cascade,
    editor_id integer not null references members (id),
    title text not null,
    body text not null,
    created_at timestamptz not null default now()
  )`,
  `create index idea_revisions_idea_idx on idea_revisions (idea_id, id desc)`,

  `create table votes (
    idea_id integer not null references ideas (id) on delete cascade,
    member_id integer not null references members (id),
    value smallint not null check (value in (-1, 1)),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    primary key (idea_id, member_id)
  )`,
  `create index votes_member_idx on votes (member_id, updated_at desc)`,

  `create table comments (
    id integer generated always as identity primary key,
    idea_id integer not null references ideas (id) on delete cascade,
    author_id integer not null references members (id),
    parent_id integer references comments (id),
    body text not null check (char_length(body) <= 10000),
    body_html text not null,
    created_at timestamptz not null default now(),
    edited_at timestamptz,
    deleted_at timestamptz
  )`,
  `create index comments_idea_idx on comments (idea_id, id)`,
  `create index comments_author_idx on comments (author_id, id desc)`,
  `create index comments_parent_idx on comments (parent_id)`,

  `create table events (
    id bigint generated always as identity primary key,
    type text not null check (type ~ '^[a-z_]+\\.[a-z_]+$'),
    actor_id integer references members (id),
    idea_id integer references ideas (id) on delete set null,
    comment_id integer references comments (id) on delete set null,
    member_id integer references members (id),
    data jsonb not null default '{}',
    created_at timestamptz not null default now()
  )`,
  `create index events_actor_idx on events (actor_id, id desc)`,
  `create index events_idea_idx on events (idea_id, id desc)`,
  `create index events_type_idx on events (type, id desc)`,
  // The log is append-only: the database itself refuses to rewrite history.
  `create function refuse_change() returns trigger language plpgsql as $$
   begin
     raise exception '% is append-only', tg_table_name using errcode = 'insufficient_privilege';
   end $$`,
  `create trigger events_append_only before update or delete on events
     for each row execute function refuse_change()`,

  `create table rate_limits (
    key text not null,
    window_start timestamptz not null,
    hits integer not null,
    primary key (key, window_start)
  )`,
  `create index rate_limits_window_idx on rate_limits (window_start)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "rate_limits", "events", "comments", "votes", "idea_revisions", "ideas",
    "categories", "sessions", "members",
  ]) {
    await sql.raw(`drop table if exists ${table} cascade`).execute(db);
  }
  await sql.raw(`drop function if exists refuse_change()`).execute(db);
}
