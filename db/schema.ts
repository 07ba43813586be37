/**
 * The typed shape of the database, used by Kysely. One interface per table;
 * keep it in step with db/migrations (the migrations are the truth).
 */
import type { ColumnType, Generated } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Identity = ColumnType<number, never, never>;

export const ROLES = ["member", "moderator", "product_manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const MODERATION_STATES = ["visible", "pending", "hidden", "deleted"] as const;
export type Moderation = (typeof MODERATION_STATES)[number];

export const FLAG_REASONS = ["spam", "abusive", "off_topic", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export type FlagTargetKind = "idea" | "comment" | "member";

export const IDEA_STATUSES = [
  "new",
  "under_review",
  "planned",
  "in_progress",
  "adopted",
  "declined",
  "duplicate",
] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/** Channels staff hear members on, outside the site. */
export const CHANNELS = ["phone", "email", "store", "event", "support"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface MembersTable {
  id: Identity;
  handle: string;
  display_name: string;
  email: string;
  password_hash: string | null;
  role: ColumnType<Role, Role | undefined, Role>;
  bio: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  suspended_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  suspension_reason: ColumnType<string | null, string | null | undefined, string | null>;
  moderation: ColumnType<"visible" | "pending" | "hidden", "visible" | "pending" | "hidden" | undefined, "visible" | "pending" | "hidden">;
  moderation_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Whether the member accepts messages staff send to a cohort. */
  staff_messages: ColumnType<boolean, boolean | undefined, boolean>;
  /** When the member proved the address is theirs (null: not yet; no notification mail). */
  email_verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  digest: ColumnType<DigestFrequency, DigestFrequency | undefined, DigestFrequency>;
  last_digest_at: ColumnType<Date | null, never, Date | string | null>;
  /** The rank the last monthly impact mail reported (null: none sent yet). */
  impact_rank: ColumnType<number | null, never, number | null>;
  /** The language the member chose for the site (null: the browser's). */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
  /** The uploaded avatar's version (a hash of its bytes, in its URL); null: initials. */
  avatar_version: ColumnType<string | null, string | null | undefined, string | null>;
  /** Whether the member's public page lists the ideas they up-voted. */
  show_votes: ColumnType<boolean, boolean | undefined, boolean>;
}

/** An uploaded avatar, re-encoded (WebP, square), served from /avatars/:handle/:version.webp. */
export interface MemberAvatarsTable {
  member_id: number;
  version: string;
  content_type: string;
  bytes: Uint8Array;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export const DIGEST_FREQUENCIES = ["daily", "weekly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export interface SessionsTable {
  id: string;
  member_id: number;
  expires_at: ColumnType<Date, Date, Date>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface CategoriesTable {
  id: Identity;
  slug: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  position: ColumnType<number, number | undefined, number>;
}

export interface IdeasTable {
  id: Identity;
  author_id: number;
  category_id: number | null;
  title: string;
  body: string;
  body_html: string;
  status: ColumnType<IdeaStatus, IdeaStatus | undefined, IdeaStatus>;
  score: Generated<number>;
  up_count: Generated<number>;
  down_count: Generated<number>;
  comment_count: Generated<number>;
  /** The trending key (app/models/ideas/ranking.ts), stored so the list is an index scan. */
  trending: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  edited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  duplicate_of_id: ColumnType<number | null, number | null | undefined, number | null>;
  owner_id: ColumnType<number | null, number | null | undefined, number | null>;
  status_changed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  first_response_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** A declined idea comes back for review on this day (YYYY-MM-DD). */
  revisit_on: ColumnType<string | null, string | null | undefined, string | null>;
  moderation: ColumnType<Moderation, Moderation | undefined, Moderation>;
  moderation_reason: ColumnType<string | null, string | null | undefined, string | null>;
  moderated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Set while the discussion is locked (all three together). */
  locked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  locked_by: ColumnType<number | null, number | null | undefined, number | null>;
  lock_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set while a new member's first post waits for a moderator's approval (moderation "pending"). */
  awaiting_approval_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface IdeaRevisionsTable {
  id: Identity;
  idea_id: number;
  editor_id: number;
  title: string;
  body: string;
  created_at: Timestamp;
}

export interface VotesTable {
  idea_id: number;
  member_id: number;
  value: -1 | 1;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Staff who recorded this vote for the member from another channel (null: the member's own click). */
  logged_by: ColumnType<number | null, number | null | undefined, number | null>;
  channel: ColumnType<Channel | null, Channel | null | undefined, Channel | null>;
}

export interface CommentsTable {
  id: Identity;
  idea_id: number;
  author_id: number;
  parent_id: number | null;
  body: string;
  body_html: string;
  created_at: Timestamp;
  edited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  moderation: ColumnType<Moderation, Moderation | undefined, Moderation>;
  moderation_reason: ColumnType<string | null, string | null | undefined, string | null>;
  moderated_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Staff who posted this comment for the member from another channel (null: the member's own). */
  logged_by: ColumnType<number | null, number | null | undefined, number | null>;
  channel: ColumnType<Channel | null, Channel | null | undefined, Channel | null>;
  awaiting_approval_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Append-only log of every state change; see docs/decisions/008-events-reactors-jobs.md. */
export interface EventsTable {
  id: ColumnType<string, never, never>;
  /** The writing transaction's id: consumers read the log in commit order by it. */
  tx_id: ColumnType<string, never, never>;
  type: string;
  /** The payload's version in the event catalogue (0: written before the catalogue). */
  version: number;
  actor_id: number | null;
  idea_id: number | null;
  comment_id: number | null;
  member_id: number | null;
  /** The actor's role when they acted (the audit log shows it). */
  actor_role: Role | null;
  data: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: Timestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export interface OfficialResponsesTable {
  id: Identity;
  idea_id: number;
  author_id: number | null;
  from_status: IdeaStatus;
  to_status: IdeaStatus;
  body: string;
  body_html: string;
  decline_reason: string | null;
  revisit_on: string | null;
  created_at: Timestamp;
}

export interface TagsTable {
  id: Identity;
  slug: string;
  name: string;
}

export interface IdeaTagsTable {
  idea_id: number;
  tag_id: number;
}

export interface IdeaFollowsTable {
  idea_id: number;
  member_id: number;
  created_at: Timestamp;
}

export interface CategoryFollowsTable {
  category_id: number;
  member_id: number;
  created_at: Timestamp;
}

export interface StaffNotesTable {
  id: Identity;
  idea_id: number;
  author_id: number;
  body: string;
  body_html: string;
  created_at: Timestamp;
}

export interface MergesTable {
  id: Identity;
  source_id: number;
  target_id: number;
  actor_id: number;
  source_status: IdeaStatus;
  moved_votes: ColumnType<{ member_id: number; value: -1 | 1 }[], string, never>;
  moved_follows: ColumnType<number[], string, never>;
  created_at: Timestamp;
  undone_at: ColumnType<Date | null, never, Date>;
  undone_by: ColumnType<number | null, never, number>;
}

export const NOTIFICATION_REASONS = [
  "audience", "idea_author", "comment_author", "content_author", "mentioned",
  "member_followed", "category_followed", "recipient", "badge_holder",
] as const;
export type NotificationReason = (typeof NOTIFICATION_REASONS)[number];

export interface NotificationsTable {
  id: ColumnType<string, never, never>;
  member_id: number;
  event_id: string;
  /** Why this member was told (what happened is the event's type). */
  reason: NotificationReason;
  idea_id: number | null;
  comment_id: number | null;
  actor_id: number | null;
  created_at: Timestamp;
  read_at: ColumnType<Date | null, never, Date>;
}

export interface FlagsTable {
  id: Identity;
  flagger_id: number;
  target_kind: FlagTargetKind;
  target_id: number;
  reason: FlagReason;
  note: ColumnType<string, string | undefined, string>;
  weight: number;
  status: ColumnType<"open" | "upheld" | "dismissed" | "withdrawn", "open" | undefined, "open" | "upheld" | "dismissed" | "withdrawn">;
  /** Whether the flagger had an established record when flagging (only those flags hide automatically). */
  established: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  resolved_at: ColumnType<Date | null, never, Date | null>;
  resolved_by: ColumnType<number | null, never, number | null>;
}

export interface CommentRevisionsTable {
  id: Identity;
  comment_id: number;
  editor_id: number;
  body: string;
  created_at: Timestamp;
}

export interface SuspensionsTable {
  id: Identity;
  member_id: number;
  actor_id: number;
  until: Timestamp;
  reason: string;
  created_at: Timestamp;
  lifted_at: ColumnType<Date | null, never, Date>;
  lifted_by: ColumnType<number | null, never, number>;
}

export const MODERATION_DECISION_ACTIONS = ["dismiss", "hide", "delete", "restore", "auto_hide", "auto_restore", "approve", "hold"] as const;
export type ModerationDecisionAction = (typeof MODERATION_DECISION_ACTIONS)[number];

export interface ModerationDecisionsTable {
  id: Identity;
  target_kind: FlagTargetKind;
  target_id: number;
  actor_id: number | null;
  action: ModerationDecisionAction;
  before: Moderation;
  after: Moderation;
  reason: string | null;
  flags_resolved: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** Append-only: a correction is a new row naming the one it corrects. */
export interface InteractionsTable {
  id: Identity;
  member_id: number;
  logged_by: number;
  channel: Channel;
  happened_at: Timestamp;
  summary: string;
  summary_html: string;
  /** Whether the member may see it (default private). */
  shared: ColumnType<boolean, boolean | undefined, never>;
  corrects_id: ColumnType<number | null, number | null | undefined, never>;
  created_at: Timestamp;
}

export interface InteractionIdeasTable {
  interaction_id: number;
  idea_id: number;
}

export interface CohortsTable {
  id: Identity;
  name: string;
  criteria: ColumnType<unknown, string, string>;
  created_by: number;
  created_at: Timestamp;
}

export interface CohortMessagesTable {
  id: Identity;
  cohort_id: number;
  /** The cohort's criteria when sent (a later edit of the cohort does not change who gets it). */
  criteria: ColumnType<unknown, string, never>;
  subject: string;
  body: string;
  body_html: string;
  sent_by: number;
  created_at: Timestamp;
  /** Delivery progress: members up to this id have been handled (a retried job carries on). */
  delivered_through: ColumnType<number, never, number>;
  delivered_count: ColumnType<number, never, number>;
  finished_at: ColumnType<Date | null, never, Date>;
}

export type EmailTokenPurpose = "verify_email" | "reset_password";

export interface EmailTokensTable {
  id: Identity;
  member_id: number;
  purpose: EmailTokenPurpose;
  /** SHA-256 of the token (the token itself is only in the mail). */
  token_hash: string;
  /** The address the link was sent to (for a changed e-mail: the new one). */
  email: string;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, never, Date>;
  created_at: Timestamp;
}

export const MAIL_STATES = ["queued", "sent", "failed"] as const;
export type MailState = (typeof MAIL_STATES)[number];

export interface MailDeliveriesTable {
  id: ColumnType<string, never, never>;
  key: string;
  kind: string;
  member_id: number | null;
  event_id: string | null;
  to_address: string;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  state: ColumnType<MailState, MailState | undefined, MailState>;
  attempts: ColumnType<number, never, number>;
  transport: string | null;
  smtp_response: string | null;
  created_at: Timestamp;
  sent_at: ColumnType<Date | null, never, Date | null>;
  updated_at: Timestamp;
}

export const MAIL_CHOICES = ["in_app", "email", "digest", "off"] as const;
export type MailChoice = (typeof MAIL_CHOICES)[number];

export interface MailPreferencesTable {
  member_id: number;
  kind: string;
  choice: MailChoice;
  updated_at: Timestamp;
}

export interface SiteSecretsTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

/** Points derived from events; see docs/decisions/015-points-rank-badges.md. */
export interface PointsLedgerTable {
  id: ColumnType<string, never, never>;
  member_id: number;
  event_id: string;
  reason: string;
  subject: string;
  key: string;
  points: number;
  idea_id: number | null;
  month_key: string;
  created_at: Timestamp;
}

/** A member's points in a scope: 'all', 'month:YYYY-MM', 'category:<id>'. */
export interface MemberScoresTable {
  scope: string;
  member_id: number;
  points: ColumnType<number, number | undefined, number>;
}

/** How many members of a scope have each points value (ranks are sums over it). */
export interface PointsHistogramTable {
  scope: string;
  points: number;
  members: number;
}

/** The histogram by bucket of 256 points (bucket = floor(points / 256)). */
export interface PointsBucketsTable {
  scope: string;
  bucket: number;
  members: number;
}

export interface DuplicateProposalsTable {
  id: Identity;
  source_id: number;
  target_id: number;
  proposer_id: number;
  status: ColumnType<"open" | "accepted" | "rejected", "open" | undefined, "accepted" | "rejected">;
  created_at: Timestamp;
  decided_at: ColumnType<Date | null, never, Date>;
  decided_by: ColumnType<number | null, never, number | null>;
  merge_event_id: ColumnType<string | null, never, string>;
}

export interface MemberFollowsTable {
  follower_id: number;
  member_id: number;
  created_at: Timestamp;
}

export interface MemberBadgesTable {
  member_id: number;
  badge: string;
  event_id: string;
  awarded_at: Timestamp;
}

export interface BadgeCountsTable {
  badge: string;
  holders: number;
}

export interface Database {
  members: MembersTable;
  sessions: SessionsTable;
  categories: CategoriesTable;
  ideas: IdeasTable;
  idea_revisions: IdeaRevisionsTable;
  votes: VotesTable;
  comments: CommentsTable;
  events: EventsTable;
  rate_limits: RateLimitsTable;
  official_responses: OfficialResponsesTable;
  tags: TagsTable;
  idea_tags: IdeaTagsTable;
  idea_follows: IdeaFollowsTable;
  category_follows: CategoryFollowsTable;
  staff_notes: StaffNotesTable;
  merges: MergesTable;
  notifications: NotificationsTable;
  flags: FlagsTable;
  settings: SettingsTable;
  comment_revisions: CommentRevisionsTable;
  suspensions: SuspensionsTable;
  moderation_decisions: ModerationDecisionsTable;
  interactions: InteractionsTable;
  interaction_ideas: InteractionIdeasTable;
  cohorts: CohortsTable;
  cohort_messages: CohortMessagesTable;
  email_tokens: EmailTokensTable;
  mail_deliveries: MailDeliveriesTable;
  mail_preferences: MailPreferencesTable;
  site_secrets: SiteSecretsTable;
  points_ledger: PointsLedgerTable;
  member_scores: MemberScoresTable;
  points_histogram: PointsHistogramTable;
  points_buckets: PointsBucketsTable;
  member_badges: MemberBadgesTable;
  member_follows: MemberFollowsTable;
  duplicate_proposals: DuplicateProposalsTable;
  badge_counts: BadgeCountsTable;
  member_avatars: MemberAvatarsTable;
}

