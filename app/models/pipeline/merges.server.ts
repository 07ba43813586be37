import { sql } from "kysely";
import type { IdeaStatus } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { emit, emitMany } from "../events/events.server";
import { ideaPath } from "../ideas/idea";
import { assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { rareLexemes, searchCandidates } from "../ideas/search.server";
import { QueryBudgetExceeded, withQueryBudget, type QueryBudgetOptions } from "../shared/query-budget.server";
import { applyVoteCounts } from "../votes/votes.server";
import { moveIdeaStatus, systemNote } from "./status.server";

async function lockPair(trx: DB, a: number, b: number) {
  // Always lock in id order, so two merges of the same pair cannot deadlock.
  const rows = await trx
    .selectFrom("ideas")
    .select(["id", "title", "status", "author_id", "up_count", "down_count", "created_at"])
    .where("id", "in", [a, b])
    .orderBy("id")
    .forUpdate()
    .execute();
  return { first: rows.find((r) => r.id === a), second: rows.find((r) => r.id === b) };
}

const countValues = (votes: { value: -1 | 1 }[]) => ({
  up: votes.filter((v) => v.value === 1).length,
  down: votes.filter((v) => v.value === -1).length,
});

/**
 * Merges idea `sourceId` (the duplicate) into `targetId`: the source becomes
 * "duplicate of" the target; its voters become the target's voters (a member
 * who voted on both keeps their vote on the target); its followers follow the
 * target; its author is credited on the target. The merge row records exactly
 * which votes and follows it added, so it can be undone; every moved vote and
 * follow is an event of its own.
 */
export async function mergeIdeas(db: DB, actor: Actor | null, input: { sourceId: number; targetId: number }) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "idea.merge", null);
    if (input.sourceId === input.targetId) throw new DomainError(400, "An idea cannot be merged into itself.", "targetId");
    const { first: source, second: target } = await lockPair(trx, input.sourceId, input.targetId);
    if (!source) throw notFound("The idea to merge");
    if (!target) throw new DomainError(404, "The idea to merge into does not exist.", "targetId");
    if (source.status === "duplicate") throw new DomainError(409, "This idea is already merged into another.");
    if (target.status === "duplicate") {
      throw new DomainError(409, "That idea is itself a duplicate; merge into the idea it points to.", "targetId");
    }
    const at = new Date();
    const movedVotes = await sql<{ member_id: number; value: -1 | 1 }>`
      insert into votes (idea_id, member_id, value, created_at, updated_at)
      select ${target.id}, member_id, value, created_at, updated_at from votes where idea_id = ${source.id}
      on conflict (idea_id, member_id) do nothing
      returning member_id, value`.execute(trx);
    const movedFollows = await sql<{ member_id: number }>`
      insert into idea_follows (idea_id, member_id, created_at)
      select ${target.id}, member_id, created_at from idea_follows where idea_id = ${source.id}
      on conflict (idea_id, member_id) do nothing
      returning member_id`.execute(trx);
    await applyVoteCounts(trx, target, countValues(movedVotes.rows));

    const merge = await trx
      .insertInto("merges")
      .values({
        source_id: source.id,
        target_id: target.id,
        actor_id: actor.id,
        source_status: source.status,
        moved_votes: JSON.stringify(movedVotes.rows.map((r) => ({ member_id: r.member_id, value: r.value }))),
        moved_follows: JSON.stringify(movedFollows.rows.map((r) => r.member_id)),
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const note = await systemNote(`Merged into [${target.title.replace(/[[\]]/g, "")}](${ideaPath(target)}): votes and followers now count there.`);
    // The merge note is the product team's word on the timeline; revisit_on is kept for undo.
    await moveIdeaStatus(trx, source, { to: "duplicate", authorId: actor.id, response: note, duplicateOfId: target.id, at });
    await emit(trx, {
      type: "idea.merged",
      actor,
      ideaId: source.id,
      payload: { mergeId: merge.id, targetId: target.id, movedVotes: movedVotes.rows.length, movedFollows: movedFollows.rows.length },
      at,
    });
    await emitMany(trx, [
      ...movedVotes.rows.map((v) => ({
        type: "vote.moved" as const,
        actor,
        ideaId: target.id,
        memberId: v.member_id,
        payload: { mergeId: merge.id, fromIdeaId: source.id, value: v.value },
        at,
      })),
      ...movedFollows.rows.map((f) => ({
        type: "idea.followed" as const,
        actor,
        ideaId: target.id,
        memberId: f.member_id,
        payload: { via: "merge" as const, mergeId: merge.id },
        at,
      })),
    ]);
    return { mergeId: merge.id, movedVotes: movedVotes.rows.length, movedFollows: movedFollows.rows.length };
  });
}

/**
 * Undoes a merge: removes from the target the votes and follows the merge
 * added (unless the member has changed that vote since), adjusts the target's
 * counters by exactly what was removed, and restores the source's status.
 * Both ideas are as they were before; the people concerned are told.
 */
export async function undoMerge(db: DB, actor: Actor | null, mergeId: number) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "idea.unmerge", null);
    const merge = await trx
      .selectFrom("merges")
      .select(["id", "source_id", "target_id", "source_status", "moved_votes", "moved_follows", "undone_at"])
      .where("id", "=", mergeId)
      .forUpdate()
      .executeTakeFirst();
    if (!merge) throw notFound("That merge");
    if (merge.undone_at) throw new DomainError(409, "That merge was already undone.");
    const { first: source, second: target } = await lockPair(trx, merge.source_id, merge.target_id);
    if (!source || !target) throw notFound("That merge");
    const at = new Date();

    const removedVotes: { member_id: number; value: -1 | 1 }[] = [];
    if (merge.moved_votes.length) {
      const removed = await sql<{ member_id: number; value: -1 | 1 }>`
        delete from votes v
        using jsonb_to_recordset(${JSON.stringify(merge.moved_votes)}::jsonb) as m(member_id int, value smallint)
        where v.idea_id = ${target.id} and v.member_id = m.member_id and v.value = m.value
        returning v.member_id, v.value`.execute(trx);
      removedVotes.push(...removed.rows);
    }
    let removedFollows: number[] = [];
    if (merge.moved_follows.length) {
      const removed = await trx
        .deleteFrom("idea_follows")
        .where("idea_id", "=", target.id)
        .where("member_id", "in", merge.moved_follows)
        .returning("member_id")
        .execute();
      removedFollows = removed.map((r) => r.member_id);
    }
    const removedCounts = countValues(removedVotes);
    await applyVoteCounts(trx, target, { up: -removedCounts.up, down: -removedCounts.down });

    const note = await systemNote("The merge was undone: this idea stands on its own again.");
    await moveIdeaStatus(trx, source, { to: merge.source_status as IdeaStatus, authorId: actor.id, response: note, duplicateOfId: null, at });
    await trx.updateTable("merges").set({ undone_at: at, undone_by: actor.id }).where("id", "=", merge.id).execute();
    await emit(trx, {
      type: "idea.unmerged",
      actor,
      ideaId: source.id,
      payload: { mergeId: merge.id, targetId: target.id, removedVotes: removedVotes.length, removedFollows: removedFollows.length },
      at,
    });
    await emitMany(trx, [
      ...removedVotes.map((v) => ({
        type: "vote.move_undone" as const,
        actor,
        ideaId: target.id,
        memberId: v.member_id,
        payload: { mergeId: merge.id, value: v.value },
        at,
      })),
      ...removedFollows.map((memberId) => ({
        type: "idea.unfollowed" as const,
        actor,
        ideaId: target.id,
        memberId,
        payload: { via: "unmerge" as const, mergeId: merge.id },
        at,
      })),
    ]);
    return { sourceId: merge.source_id, targetId: merge.target_id };
  });
}

/** The ideas merged into this one (for credit and for undo). */
export async function listMergedInto(db: DB, targetId: number) {
  return mergedIntoQuery(db, targetId).execute();
}

/** The query of `listMergedInto`, for a page that reads it with others in one statement. */
export function mergedIntoQuery(db: DB, targetId: number) {
  return db
    .selectFrom("merges")
    .innerJoin("ideas", "ideas.id", "merges.source_id")
    .innerJoin("members", "members.id", "ideas.author_id")
    .select([
      "merges.id as merge_id",
      "merges.created_at",
      "ideas.id",
      "ideas.title",
      "members.display_name as author_name",
      "members.handle as author_handle",
    ])
    .where("merges.target_id", "=", targetId)
    .where("merges.undone_at", "is", null)
    .orderBy("merges.id");
}

/** The active merge that made this idea a duplicate, if any. */
export async function findActiveMerge(db: DB, sourceId: number) {
  return db
    .selectFrom("merges")
    .select(["id", "target_id"])
    .where("source_id", "=", sourceId)
    .where("undone_at", "is", null)
    .executeTakeFirst();
}

/**
 * Ideas whose title resembles the given text: used while a member types a
 * title and for staff's "possible duplicates". Candidates come from the
 * bounded search (ideas/search.server.ts): first ideas with all the words
 * (the last one as a prefix, since it may be half typed), then, if too few,
 * ideas with any of them among the most trending; they are scored by title
 * trigram similarity plus full-text rank on any word.
 */
export async function findSimilarIdeas(
  db: DB,
  input: { text: string; excludeId?: number; limit?: number; minRelevance?: number },
  options: QueryBudgetOptions = {},
) {
  // A hint, never in the way: on a busy or slow moment there are simply no suggestions.
  try {
    return await withQueryBudget(db, "similar", options, (trx) => similarIdeas(trx, input));
  } catch (error) {
    if (error instanceof QueryBudgetExceeded) return [];
    throw error;
  }
}

async function similarIdeas(db: DB, input: { text: string; excludeId?: number; limit?: number; minRelevance?: number }) {
  // Control characters (a NUL byte would be refused by PostgreSQL) count as spaces here.
  const text = input.text.replace(/[\u0000-\u001F\u007F-\u009F]/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  if (text.length < 4) return [];
  const limit = input.limit ?? 5;
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (!words.length) return [];
  const last = words[words.length - 1]!;
  const allWords = sql`(plainto_tsquery('english', ${words.slice(0, -1).join(" ")}) && to_tsquery('english', ${`${last}:*`}))`;
  // Any of the words, not all of them: "oat milk charge" finds "oat milk costs extra".
  const anyWord = sql`nullif(replace(plainto_tsquery('english', ${text})::text, '&', '|'), '')::tsquery`;
  const base = db
    .selectFrom("ideas")
    .where("ideas.status", "<>", "duplicate")
    .where("ideas.moderation", "=", "visible")
    .where("ideas.id", "<>", input.excludeId ?? 0);
  const score = async (candidates: ReturnType<typeof searchCandidates>) => {
    const rows = await sql<{ id: number; title: string; status: string; score: number; comment_count: number; relevance: number }>`
      select id, title, status, score, comment_count,
             similarity(title, ${text}) + coalesce(ts_rank(search, ${anyWord}), 0) as relevance
      from ideas where id in (select id from ${candidates} c)
      order by relevance desc, score desc, id desc
      limit ${limit}`.execute(db);
    // Measured on the demo data: true duplicates score 0.45 and up, ideas sharing one common word under 0.26.
    return rows.rows.filter((r) => r.relevance >= (input.minRelevance ?? 0.3));
  };
  // Typing asks on every pause: a smaller walk of the trending index than a search's.
  // The word being typed is a prefix: checked on the rows found, never looked up in the index.
  const indexLexemes = await rareLexemes(db, words.slice(0, -1).join(" "));
  const close = await score(searchCandidates(base, allWords, 50, { indexLexemes, scanRows: 4_000 }));
  if (close.length >= limit) return close;
  const loose = await score(searchCandidates(base, anyWord, 50, { scanRows: 4_000 }));
  const seen = new Set(close.map((r) => r.id));
  return [...close, ...loose.filter((r) => !seen.has(r.id))].sort((a, b) => b.relevance - a.relevance || b.score - a.score || b.id - a.id).slice(0, limit);
}

/** One side of a merge as the confirmation shows it. */
async function mergeSide(db: DB, id: number) {
  return db
    .selectFrom("ideas")
    .innerJoin("members", "members.id", "ideas.author_id")
    .select([
      "ideas.id", "ideas.title", "ideas.status", "ideas.score", "ideas.up_count", "ideas.down_count",
      "ideas.comment_count", "ideas.created_at", "ideas.moderation",
      "members.display_name as author_name", "members.handle as author_handle",
      (eb) => eb.selectFrom("idea_follows").select((f) => f.fn.countAll<number>().as("n")).whereRef("idea_follows.idea_id", "=", "ideas.id").as("follower_count"),
    ])
    .where("ideas.id", "=", id)
    .executeTakeFirst();
}

/**
 * Both ideas of a proposed merge, side by side, for the product team to
 * confirm: refused with the same reasons the merge itself gives, so the
 * confirmation never offers a merge that would fail.
 */
export async function getMergePreview(db: DB, actor: Actor | null, input: { sourceId: number; targetId: number }) {
  assertCan(actor, "idea.merge", null);
  const [source, target] = await Promise.all([mergeSide(db, input.sourceId), mergeSide(db, input.targetId)]);
  if (!source) throw notFound("The idea to merge");
  if (source.status === "duplicate") throw new DomainError(409, "This idea is already merged into another.");
  if (input.sourceId === input.targetId) throw new DomainError(400, "An idea cannot be merged into itself.", "targetId");
  if (!target) throw new DomainError(404, `There is no idea number ${input.targetId}.`, "targetId");
  if (target.status === "duplicate") {
    throw new DomainError(409, "That idea is itself a duplicate; merge into the idea it points to.", "targetId");
  }
  return { source: { ...source, follower_count: Number(source.follower_count) }, target: { ...target, follower_count: Number(target.follower_count) } };
}
