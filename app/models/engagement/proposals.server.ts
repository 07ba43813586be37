import type { DB } from "../../lib/db.server";
import type { EventPayloads } from "../events/catalogue";
import { emit, type StoredEvent } from "../events/events.server";
import { assertCan, type Actor } from "../policy";
import type { ReactorTable } from "../reactors.server";
import { getSettings } from "../settings/settings.server";
import { DomainError, notFound } from "../shared/errors";

/**
 * Proposed duplicates: members with enough points (a setting) say an idea
 * duplicates another; the product team merges it (which accepts every open
 * proposal of that pair, in the merge's transaction, and earns the proposers
 * points) or rejects the proposal.
 */

const isUniqueViolation = (error: unknown) => typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";

export async function proposeDuplicate(db: DB, actor: Actor | null, input: { sourceId: number; targetId: number }): Promise<{ id: number }> {
  return db.transaction().execute(async (trx) => {
    const ideas = await trx.selectFrom("ideas").select(["id", "status", "moderation"]).where("id", "in", [input.sourceId, input.targetId]).execute();
    const source = ideas.find((i) => i.id === input.sourceId);
    const target = ideas.find((i) => i.id === input.targetId);
    if (!source || source.moderation !== "visible") throw notFound("That idea");
    if (!target || target.moderation !== "visible") throw new DomainError(400, "Enter the number of an existing idea.", "targetId");
    const [settings, score] = await Promise.all([
      getSettings(trx),
      actor ? trx.selectFrom("member_scores").select("points").where("scope", "=", "all").where("member_id", "=", actor.id).executeTakeFirst() : Promise.resolve(undefined),
    ]);
    assertCan(actor, "idea.propose_duplicate", { points: score?.points ?? 0, threshold: settings.duplicate_proposal_min_points });
    if (source.id === target.id) throw new DomainError(400, "An idea cannot duplicate itself.", "targetId");
    if (source.status === "duplicate" || target.status === "duplicate") throw new DomainError(409, "One of these ideas is already merged into another.");
    try {
      const row = await trx
        .insertInto("duplicate_proposals")
        .values({ source_id: source.id, target_id: target.id, proposer_id: actor.id })
        .returning("id")
        .executeTakeFirstOrThrow();
      await emit(trx, { type: "duplicate.proposed", actor, ideaId: source.id, payload: { proposalId: row.id, targetId: target.id } });
      return { id: row.id };
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError(409, "You already proposed a duplicate for this idea; the product team will look at it.");
      throw error;
    }
  });
}

export async function rejectProposal(db: DB, actor: Actor | null, proposalId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const proposal = await trx.selectFrom("duplicate_proposals").select(["id", "source_id", "target_id", "status"]).where("id", "=", proposalId).forUpdate().executeTakeFirst();
    if (!proposal) throw notFound("That proposal");
    assertCan(actor, "duplicate.decide", null);
    if (proposal.status !== "open") throw new DomainError(409, "That proposal was already decided.");
    await trx.updateTable("duplicate_proposals").set({ status: "rejected", decided_at: new Date(), decided_by: actor.id }).where("id", "=", proposal.id).execute();
    await emit(trx, { type: "duplicate.rejected", actor, ideaId: proposal.source_id, payload: { proposalId: proposal.id, targetId: proposal.target_id } });
  });
}

/** Open proposals, oldest first, for the triage page (a partial index). */
export async function listOpenProposals(db: DB, actor: Actor | null, limit = 50) {
  assertCan(actor, "triage.read", null);
  return db
    .selectFrom("duplicate_proposals as p")
    .innerJoin("ideas as s", "s.id", "p.source_id")
    .innerJoin("ideas as t", "t.id", "p.target_id")
    .innerJoin("members as m", "m.id", "p.proposer_id")
    .select(["p.id", "p.created_at", "s.id as source_id", "s.title as source_title", "t.id as target_id", "t.title as target_title", "m.display_name as proposer_name", "m.handle as proposer_handle"])
    .where("p.status", "=", "open")
    .orderBy("p.id")
    .limit(limit)
    .execute();
}

/** A merge accepts the open proposals that named it, before the points reactor reads them. */
const onMerged = async (trx: DB, events: StoredEvent[]) => {
  for (const e of events as StoredEvent<"idea.merged">[]) {
    const payload = e.payload as EventPayloads["idea.merged"];
    await trx
      .updateTable("duplicate_proposals")
      .set({ status: "accepted", decided_at: e.createdAt, decided_by: e.actorId, merge_event_id: e.id })
      .where("source_id", "=", e.ideaId!)
      .where("target_id", "=", payload.targetId)
      .where("status", "=", "open")
      .execute();
  }
};

export const proposalReactors: ReactorTable = { "idea.merged": [onMerged] };
