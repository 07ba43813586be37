import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { followIdea } from "../following/follows.server";
import { trendingKey } from "../ideas/ranking";
import { applyActionLimit } from "../moderation/limits.server";
import { assertCan, type Actor } from "../policy";
import { getSettings } from "../settings/settings.server";
import { DomainError, notFound } from "../shared/errors";
import { inTransaction } from "../shared/transaction.server";
import type { OnBehalf } from "../events/catalogue";

export type VoteValue = -1 | 0 | 1;

/** An idea row locked for a vote change, with what the counters need. */
export interface LockedIdeaCounts {
  id: number;
  up_count: number;
  down_count: number;
  created_at: Date | string;
}

/**
 * The one way an idea's vote counters change: by a delta of up- and
 * down-votes, on a row the caller has locked, in the caller's transaction.
 * Score and the trending key follow from the counts. Returns the new counts.
 */
export async function applyVoteCounts(trx: DB, idea: LockedIdeaCounts, delta: { up: number; down: number }) {
  const upCount = idea.up_count + delta.up;
  const downCount = idea.down_count + delta.down;
  const score = upCount - downCount;
  if (delta.up !== 0 || delta.down !== 0) {
    await trx
      .updateTable("ideas")
      .set({ up_count: upCount, down_count: downCount, score, trending: trendingKey(score, new Date(idea.created_at)) })
      .where("id", "=", idea.id)
      .execute();
  }
  return { upCount, downCount, score };
}

/** The counter change a vote going from `before` to `after` makes. */
export const voteDelta = (before: VoteValue, after: VoteValue) => ({
  up: (after === 1 ? 1 : 0) - (before === 1 ? 1 : 0),
  down: (after === -1 ? 1 : 0) - (before === -1 ? 1 : 0),
});

/**
 * Sets a member's vote on an idea: up (1), down (-1) or none (0). Idempotent:
 * casting the vote one already has changes nothing and records nothing.
 *
 * The idea row is locked first, so votes on one idea are applied one at a
 * time across all app processes; the vote row, the idea's counters and
 * trending key, and the event then change in one transaction and never drift.
 */
export async function castVote(
  db: DB,
  actor: Actor | null,
  input: { ideaId: number; value: VoteValue; at?: Date; onBehalf?: OnBehalf },
): Promise<{ score: number; upCount: number; downCount: number; value: VoteValue; changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "status", "moderation", "score", "up_count", "down_count", "created_at", "author_id", "category_id"])
      .where("id", "=", input.ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) throw notFound("That idea");
    const at = input.at ?? new Date();
    assertCan(actor, "idea.vote", { status: idea.status, moderation: idea.moderation }, at);
    // Read after the lock, in a statement of its own: its snapshot then sees a vote that
    // a concurrent request committed while this one waited (a join in the locking
    // statement would not, and would insert the vote twice).
    const existing = await trx
      .selectFrom("votes")
      .select("value")
      .where("idea_id", "=", idea.id)
      .where("member_id", "=", actor.id)
      .executeTakeFirst();
    const before: VoteValue = existing ? existing.value : 0;
    const after = input.value;
    if (before === after) {
      return { score: idea.score, upCount: idea.up_count, downCount: idea.down_count, value: before, changed: false };
    }
    const settings = await getSettings(trx);
    if (after === -1 && !settings.allow_down_votes) {
      throw new DomainError(409, "Down-votes are switched off on this site.");
    }
    // A vote staff record from a phone call is not the member's click: it uses none of their allowance.
    if (!input.onBehalf) await applyActionLimit(trx, actor, "vote", settings);
    const logged = { logged_by: input.onBehalf?.staffId ?? null, channel: input.onBehalf?.channel ?? null };
    const onBehalf = input.onBehalf ? { onBehalf: input.onBehalf } : {};

    if (after === 0) {
      await trx.deleteFrom("votes").where("idea_id", "=", idea.id).where("member_id", "=", actor.id).execute();
    } else if (before === 0) {
      await trx.insertInto("votes").values({ idea_id: idea.id, member_id: actor.id, value: after, created_at: at, updated_at: at, ...logged }).execute();
    } else {
      await trx
        .updateTable("votes")
        .set({ value: after, updated_at: at, ...logged })
        .where("idea_id", "=", idea.id)
        .where("member_id", "=", actor.id)
        .execute();
    }
    const counts = await applyVoteCounts(trx, idea, voteDelta(before, after));
    // The reactors (points, badges) need not read the idea again.
    const facts = { idea: { authorId: idea.author_id, categoryId: idea.category_id, upCount: counts.upCount } };
    if (before === 0) {
      await emit(trx, { type: "vote.cast", actor, ideaId: idea.id, payload: { from: 0, to: after as -1 | 1, ...onBehalf }, at, ...facts });
      // Voting follows the idea by default (unfollowing later is kept).
      await followIdea(trx, actor, idea.id, "voting", at);
    } else if (after === 0) {
      await emit(trx, { type: "vote.retracted", actor, ideaId: idea.id, payload: { from: before, to: 0, ...onBehalf }, at, ...facts });
    } else {
      await emit(trx, { type: "vote.changed", actor, ideaId: idea.id, payload: { from: before, to: after, ...onBehalf }, at, ...facts });
    }
    return { ...counts, value: after, changed: true };
  });
}
