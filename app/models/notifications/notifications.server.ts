import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { keysetPage } from "../shared/keyset.server";
import { describeNotification } from "./notification";

/**
 * Unread notifications are counted up to this many + 1 (the header shows "99+"), read with
 * the session (lib/auth.server.ts) and served by a partial index.
 */
export const UNREAD_CAP = 99;

export const NOTIFICATIONS_PAGE = 30;

/** A member's notifications, newest first, keyset-paginated, each with its sentence. */
export async function listNotifications(db: DB, memberId: number, cursor?: string | null) {
  const q = db
    .selectFrom("notifications")
    .innerJoin("events", "events.id", "notifications.event_id")
    .leftJoin("ideas", "ideas.id", "notifications.idea_id")
    .leftJoin("members as actor", "actor.id", "notifications.actor_id")
    .leftJoin("moderation_decisions as decision", (join) =>
      join.on(sql<boolean>`decision.id = case when events.type like 'moderation.%' then (events.data->>'decisionId')::int end`),
    )
    .leftJoin("cohort_messages as message", (join) =>
      join.on(sql<boolean>`message.id = case when events.type = 'cohort.messaged' then (events.data->>'messageId')::int end`),
    )
    .select([
      "message.subject as message_subject",
      "notifications.id",
      "notifications.reason",
      "notifications.created_at",
      "notifications.read_at",
      "notifications.comment_id",
      "events.type",
      "events.data",
      "ideas.id as idea_id",
      "ideas.title as idea_title",
      "ideas.status as idea_status",
      "actor.display_name as actor_name",
      "decision.target_kind as decision_kind",
      "decision.after as decision_after",
      "decision.reason as decision_reason",
    ])
    .where("notifications.member_id", "=", memberId);
  const page = await keysetPage(q, { key: null, id: "notifications.id", idType: "bigint", direction: "desc", cursor, limit: NOTIFICATIONS_PAGE });
  return {
    items: page.items.map((n) => ({
      id: String(n.id),
      type: n.type,
      createdAt: new Date(n.created_at).toISOString(),
      unread: n.read_at === null,
      ideaId: n.idea_id,
      ideaTitle: n.idea_title,
      ideaStatus: n.idea_status,
      text: describeNotification({
        type: n.type,
        reason: n.reason,
        data: n.data as Record<string, unknown>,
        actorName: n.actor_name,
        ideaTitle: n.idea_title,
        decision: n.decision_kind ? { kind: n.decision_kind, after: n.decision_after!, reason: n.decision_reason } : null,
        messageSubject: n.message_subject,
      }),
    })),
    nextCursor: page.nextCursor,
  };
}

/** Marks one of the member's notifications read (when `markRead`) and returns where it points. */
export async function openNotification(db: DB, memberId: number, notificationId: string, markRead: boolean) {
  const row = markRead
    ? await db
        .updateTable("notifications")
        .set({ read_at: new Date() })
        .where("id", "=", notificationId)
        .where("member_id", "=", memberId)
        .returning(["idea_id", "comment_id", "event_id"])
        .executeTakeFirst()
    : await db
        .selectFrom("notifications")
        .select(["idea_id", "comment_id", "event_id"])
        .where("id", "=", notificationId)
        .where("member_id", "=", memberId)
        .executeTakeFirst();
  if (!row) return null;
  // A message to a cohort opens on its own page, a badge on the badge's page.
  const event = row.idea_id
    ? null
    : await db
        .selectFrom("events")
        .select([
          sql<number | null>`case when type = 'cohort.messaged' then (data->>'messageId')::int end`.as("message_id"),
          sql<string | null>`data->>'badge'`.as("badge"),
        ])
        .where("id", "=", row.event_id)
        .executeTakeFirst();
  return { idea_id: row.idea_id, comment_id: row.comment_id, message_id: event?.message_id ?? null, badge: event?.badge ?? null };
}

export async function markAllRead(db: DB, memberId: number): Promise<void> {
  await db
    .updateTable("notifications")
    .set({ read_at: new Date() })
    .where("member_id", "=", memberId)
    .where("read_at", "is", null)
    .execute();
}
