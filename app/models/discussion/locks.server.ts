import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";

/**
 * Locks an idea's discussion to new comments (moderators and staff), with the
 * reason members see where the comment box was; or unlocks it. Staff can still
 * comment while it is locked. The change and its event are one transaction.
 */
export async function setDiscussionLock(
  db: DB,
  actor: Actor | null,
  input: { ideaId: number; lock: true; reason: string } | { ideaId: number; lock: false },
) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "idea.lock", null);
    const idea = await trx.selectFrom("ideas").select(["id", "locked_at"]).where("id", "=", input.ideaId).forUpdate().executeTakeFirst();
    if (!idea) throw notFound("That idea");
    if (input.lock === !!idea.locked_at) {
      throw new DomainError(409, input.lock ? "This discussion is already locked." : "This discussion is not locked.");
    }
    const at = new Date();
    await trx
      .updateTable("ideas")
      .set(input.lock ? { locked_at: at, locked_by: actor.id, lock_reason: input.reason } : { locked_at: null, locked_by: null, lock_reason: null })
      .where("id", "=", idea.id)
      .execute();
    await emit(trx, { type: input.lock ? "idea.locked" : "idea.unlocked", actor, ideaId: idea.id, payload: {}, at });
    return { locked: input.lock };
  });
}
