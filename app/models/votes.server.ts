import type { DB } from "../lib/db.server";
import { DomainError, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { followIdea } from "./follows.server";
import { STATUS_LABELS, isVotingOpen } from "./idea";
import { hotScore } from "./ranking";
import { getSettings } from "./settings.server";

export type VoteValue = -1 | 0 | 1;

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
  input: { ideaId: number; memberId: number; value: VoteValue },
): Promise<{ score: number; upCount: number; downCount: number; value: VoteValue; changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "status", "moderation", "score", "up_count", "down_count", "created_at"])
      .where("id", "=", input.ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) throw notFound("That idea");
    if (idea.moderation !== "visible") throw new DomainError(409, "This idea is hidden by moderation; voting is paused.");
    if (!isVotingOpen(idea.status)) {
      throw new DomainError(409, `Voting is closed: this idea is ${STATUS_LABELS[idea.status].toLowerCase()}.`);
    }
    const existing = await trx
      .selectFrom("votes")
      .select("value")
      .where("idea_id", "=", input.ideaId)
      .where("member_id", "=", input.memberId)
      .executeTakeFirst();
    const before: VoteValue = existing ? existing.value : 0;
    const after = input.value;
    if (after === -1 && before !== -1 && !(await getSettings(trx)).allow_down_votes) {
      throw new DomainError(409, "Down-votes are switched off on this site.");
    }
    const unchanged = {
      score: idea.score, upCount: idea.up_count, downCount: idea.down_count, value: before, changed: false,
    };
    if (before === after) return unchanged;

    if (before === 0) {
      // Voting follows the idea by default (unfollowing later is kept).
      await followIdea(trx, { ideaId: input.ideaId, memberId: input.memberId }, false);
    }
    if (after === 0) {
      await trx.deleteFrom("votes").where("idea_id", "=", input.ideaId).where("member_id", "=", input.memberId).execute();
    } else if (before === 0) {
      await trx.insertInto("votes").values({ idea_id: input.ideaId, member_id: input.memberId, value: after }).execute();
    } else {
      await trx
        .updateTable("votes")
        .set({ value: after, updated_at: new Date() })
        .where("idea_id", "=", input.ideaId)
        .where("member_id", "=", input.memberId)
        .execute();
    }

    const upCount = idea.up_count + (after === 1 ? 1 : 0) - (before === 1 ? 1 : 0);
    const downCount = idea.down_count + (after === -1 ? 1 : 0) - (before === -1 ? 1 : 0);
    const score = upCount - downCount;
    await trx
      .updateTable("ideas")
      .set({ up_count: upCount, down_count: downCount, score, hot: hotScore(score, new Date(idea.created_at)) })
      .where("id", "=", input.ideaId)
      .execute();
    await appendEvent(trx, {
      type: before === 0 ? "vote.cast" : after === 0 ? "vote.retracted" : "vote.changed",
      actorId: input.memberId,
      ideaId: input.ideaId,
      data: { from: before, to: after },
    });
    return { score, upCount, downCount, value: after, changed: true };
  });
}
