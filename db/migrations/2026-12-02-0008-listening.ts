// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const CHANNELS = `('phone', 'email', 'store', 'event', 'support')`;

const up_statements = [
  // What staff heard from a member on another channel. Append-only: a correction is a new
  // row naming the one it corrects (the app role may not update or delete, see db/grants.ts).
  `create table interactions (
    id integer generated always as identity primary key,
    member_id integer not null references members (id),
    logged_by integer not null references members (id),
    channel text not null check (channel in ${CHANNELS}),
    happened_at timestamptz not null,
    summary text not null check (char_length(summary) between 1 and 5000),
    summary_html text not null,
    shared boolean not null default false,
    corrects_id integer references interactions (id),
    created_at timestamptz not null default now()
  )`,
  `create index interactions_member_idx on interactions (member_id, id desc)`,
  `create index interactions_shared_idx on interactions (member_id, id desc) where shared`,
  `create table interaction_ideas (
    interaction_id integer not null references interactions (id),
    idea_id integer not null references ideas (id),
    primary key (interaction_id, idea_id)
  )`,
  `create index interaction_ideas_idea_idx on interaction_ideas (idea_id)`,

  // A vote or comment staff recorded for a member from another channel: who logged it, from where.
  `alter table votes add column logged_by integer references members (id)`,
  `alter table votes add column channel text check (channel in ${CHANNELS})`,
  `create index votes_logged_idx on votes (idea_id) where logged_by is not null`,
  `alter table comments add column logged_by integer references members (id)`,
  `alter table comments add column channel text check (channel in ${CHANNELS})`,

  // Members may refuse messages from staff to a cohort.
  `alter table members add column staff_messages boolean not null default true`,

  // The member record reads status changes and moderation of a member's ideas from the log.
  `create index events_idea_outcomes_idx on events (idea_id, id desc)
     where type in ('idea.status_changed', 'idea.responded', 'idea.revisited', 'idea.merged', 'idea.unmerged')
        or type like 'moderation.%'`,
  // Cohorts: supporters of an idea, and up-votes on a tag's ideas, read from the index alone.
  `create index votes_idea_up_idx on votes (idea_id, member_id) where value = 1`,
  // Cohorts: "commented on ideas in category C in the last D days".
  `create index comments_idea_recent_idx on comments (idea_id, created_at) include (author_id) where deleted_at is null`,

  `create table cohorts (
    id integer generated always as identity primary key,
    name text not null check (char_length(name) between 1 and 80),
    criteria jsonb not null,
    created_by integer not null references members (id),
    created_at timestamptz not null default now()
  )`,
  `create index cohorts_recent_idx on cohorts (id desc)`,

  `create table cohort_messages (
    id integer generated always as identity primary key,
    cohort_id integer not null references cohorts (id),
    criteria jsonb not null,
    subject text not null check (char_length(subject) between 1 and 120),
    body text not null check (char_length(body) between 1 and 10000),
    body_html text not null,
    sent_by integer not null references members (id),
    created_at timestamptz not null default now(),
    delivered_through integer not null default 0,
    delivered_count integer not null default 0,
    finished_at timestamptz
  )`,
  `create index cohort_messages_cohort_idx on cohort_messages (cohort_id, id desc)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const statements = [
    `drop table if exists cohort_messages`,
    `drop table if exists cohorts`,
    `drop index if exists comments_idea_recent_idx`,
    `drop index if exists votes_idea_up_idx`,
    `drop index if exists events_idea_outcomes_idx`,
    `alter table members drop column staff_messages`,
    `alter table comments drop column channel`,
    `alter table comments drop column logged_by`,
    `drop index if exists votes_logged_idx`,
    `alter table votes drop column channel`,
    `alter table votes drop column logged_by`,
    `drop table if exists interaction_ideas`,
    `drop table if exists interactions`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
