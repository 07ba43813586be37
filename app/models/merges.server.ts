import { sql } from "kysely";
import type { DB } from "../lib/db.server";
import { renderMarkdown } from "../lib/markdown.server";
import { DomainError, forbidden, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { ideaPath } from "./idea";
import { notifyIdeaAudience } from "./notifications.server";
import { isProductTeam, type Actor } from "./permissions";
import { hotScore } from "./ranking";

/** Recounts an idea's votes from the rows and stores score, counts and trending key. */
async function recountVotes(db: DB, ideaId: number) {
  await sql`
    update ideas set
      up_count = v.up, down_count = v.down, score = v.up - v.down
    from (
      select count(*) filter (where value = 1)::int as up, count(*) filter (where value = -1)::int as down
      from votes where idea_id = ${ideaId}
    ) v
    where ideas.id = ${ideaId}`.execute(db);
  const idea = await db.selectFrom("ideas").select(["score", "created_at"]).where("id", "=", ideaId).executeTakeFirstOrThrow();
  await db.updateTable("ideas").set({ hot: hotScore(idea.score, new Date(idea.created_at)) }).where("id", "=", ideaId).execute();
}

async function lockPair(db: DB, a: number, b: number) {
  // Always lock in id order, so two merges of the same pair cannot deadlock.
  const rows = await db
    .selectFrom("ideas")
    .select(["id", "title", "status", "author_id"])
    .where("id", "in", [a, b])
    .orderBy("id")
    .forUpdate()
    .execute();
  return { first: rows.find((r) => r.id === a), second: rows.find((r) => r.id === b) };
}

/**
 * Merges idea `sourceId` (the duplicate) into `targetId`: the source becomes
 * "duplicate of" the target; its voters become the target's voters (a member
 * who voted on both keeps their vote on the target); its followers follow the
 * target; its author is credited on the target. The merge row records exactly
 * which votes and follows it added, so it can be undone.
 */
export async function mergeIdeas(db: DB, actor: Actor, input: { sourceId: number; targetId: number }) {
  if (!isProductTeam(actor.role)) throw forbidden("Only product managers and admins merge ideas.");
  if (input.sourceId === input.targetId) throw new DomainError(400, "An idea cannot be merged into itself.", "targetId");
  return db.transaction().execute(async (trx) => {
    const { first: source, second: target } = await lockPair(trx, input.sourceId, input.targetId);
    if (!source) throw notFound("The idea to merge");
    if (!target) throw new DomainError(404, "The idea to merge into does not exist.", "targetId");
    if (source.status === "duplicate") throw new DomainError(409, "This idea is already merged into another.");
    if (target.status === "duplicate") {
      throw new DomainError(409, "That idea is itself a duplicate; merge into the idea it points to.", "targetId");
    }

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
    await recountVotes(trx, target.id);

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

    const note = `Merged into [${target.title.replace(/[[\]]/g, "")}](${ideaPath(target)}): votes and followers now count there.`;
    await trx
      .insertInto("idea_responses")
      .values({
        idea_id: source.id,
        author_id: actor.id,
        from_status: source.status,
        to_status: "duplicate",
        body: note,
        body_html: renderMarkdown(note),
      })
      .execute();
    await trx
      .updateTable("ideas")
      // revisit_on is left as it was: a duplicate is never revisited, and undoing brings it back with its status.
      .set({ status: "duplicate", duplicate_of_id: target.id, status_changed_at: new Date(), updated_at: new Date() })
      .where("id", "=", source.id)
      .execute();
    const eventId = await appendEvent(trx, {
      type: "idea.merged",
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: source.id,
      data: { targetId: target.id, mergeId: merge.id, movedVotes: movedVotes.rows.length, movedFollows: movedFollows.rows.length },
    });
    await notifyIdeaAudience(trx, { eventId, ideaId: source.id, kind: "idea_merged", actorId: actor.id });
    return { mergeId: merge.id, movedVotes: movedVotes.rows.length, movedFollows: movedFollows.rows.length };
  });
}

/**
 * Undoes a merge: removes from the target the votes and follows the merge
 * added (unless the member has changed that vote since), recounts, and
 * restores the source's status. Both ideas are as they were before.
 */
export async function undoMerge(db: DB, actor: Actor, mergeId: number) {
  if (!isProductTeam(actor.role)) throw forbidden("Only product managers and admins undo merges.");
  return db.transaction().execute(async (trx) => {
    const merge = await trx
      .selectFrom("merges")
      .select(["id", "source_id", "target_id", "source_status", "moved_votes", "moved_follows", "undone_at"])
      .where("id", "=", mergeId)
      .forUpdate()
      .executeTakeFirst();
    if (!merge) throw notFound("That merge");
    if (merge.undone_at) throw new DomainError(409, "That merge was already undone.");
    await lockPair(trx, merge.source_id, merge.target_id);

    for (const vote of merge.moved_votes) {
      await trx
        .deleteFrom("votes")
        .where("idea_id", "=", merge.target_id)
        .where("member_id", "=", vote.member_id)
        .where("value", "=", vote.value)
        .execute();
    }
    if (merge.moved_follows.length) {
      await trx
        .deleteFrom("idea_follows")
        .where("idea_id", "=", merge.target_id)
        .where("member_id", "in", merge.moved_follows)
        .execute();
    }
    await recountVotes(trx, merge.target_id);

    const note = "The merge was undone: this idea stands on its own again.";
    await trx
      .insertInto("idea_responses")
      .values({
        idea_id: merge.source_id,
        author_id: actor.id,
        from_status: "duplicate",
        to_status: merge.source_status,
        body: note,
        body_html: renderMarkdown(note),
      })
      .execute();
    await trx
      .updateTable("ideas")
      .set({ status: merge.source_status, duplicate_of_id: null, status_changed_at: new Date(), updated_at: new Date() })
      .where("id", "=", merge.source_id)
      .execute();
    await trx.updateTable("merges").set({ undone_at: new Date(), undone_by: actor.id }).where("id", "=", merge.id).execute();
    await appendEvent(trx, {
      type: "idea.unmerged",
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: merge.source_id,
      data: { targetId: merge.target_id, mergeId: merge.id },
    });
    return { sourceId: merge.source_id, targetId: merge.target_id };
  });
}

/** The ideas merged into this one (for credit and for undo). */
export async function listMergedInto(db: DB, targetId: number) {
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
    .orderBy("merges.id")
    .execute();
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
 * Ideas whose title resembles the given text (trigram similarity) or whose
 * words match it (full-text, any word): used while a member types a title
 * and for staff's "possible duplicates". Served by the trigram and GIN indexes.
 */
export async function findSimilarIdeas(
  db: DB,
  input: { text: string; excludeId?: number; limit?: number; minRelevance?: number },
) {
  // Control characters (a NUL byte would be refused by PostgreSQL) count as spaces here.
  const text = input.text.replace(/[\u0000-\u001F\u007F-\u009F]/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  if (text.length < 4) return [];
  // Any of the words, not all of them: "oat milk charge" finds "oat milk costs extra".
  const anyWord = sql`nullif(replace(plainto_tsquery('english', ${text})::text, '&', '|'), '')::tsquery`;
  const rows = await sql<{ id: number; title: string; status: string; score: number; comment_count: number; relevance: number }>`
    select id, title, status, score, comment_count,
           similarity(title, ${text}) + coalesce(ts_rank(search, ${anyWord}), 0) as relevance
    from ideas
    where status <> 'duplicate' and moderation = 'visible'
      and id <> ${input.excludeId ?? 0}
      and (title % ${text} or search @@ ${anyWord})
    order by relevance desc, score desc, id desc
    limit ${input.limit ?? 5}`.execute(db);
  // Measured on the demo data: true duplicates score 0.45 and up, ideas sharing one common word under 0.26.
  return rows.rows.filter((r) => r.relevance >= (input.minRelevance ?? 0.3));
}
