import type { IdeaStatus } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";

/**
 * The one writer of an idea's status. Every move (an official response, a
 * revisit date coming, a merge, undoing one) goes through here on a row the
 * caller has locked, and leaves its official response on the timeline in the
 * same transaction, so the status and its public history cannot disagree.
 */
export async function moveIdeaStatus(
  trx: DB,
  idea: { id: number; status: IdeaStatus },
  move: {
    to: IdeaStatus;
    /** Who answers; null for the system (a revisit date). */
    authorId: number | null;
    /** The official response, already rendered (render before the transaction). */
    response: { body: string; bodyHtml: string; declineReason?: string | null };
    /** Declining may set a revisit date; any other move clears it. Omitted: kept as it is (an answer or a merge). */
    revisitOn?: string | null;
    duplicateOfId?: number | null;
    at: Date;
  },
): Promise<{ responseId: number; moved: boolean }> {
  const moved = move.to !== idea.status;
  const response = await trx
    .insertInto("official_responses")
    .values({
      idea_id: idea.id,
      author_id: move.authorId,
      from_status: idea.status,
      to_status: move.to,
      body: move.response.body,
      body_html: move.response.bodyHtml,
      decline_reason: moved && move.to === "declined" ? (move.response.declineReason ?? null) : null,
      revisit_on: moved && move.to === "declined" ? (move.revisitOn ?? null) : null,
      created_at: move.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .updateTable("ideas")
    .set((eb) => ({
      status: move.to,
      updated_at: move.at,
      ...(moved ? { status_changed_at: move.at } : {}),
      ...(move.revisitOn !== undefined ? { revisit_on: move.revisitOn } : {}),
      ...(move.duplicateOfId !== undefined ? { duplicate_of_id: move.duplicateOfId } : {}),
      // The first answer from a person (not a merge note, not the system) is the responsiveness clock.
      ...(move.authorId !== null && move.duplicateOfId === undefined
        ? { first_response_at: eb.fn.coalesce("first_response_at", eb.val(move.at)) }
        : {}),
    }))
    .where("id", "=", idea.id)
    .execute();
  return { responseId: response.id, moved };
}

/** A short system note rendered once (merge and revisit notes). */
export async function systemNote(body: string) {
  return { body, bodyHtml: await renderMarkdown(body) };
}
