// Frozen in time: never import app code here; a later change gets a new migration.
import { sql, type Kysely } from "kysely";

const up_statements = [
  // Thread locking (PRODUCT.md C4): a moderator or staff member closes an idea's discussion
  // to new comments, with a reason members see.
  `alter table ideas add column locked_at timestamptz`,
  `alter table ideas add column locked_by integer references members (id)`,
  `alter table ideas add column lock_reason text`,
  `alter table ideas add constraint ideas_lock_check check ((locked_at is null) = (locked_by is null) and (locked_at is null) = (lock_reason is null))`,
  // First posts wait for approval: a held idea or comment is "pending" and stamped here until a
  // moderator approves or removes it. The queue reads the oldest first through these indexes.
  `alter table ideas add column awaiting_approval_since timestamptz`,
  `alter table comments add column awaiting_approval_since timestamptz`,
  `create index ideas_awaiting_approval_idx on ideas (awaiting_approval_since, id) where awaiting_approval_since is not null`,
  `create index comments_awaiting_approval_idx on comments (awaiting_approval_since, id) where awaiting_approval_since is not null`,
  // Approval decisions are moderation decisions too.
  `alter table moderation_decisions drop constraint if exists moderation_decisions_action_check`,
  `alter table moderation_decisions add constraint moderation_decisions_action_check
     check (action in ('dismiss', 'hide', 'delete', 'restore', 'auto_hide', 'auto_restore', 'approve', 'hold'))`,
];

const down_statements = [
  `delete from moderation_decisions where action in ('approve', 'hold')`,
  `alter table moderation_decisions drop constraint if exists moderation_decisions_action_check`,
  `alter table moderation_decisions add constraint moderation_decisions_action_check
     check (action in ('dismiss', 'hide', 'delete', 'restore', 'auto_hide', 'auto_restore'))`,
  `drop index if exists comments_awaiting_approval_idx`,
  `drop index if exists ideas_awaiting_approval_idx`,
  `alter table comments drop column awaiting_approval_since`,
  `alter table ideas drop column awaiting_approval_since`,
  `alter table ideas drop constraint ideas_lock_check`,
  `alter table ideas drop column lock_reason`,
  `alter table ideas drop column locked_by`,
  `alter table ideas drop column locked_at`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of up_statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const statement of down_statements) await sql.raw(statement).execute(db);
}
