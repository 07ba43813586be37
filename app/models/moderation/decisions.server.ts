import type { FlagTargetKind, Moderation } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { assertCan, type Actor } from "../policy";
import { DomainError } from "../shared/errors";
import type { ModerationAction } from "./moderation";
import { decide, lockTarget } from "./targets.server";

const NEXT_STATE: Record<ModerationAction, Moderation> = {
  dismiss: "visible",
  hide: "hidden",
  delete: "deleted",
  restore: "visible",
};

/**
 * A moderator's decision on an item: dismiss the flags (keep it), hide it,
 * delete it (softly: the row stays) or restore it. Open flags are upheld or
 * dismissed accordingly (which feeds the flaggers' trust); the decision, with
 * the reason the author sees, is a row; the audit log lists its event.
 */
export async function moderate(
  db: DB,
  actor: Actor | null,
  input: { kind: FlagTargetKind; targetId: number; action: ModerationAction; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "moderation.decide", null);
    const target = await lockTarget(trx, input.kind, input.targetId);
    const before = target.moderation;
    const after = input.kind === "member" && input.action === "delete" ? "hidden" : NEXT_STATE[input.action];
    const flagOutcome = input.action === "hide" || input.action === "delete" ? "upheld" : "dismissed";
    const resolved = await trx
      .updateTable("flags")
      .set({ status: flagOutcome, resolved_at: new Date(), resolved_by: actor.id })
      .where("target_kind", "=", input.kind)
      .where("target_id", "=", input.targetId)
      .where("status", "=", "open")
      .executeTakeFirst();
    const flagsResolved = Number(resolved.numUpdatedRows ?? 0);
    if (before === after && flagsResolved === 0) {
      throw new DomainError(409, `Nothing to do: it is already ${after === "visible" ? "visible" : after}.`);
    }
    await decide(trx, target, { action: input.action, after, reason: input.reason || null, actor, flagsResolved });
    return { before, after, flagsResolved };
  });
}
