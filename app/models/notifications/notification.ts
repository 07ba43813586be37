import type { IdeaStatus, NotificationReason } from "../../../db/schema";
import { STATUS_LABELS } from "../ideas/idea";
import { CHANNEL_PHRASES } from "../listening/listening";
import type { Channel } from "../../../db/schema";
import { badgeName } from "../engagement/badges";

/** What the list shows of one notification; the sentence is written here, when shown. */
export interface NotificationView {
  type: string;
  reason: NotificationReason;
  data: Record<string, unknown>;
  actorName: string | null;
  ideaTitle: string | null;
  /** For moderation events: the decision. */
  decision: { kind: string; after: string; reason: string | null } | null;
  /** For a message to a cohort: its subject. */
  messageSubject?: string | null;
}

/** Why the member is told: the end of the sentence ("…, an idea you voted for or follow"). */
export const REASON_PHRASES: Record<NotificationReason, string> = {
  audience: "you voted for or follow this idea",
  idea_author: "it is your idea",
  comment_author: "it is a reply to you",
  content_author: "it is your post",
  mentioned: "you were mentioned",
  member_followed: "you follow this member",
  category_followed: "you follow this category",
  recipient: "it is for you",
  badge_holder: "you earned it",
};

/** The sentence a notification shows. */
export function describeNotification(n: NotificationView): string {
  const who = n.actorName ?? "Someone";
  const idea = n.ideaTitle ? `“${n.ideaTitle}”` : "an idea";
  const to = STATUS_LABELS[n.data.to as IdeaStatus] ?? String(n.data.to ?? "");
  const onBehalf = n.data.onBehalf as { channel?: string } | undefined;
  if (n.reason === "recipient" && onBehalf) {
    const from = CHANNEL_PHRASES[onBehalf.channel as Channel] ?? "from another channel";
    if (n.type === "comment.added") return `${who} posted your comment on ${idea} for you, ${from}.`;
    if (n.type === "vote.retracted") return `${who} took back your vote on ${idea} for you, ${from}.`;
    return `${who} recorded your vote on ${idea} for you, ${from}.`;
  }
  // A new idea from what the member follows, whether just posted or just approved by a moderator.
  if (n.reason === "category_followed") return `${who} posted a new idea, ${idea}, in a category you follow.`;
  if (n.reason === "member_followed") return `${who}, whom you follow, posted a new idea: ${idea}.`;
  switch (n.type) {
    case "cohort.messaged":
      return `Message from ${who}: ${n.messageSubject ?? "(no subject)"}`;
    case "idea.status_changed":
      return `${idea} is now ${to}: ${who} posted an official response.`;
    case "idea.responded":
      return `${who} posted an official response on ${idea}.`;
    case "comment.added":
      if (n.reason === "mentioned") return `${who} mentioned you in a comment on ${idea}.`;
      return n.reason === "comment_author" ? `${who} replied to your comment on ${idea}.` : `${who} commented on your idea ${idea}.`;
    case "idea.revisited":
      return `${idea} is back under review: its revisit date has come.`;
    case "idea.merged":
      return `${idea} was merged into another idea; your vote now counts there.`;
    case "idea.unmerged":
      return `The merge of ${idea} was undone: it stands on its own again, with its own votes.`;
    case "moderation.approved":
      // The author hears of the approval; the others of the comment it made public.
      return n.reason === "comment_author" ? `A new reply to your comment on ${idea}.`
        : n.reason === "idea_author" ? `A new comment on your idea ${idea}.`
        : `Your ${n.decision?.kind === "comment" ? `comment on ${idea}` : `idea ${idea}`} was approved by a moderator and is public now.`;
    case "moderation.auto_hidden":
    case "moderation.auto_restored":
    case "moderation.dismissed":
    case "moderation.hidden":
    case "moderation.deleted":
    case "moderation.restored": {
      const d = n.decision;
      const what = d?.kind === "comment" ? `your comment on ${idea}` : d?.kind === "member" ? "your profile" : `your idea ${idea}`;
      const verb =
        d?.after === "pending" ? "is hidden while moderators review it"
        : d?.after === "hidden" ? "was hidden by a moderator"
        : d?.after === "deleted" ? "was removed by a moderator"
        : "is visible again";
      return `${what[0]!.toUpperCase()}${what.slice(1)} ${verb}${d?.reason ? `: ${d.reason}` : "."}`;
    }
    case "idea.posted":
      return `${who}, whom you follow, posted a new idea: ${idea}.`;
    case "badge.awarded":
      return `You earned the badge “${badgeName(String(n.data.badge ?? ""))}”.`;
    default:
      return `Something happened on ${idea}.`;
  }
}
