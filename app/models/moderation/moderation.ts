import type { FlagReason, FlagTargetKind, Moderation } from "../../../db/schema";

export const FLAG_REASON_LABELS: Record<FlagReason, string> = {
  spam: "Spam or advertising",
  abusive: "Abusive or disrespectful",
  off_topic: "Off-topic",
  other: "Something else",
};

export const MODERATION_LABELS: Record<Moderation, string> = {
  visible: "Visible",
  pending: "Hidden pending review",
  hidden: "Hidden by a moderator",
  deleted: "Removed by a moderator",
};

export const MODERATION_ACTIONS = ["dismiss", "hide", "delete", "restore"] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** What a reader who may not see a post reads in its place. */
export function placeholderText(kind: FlagTargetKind, state: Moderation, reason: string | null): string {
  const what = kind === "comment" ? "comment" : kind === "idea" ? "idea" : "profile";
  const base =
    state === "pending" ? `This ${what} is hidden while moderators review it.`
    : state === "deleted" ? `This ${what} was removed by a moderator.`
    : `This ${what} was hidden by a moderator.`;
  return state !== "pending" && reason ? `${base} Reason: ${reason}` : base;
}
