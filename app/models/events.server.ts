import type { DB } from "../lib/db.server";

/** Every kind of event the product records, in `subject.verb` form. */
export type EventType =
  | "member.joined"
  | "member.signed_in"
  | "idea.posted"
  | "idea.edited"
  | "vote.cast"
  | "vote.changed"
  | "vote.retracted"
  | "comment.added"
  | "comment.edited"
  | "comment.deleted";

export interface NewEventInput {
  type: EventType;
  actorId: number | null;
  ideaId?: number | null;
  commentId?: number | null;
  memberId?: number | null;
  data?: Record<string, unknown>;
}

/**
 * Appends one event. Call it with the transaction that makes the change, so
 * the change and its record commit or fail together.
 */
export async function appendEvent(db: DB, event: NewEventInput): Promise<void> {
  await db
    .insertInto("events")
    .values({
      type: event.type,
      actor_id: event.actorId,
      idea_id: event.ideaId ?? null,
      comment_id: event.commentId ?? null,
      member_id: event.memberId ?? null,
      data: JSON.stringify(event.data ?? {}),
    })
    .execute();
}
