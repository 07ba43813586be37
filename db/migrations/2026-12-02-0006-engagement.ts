// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const up_statements = [
  // The points ledger: derived from the events log by reactors, never written by hand.
  // One row per (event, member, reason): a replayed event or a retried job adds nothing.
  // `subject` is what the points are for ('idea:12', 'comment:40', 'flag:7'), `key` the rule
  // within it ('posted', 'vote:33', 'status:adopted:author', 'moderation').
  `create table points_ledger (
    id bigint generated always as identity primary key,
    member_id integer not null references members (id),
    event_id bigint not null references events (id),
    reason text not null,
    subject text not null,
    key text not null,
    points integer not null,
    idea_id integer references ideas (id),
    month_key text not null check (month_key ~ '^[0-9]{4}-[0-9]{2}$'),
    created_at timestamptz not null,
    unique (event_id, member_id, reason)
  )`,
  `create index points_ledger_subject_idx on points_ledger (subject, member_id, key)`,
  `create index points_ledger_member_idx on points_ledger (member_id, id desc)`,
  `create index points_ledger_idea_idx on points_ledger (idea_id) where idea_id is not null`,

  // Totals per scope ('all', 'month:2026-12', 'category:3'), updated in the ledger's transaction.
  // Every member has an 'all' row; month and category rows appear with the first points there.
  `create table member_scores (
    scope text not null,
    member_id integer not null references members (id),
    points integer not null default 0,
    primary key (scope, member_id)
  )`,
  `create index member_scores_board_idx on member_scores (scope, points, member_id)`,
  // How many members of a scope have each points value: a rank is 1 + the members above,
  // a sum over the (few) distinct values above, never a count over members.
  `create table points_histogram (
    scope text not null,
    points integer not null,
    members integer not null,
    primary key (scope, points)
  )`,
  // The same counts by bucket of 256 points (floor(points / 256)): a rank sums the buckets
  // above the member's (a few hundred rows at most) and the values above theirs in their bucket.
  `create table points_buckets (
    scope text not null,
    bucket integer not null,
    members integer not null,
    primary key (scope, bucket)
  )`,
  // Badges, awarded by reactors and never taken back; the catalogue is in code
  // (app/models/engagement/badges.ts), the holders per badge a stored counter.
  `create table member_badges (
    member_id integer not null references members (id),
    badge text not null check (badge ~ '^[a-z0-9-]{1,40}$'),
    event_id bigint not null references events (id),
    awarded_at timestamptz not null,
    primary key (member_id, badge)
  )`,
  `create index member_badges_holders_idx on member_badges (badge, awarded_at, member_id)`,
  `create table badge_counts (
    badge text primary key,
    holders integer not null
  )`,
  `alter table notifications drop constraint notifications_reason_check`,
  `alter table notifications add constraint notifications_reason_check
     check (reason in ('audience', 'idea_author', 'comment_author', 'content_author', 'mentioned',
       'member_followed', 'category_followed', 'recipient', 'badge_holder'))`,
  // Following members: whose ideas and comments a member wants to see and hear about.
  `create table member_follows (
    follower_id integer not null references members (id),
    member_id integer not null references members (id),
    created_at timestamptz not null default now(),
    primary key (follower_id, member_id),
    check (follower_id <> member_id)
  )`,
  `create index member_follows_member_idx on member_follows (member_id, follower_id)`,
  // Members with enough points propose that an idea duplicates another; the product team merges
  // (which accepts the proposal, in the merge's transaction) or rejects it.
  `create table duplicate_proposals (
    id integer generated always as identity primary key,
    source_id integer not null references ideas (id),
    target_id integer not null references ideas (id),
    proposer_id integer not null references members (id),
    status text not null default 'open' check (status in ('open', 'accepted', 'rejected')),
    created_at timestamptz not null default now(),
    decided_at timestamptz,
    decided_by integer references members (id),
    merge_event_id bigint references events (id),
    check (source_id <> target_id)
  )`,
  `create unique index duplicate_proposals_open_idx on duplicate_proposals (source_id, proposer_id) where status = 'open'`,
  `create index duplicate_proposals_queue_idx on duplicate_proposals (id) where status = 'open'`,
  `create index duplicate_proposals_merge_idx on duplicate_proposals (merge_event_id) where merge_event_id is not null`,
  `insert into member_scores (scope, member_id, points) select 'all', id, 0 from members`,
  `insert into points_histogram (scope, points, members) select 'all', 0, count(*) from members having count(*) > 0`,
  `insert into points_buckets (scope, bucket, members) select 'all', 0, count(*) from members having count(*) > 0`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`delete from notifications where reason = 'badge_holder'`).execute(db);
  await sql.raw(`alter table notifications drop constraint notifications_reason_check`).execute(db);
  await sql.raw(`alter table notifications add constraint notifications_reason_check
     check (reason in ('audience', 'idea_author', 'comment_author', 'content_author', 'mentioned',
       'member_followed', 'category_followed', 'recipient'))`).execute(db);
  for (const t of ["duplicate_proposals", "member_follows", "badge_counts", "member_badges", "points_buckets", "points_histogram", "member_scores", "points_ledger"]) await sql.raw(`drop table if exists ${t}`).execute(db);
}
