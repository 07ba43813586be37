import type { Role } from "../../db/schema";
import type { DB } from "../lib/db.server";

/** Every kind of event the product records, in `subject.verb` form. */
export type EventType =
  | "member.joined"
  | "idea.posted"
  | "idea.edited"
  | "idea.status_changed"
  | "idea.responded"
  | "idea.revisited"
  | "idea.merged"
  | "idea.unmerged"
  | "idea.categorised"
  | "idea.tagged"
  | "idea.assigned"
  | "idea.followed"
  | "idea.unfollowed"
  | "staff_note.added"
  | "settings.changed"
  | "flag.raised"
  | "flag.withdrawn"
  | "moderation.dismissed"
  | "moderation.hidden"
  | "moderation.deleted"
  | "moderation.restored"
  | "moderation.auto_hidden"
  | "member.suspended"
  | "member.unsuspended"
  | "member.role_changed"
  | "vote.cast"
  | "vote.changed"
  | "vote.retracted"
  | "comment.added"
  | "comment.edited"
  | "comment.deleted";

export interface NewEventInput {
  type: EventType;
  actorId: number | null;
  /** Recorded for staff actions: the role the actor acted in. */
  actorRole?: Role | null;
  ideaId?: number | null;
  commentId?: number | null;
  memberId?: number | null;
  data?: Record<string, unknown>;
  /** When it happened, if not now (the demo seed replays a past). */
  at?: Date;
}

/**
 * Appends one event and returns its id. Call it with the transaction that
 * makes the change, so the change and its record commit or fail together.
 */
export async function appendEvent(db: DB, event: NewEventInput): Promise<string> {
  const row = await db
    .insertInto("events")
    .values({
      type: event.type,
      actor_id: event.actorId,
      actor_role: event.actorRole ?? null,
      idea_id: event.ideaId ?? null,
      comment_id: event.commentId ?? null,
      member_id: event.memberId ?? null,
      data: JSON.stringify(event.data ?? {}),
      ...(event.at ? { created_at: event.at } : {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(row.id);
}
