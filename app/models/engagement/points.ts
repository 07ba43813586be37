/**
 * Points: the reasons a ledger row can have, and how they read on a member's
 * page. Pure (safe for the browser). The rules live in points.server.ts.
 */
export const POINTS_REASONS = [
  "idea_posted",
  "vote_received",
  "comment_posted",
  "reply_received",
  "idea_under_review",
  "idea_planned",
  "idea_adopted",
  "supporter_planned",
  "supporter_adopted",
  "flag_upheld",
  "duplicate_accepted",
  "post_hidden",
  "post_restored",
  "comment_deleted",
  "profile_complete",
] as const;
export type PointsReason = (typeof POINTS_REASONS)[number];

export const POINTS_REASON_LABELS: Record<PointsReason, string> = {
  idea_posted: "Posted an idea",
  vote_received: "Up-votes received",
  comment_posted: "Comments",
  reply_received: "Replies received",
  idea_under_review: "An idea went under review",
  idea_planned: "An idea was planned",
  idea_adopted: "An idea was adopted",
  supporter_planned: "Backed early an idea that was planned",
  supporter_adopted: "Backed early an idea that was adopted",
  flag_upheld: "Flags moderators upheld",
  duplicate_accepted: "Duplicates spotted and merged",
  post_hidden: "Posts hidden by moderation",
  post_restored: "Posts restored by moderation",
  comment_deleted: "Comments deleted",
  profile_complete: "Completed their profile",
};

/** How many of an idea's first up-voters share its credit (as on Ideas in Action). */
export const FIRST_SUPPORTERS = 5;

/** The month a moment belongs to, in UTC: "2026-12". */
export const monthKey = (at: Date) => at.toISOString().slice(0, 7);

export type BoardPeriod = "all" | "month";

/** The scope of a leaderboard: all time, one month, or one category (all time). */
export function scopeOf(board: { period: BoardPeriod; categoryId?: number | null }, now = new Date()): string {
  if (board.categoryId) return `category:${board.categoryId}`;
  return board.period === "month" ? `month:${monthKey(now)}` : "all";
}
