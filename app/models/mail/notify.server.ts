import { sql } from "kysely";
import type { NotificationReason } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { jobQueue } from "../../lib/queue.server";
import type { EventType } from "../events/catalogue";
import type { StoredEvent } from "../events/events.server";
import { ideaPath } from "../ideas/idea";
import { describeNotification } from "../notifications/notification";
import type { ReactorTable } from "../reactors.server";
import { DEFAULT_CHOICES, WHY_PHRASES, kindForReason } from "./kinds";
import { oneLine, renderMail } from "./layout";
import { queueDeliveries, siteLink, unsubscribeParts, type NewDelivery } from "./mail.server";
import { unsubscribeSigner } from "./tokens.server";

/**
 * Notification e-mail. The in-app reactor has already written one
 * notification per member per event (whatever number of reasons they had);
 * this reactor only enqueues one `mail-notifications` job for the batch, so
 * a change with 10,000 followers commits without rendering a single mail.
 * The job reads those notifications, keeps the members who want e-mail for
 * that kind (verified address, "e-mail at once"), and queues one keyed
 * delivery each (`notify:<event>:<member>`).
 */

export const NOTIFY_JOB = "mail-notifications";

/** Events older than this are history being replayed (the demo seed): no mail about them. */
const STALE_AFTER_MS = 10 * 60_000;

const enqueueMail = async (trx: DB, events: StoredEvent[]) => {
  const fresh = events.filter((e) => Date.now() - e.createdAt.getTime() < STALE_AFTER_MS).map((e) => e.id);
  if (!fresh.length) return;
  // Only events that told someone (most comments tell nobody but the idea's author, who may be the commenter).
  const told = await trx.selectFrom("notifications").select("event_id").where("event_id", "in", fresh).limit(1).executeTakeFirst();
  if (told) await jobQueue().enqueue(trx, NOTIFY_JOB, { eventIds: fresh });
};

const MAILED: EventType[] = [
  "idea.posted", "moderation.approved", "idea.status_changed", "idea.responded", "idea.revisited", "idea.merged", "idea.unmerged", "comment.added",
  "moderation.auto_hidden", "moderation.auto_restored", "moderation.dismissed", "moderation.hidden", "moderation.deleted", "moderation.restored",
];

export const mailReactors: ReactorTable = Object.fromEntries(MAILED.map((type) => [type, [enqueueMail]]));

const SUBJECTS: Partial<Record<EventType, (idea: string) => string>> = {
  "idea.status_changed": (idea) => `Update on “${idea}”`,
  "idea.responded": (idea) => `An official response on “${idea}”`,
  "idea.revisited": (idea) => `“${idea}” is back under review`,
  "idea.merged": (idea) => `“${idea}” was merged`,
  "idea.unmerged": (idea) => `“${idea}” stands on its own again`,
};

function subjectFor(type: string, reason: NotificationReason, idea: string | null, actor: string | null): string {
  const title = oneLine(idea ?? "an idea", 80);
  if (reason === "category_followed") return `New idea in a category you follow: “${title}”`;
  if (reason === "member_followed") return `${actor ?? "Someone"} you follow posted “${title}”`;
  if (type === "comment.added") {
    if (reason === "mentioned") return `${actor ?? "Someone"} mentioned you on “${title}”`;
    return reason === "comment_author" ? `${actor ?? "Someone"} replied to you on “${title}”` : `New comment on your idea “${title}”`;
  }
  if (type.startsWith("moderation.")) return "About your post";
  return SUBJECTS[type as EventType]?.(title) ?? `News on “${title}”`;
}

/** The job: one mail per notification of these events whose member wants it by e-mail now. */
export async function mailNotifications(db: DB, eventIds: string[]): Promise<number> {
  if (!eventIds.length) return 0;
  const rows = await db
    .selectFrom("notifications")
    .innerJoin("events", "events.id", "notifications.event_id")
    .innerJoin("members", "members.id", "notifications.member_id")
    .leftJoin("mail_preferences as pref", (join) =>
      join.onRef("pref.member_id", "=", "notifications.member_id").on(
        "pref.kind",
        "=",
        sql<string>`case notifications.reason when 'comment_author' then 'reply' when 'idea_author' then 'idea_comment'
          when 'mentioned' then 'mention' when 'content_author' then 'moderation' else 'idea_update' end`,
      ),
    )
    .leftJoin("ideas", "ideas.id", "notifications.idea_id")
    .leftJoin("members as actor", "actor.id", "notifications.actor_id")
    .leftJoin("moderation_decisions as decision", (join) =>
      join.on(sql<boolean>`decision.id = case when events.type like 'moderation.%' then (events.data->>'decisionId')::int end`),
    )
    .leftJoin("comments", "comments.id", "notifications.comment_id")
    .select([
      "notifications.member_id", "notifications.reason", "notifications.comment_id", "events.id as event_id", "events.type", "events.data",
      "members.email", "pref.choice", "ideas.id as idea_id", "ideas.title as idea_title", "actor.display_name as actor_name",
      "decision.target_kind as decision_kind", "decision.after as decision_after", "decision.reason as decision_reason",
      "comments.body as comment_body",
    ])
    .where("notifications.event_id", "in", eventIds)
    .where("members.deleted_at", "is", null)
    .where("members.email_verified_at", "is not", null)
    .execute();

  const sign = await unsubscribeSigner(db);
  const preferencesUrl = siteLink("/account#preferences");
  const deliveries: NewDelivery[] = [];
  for (const n of rows) {
    const kind = kindForReason(n.reason);
    if ((n.choice ?? DEFAULT_CHOICES[kind]) !== "email") continue;
    const sentence = describeNotification({
      type: n.type,
      reason: n.reason,
      data: n.data as Record<string, unknown>,
      actorName: n.actor_name,
      ideaTitle: n.idea_title,
      decision: n.decision_kind ? { kind: n.decision_kind, after: n.decision_after!, reason: n.decision_reason } : null,
    });
    const ideaUrl = n.idea_id ? siteLink(`${ideaPath({ id: n.idea_id, title: n.idea_title ?? "" })}${n.comment_id ? `#comment-${n.comment_id}` : ""}`) : siteLink("/notifications");
    const excerpt = n.type === "comment.added" && n.comment_body ? [`“${oneLine(n.comment_body, 300)}”`] : [];
    const unsubscribe = unsubscribeParts(sign(n.member_id, kind));
    const mail = renderMail({
      subject: subjectFor(n.type, n.reason, n.idea_title, n.actor_name),
      heading: sentence,
      paragraphs: excerpt,
      action: { label: n.idea_id ? "Open the idea" : "Open your notifications", url: ideaUrl },
      why: WHY_PHRASES[kind],
      preferencesUrl,
      unsubscribeUrl: unsubscribe.url,
    });
    deliveries.push({
      key: `notify:${n.event_id}:${n.member_id}`,
      kind,
      memberId: n.member_id,
      eventId: String(n.event_id),
      to: n.email,
      ...mail,
      headers: unsubscribe.headers,
    });
  }
  if (!deliveries.length) return 0;
  // The deliveries and the jobs that send them commit together (a retry finds the keys taken, and the jobs there).
  return db.transaction().execute((trx) => queueDeliveries(trx, deliveries));
}
