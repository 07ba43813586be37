import type { IdeaStatus } from "../../db/schema";
import { STATUS_LABELS } from "./idea";

/** What a notification is about; the text is written when it is shown. */
export const NOTIFICATION_KINDS = [
  "status_changed",
  "official_response",
  "comment_on_idea",
  "reply_to_comment",
  "idea_revisited",
  "idea_merged",
  "moderation",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The sentence a notification shows. */
export function describeNotification(n: {
  kind: string;
  actor_name: string | null;
  idea_title: string | null;
  data: Record<string, unknown>;
}): string {
  const who = n.actor_name ?? "Someone";
  const idea = n.idea_title ? `“${n.idea_title}”` : "an idea";
  const to = STATUS_LABELS[n.data.to as IdeaStatus] ?? String(n.data.to ?? "");
  switch (n.kind) {
    case "status_changed":
      return `${idea} is now ${to}: ${who} posted an official response.`;
    case "official_response":
      return `${who} posted an official response on ${idea}.`;
    case "comment_on_idea":
      return `${who} commented on your idea ${idea}.`;
    case "reply_to_comment":
      return `${who} replied to your comment on ${idea}.`;
    case "idea_revisited":
      return `${idea} is back under review: its revisit date has come.`;
    case "idea_merged":
      return `${idea} was merged into another idea; your vote now counts there.`;
    case "moderation": {
      const what = n.data.kind === "comment" ? `your comment on ${idea}` : n.data.kind === "member" ? "your profile" : `your idea ${idea}`;
      const verb =
        n.data.after === "pending" ? "is hidden while moderators review it"
        : n.data.after === "hidden" ? "was hidden by a moderator"
        : n.data.after === "deleted" ? "was removed by a moderator"
        : "is visible again";
      return `${what[0]!.toUpperCase()}${what.slice(1)} ${verb}${n.data.reason ? `: ${String(n.data.reason)}` : "."}`;
    }
    default:
      return `Something happened on ${idea}.`;
  }
}
