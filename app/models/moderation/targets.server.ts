import type { FlagTargetKind, Moderation, ModerationDecisionAction, Role } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { notFound } from "../shared/errors";

/** A flagged or moderated item, locked, with who wrote it. */
export interface Target {
  kind: FlagTargetKind;
  id: number;
  authorId: number;
  moderation: Moderation;
  /** The idea it is (or is on); null for a member. */
  ideaId: number | null;
}

/** Locks the item (idea, comment or member) and says who wrote it. */
export async function lockTarget(trx: DB, kind: FlagTargetKind, id: number): Promise<Target> {
  if (kind === "idea") {
    const r = await trx.selectFrom("ideas").select(["id", "author_id", "moderation"]).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!r) throw notFound("That idea");
    return { kind, id, authorId: r.author_id, moderation: r.moderation, ideaId: r.id };
  }
  if (kind === "comment") {
    const r = await trx
      .selectFrom("comments")
      .select(["id", "author_id", "moderation", "idea_id", "deleted_at"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!r || r.deleted_at) throw notFound("That comment");
    return { kind, id, authorId: r.author_id, moderation: r.moderation, ideaId: r.idea_id };
  }
  const r = await trx
    .selectFrom("members")
    .select(["id", "moderation"])
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw notFound("That member");
  return { kind, id, authorId: r.id, moderation: r.moderation, ideaId: null };
}

/**
 * The event columns that say what an item is: its idea (and comment), and the
 * member concerned (its author, or the flagged member), whose record shows it.
 */
export const targetColumns = (target: Target) => ({
  ideaId: target.ideaId,
  commentId: target.kind === "comment" ? target.id : null,
  memberId: target.authorId,
});

const EVENT_OF: Record<ModerationDecisionAction, `moderation.${"dismissed" | "hidden" | "deleted" | "restored" | "auto_hidden" | "auto_restored" | "approved" | "held"}`> = {
  approve: "moderation.approved",
  hold: "moderation.held",
  dismiss: "moderation.dismissed",
  hide: "moderation.hidden",
  delete: "moderation.deleted",
  restore: "moderation.restored",
  auto_hide: "moderation.auto_hidden",
  auto_restore: "moderation.auto_restored",
};

/**
 * Records a moderation decision on a locked item: the decision row (with the
 * reason the author sees), the item's new state, and the event. The one way
 * an item's moderation state changes, whether a moderator or the flags decided.
 */
export async function decide(
  trx: DB,
  target: Target,
  decision: {
    action: ModerationDecisionAction;
    after: Moderation;
    reason: string | null;
    actor: { id: number; role: Role } | null;
    flagsResolved?: number;
  },
) {
  const before = target.moderation;
  const row = await trx
    .insertInto("moderation_decisions")
    .values({
      target_kind: target.kind,
      target_id: target.id,
      actor_id: decision.actor?.id ?? null,
      action: decision.action,
      before,
      after: decision.after,
      reason: decision.after === "visible" ? null : decision.reason,
      flags_resolved: decision.flagsResolved ?? 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (before !== decision.after) {
    const values = { moderation: decision.after, moderation_reason: decision.after === "visible" ? null : decision.reason };
    if (target.kind === "idea") await trx.updateTable("ideas").set({ ...values, moderated_at: new Date() }).where("id", "=", target.id).execute();
    else if (target.kind === "comment") await trx.updateTable("comments").set({ ...values, moderated_at: new Date() }).where("id", "=", target.id).execute();
    else {
      const state = decision.after === "deleted" ? "hidden" : decision.after;
      await trx.updateTable("members").set({ moderation: state, moderation_reason: values.moderation_reason }).where("id", "=", target.id).execute();
    }
  }
  await emit(trx, {
    type: EVENT_OF[decision.action],
    actor: decision.actor,
    ...targetColumns(target),
    payload: { decisionId: row.id, kind: target.kind, targetId: target.id },
  });
  return { decisionId: row.id, before, after: decision.after };
}
