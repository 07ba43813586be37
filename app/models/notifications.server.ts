import { sql } from "kysely";
import type { DB } from "../lib/db.server";
import type { NotificationKind } from "./notification";

/**
 * Tells everyone who cares about an idea (its voters and followers, except
 * the actor) about an event, in one INSERT … SELECT inside the caller's
 * transaction: no query per recipient, and nothing to deliver afterwards.
 */
export async function notifyIdeaAudience(
  db: DB,
  input: { eventId: string; ideaId: number; kind: NotificationKind; actorId: number | null },
): Promise<number> {
  const result = await sql`
    insert into notifications (member_id, event_id, kind, idea_id, actor_id)
    select audience.member_id, ${input.eventId}::bigint, ${input.kind}, ${input.ideaId}, ${input.actorId}::int
    from (
      select member_id from votes where idea_id = ${input.ideaId}
      union
      select member_id from idea_follows where idea_id = ${input.ideaId}
    ) audience
    join members on members.id = audience.member_id and members.deleted_at is null
    where audience.member_id is distinct from ${input.actorId}::int
    on conflict (member_id, event_id) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Tells one member about an event (never themselves). */
export async function notifyMember(
  db: DB,
  input: { memberId: number; eventId: string; kind: NotificationKind; ideaId: number | null; commentId?: number; actorId: number | null },
): Promise<void> {
  if (input.memberId === input.actorId) return;
  await db
    .insertInto("notifications")
    .values({
      member_id: input.memberId,
      event_id: input.eventId,
      kind: input.kind,
      idea_id: input.ideaId,
      comment_id: input.commentId ?? null,
      actor_id: input.actorId,
    })
    .onConflict((oc) => oc.columns(["member_id", "event_id"]).doNothing())
    .execute();
}

const UNREAD_CAP = 99;

/** Unread notifications, counted up to 99 (the header shows "99+"), served by a partial index. */
export async function countUnread(db: DB, memberId: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom("notifications")
        .select("id")
        .where("member_id", "=", memberId)
        .where("read_at", "is", null)
        .limit(UNREAD_CAP + 1)
        .as("unread"),
    )
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export const NOTIFICATIONS_PAGE = 30;

/** A member's notifications, newest first, with keyset pagination on id. */
export async function listNotifications(db: DB, memberId: number, before?: string) {
  let q = db
    .selectFrom("notifications")
    .innerJoin("events", "events.id", "notifications.event_id")
    .leftJoin("ideas", "ideas.id", "notifications.idea_id")
    .leftJoin("members as actor", "actor.id", "notifications.actor_id")
    .select([
      "notifications.id",
      "notifications.kind",
      "notifications.created_at",
      "notifications.read_at",
      "notifications.comment_id",
      "events.data",
      "ideas.id as idea_id",
      "ideas.title as idea_title",
      "ideas.status as idea_status",
      "actor.display_name as actor_name",
      "actor.handle as actor_handle",
      "actor.role as actor_role",
    ])
    .where("notifications.member_id", "=", memberId);
  if (before) q = q.where("notifications.id", "<", before);
  const rows = await q.orderBy("notifications.id", "desc").limit(NOTIFICATIONS_PAGE + 1).execute();
  const more = rows.length > NOTIFICATIONS_PAGE;
  const items = more ? rows.slice(0, NOTIFICATIONS_PAGE) : rows;
  return { items, nextBefore: more ? items[items.length - 1]!.id : null };
}

/** Marks one of the member's notifications read; returns where it points. */
export async function openNotification(db: DB, memberId: number, notificationId: string) {
  const row = await db
    .updateTable("notifications")
    .set({ read_at: new Date() })
    .where("id", "=", notificationId)
    .where("member_id", "=", memberId)
    .returning(["idea_id", "comment_id"])
    .executeTakeFirst();
  return row ?? null;
}

export async function markAllRead(db: DB, memberId: number): Promise<void> {
  await db
    .updateTable("notifications")
    .set({ read_at: new Date() })
    .where("member_id", "=", memberId)
    .where("read_at", "is", null)
    .execute();
}
