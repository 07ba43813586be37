import { sql } from "kysely";
import type { FlagTargetKind } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { assertCan, type Actor } from "../policy";

export const QUEUE_PAGE = 20;

/**
 * The moderator's queue: items with open flags, most weight first, each with
 * its content, context (the idea around a comment), the author's history and
 * every open flag. A fixed five queries per page.
 */
export async function listModerationQueue(db: DB, actor: Actor) {
  assertCan(actor, "moderation.queue", null);
  const groups = await db
    .selectFrom("flags")
    .select((eb) => [
      "target_kind",
      "target_id",
      eb.fn.sum<number>("weight").as("weight"),
      eb.fn.countAll<number>().as("count"),
      eb.fn.min("created_at").as("first_at"),
    ])
    .where("status", "=", "open")
    .groupBy(["target_kind", "target_id"])
    .orderBy("weight", "desc")
    .orderBy("first_at")
    .limit(QUEUE_PAGE)
    .execute();
  const ids = (kind: FlagTargetKind) => groups.filter((g) => g.target_kind === kind).map((g) => g.target_id);
  const none = [-1];
  const [flags, ideas, comments, members] = await Promise.all([
    groups.length
      ? db
          .selectFrom("flags")
          .innerJoin("members", "members.id", "flags.flagger_id")
          .select(["flags.id", "flags.target_kind", "flags.target_id", "flags.reason", "flags.note", "flags.weight", "flags.established", "flags.created_at", "members.display_name as flagger_name", "members.handle as flagger_handle"])
          .where("flags.status", "=", "open")
          .where((eb) => eb.or(groups.map((g) => eb.and([eb("flags.target_kind", "=", g.target_kind), eb("flags.target_id", "=", g.target_id)]))))
          .orderBy("flags.id")
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom("ideas")
      .innerJoin("members", "members.id", "ideas.author_id")
      .select(["ideas.id", "ideas.title", "ideas.body_html", "ideas.moderation", "ideas.moderation_reason", "ideas.author_id", "members.display_name as author_name", "members.handle as author_handle"])
      .where("ideas.id", "in", ids("idea").length ? ids("idea") : none)
      .execute(),
    db
      .selectFrom("comments")
      .innerJoin("members", "members.id", "comments.author_id")
      .innerJoin("ideas", "ideas.id", "comments.idea_id")
      .select(["comments.id", "comments.body_html", "comments.moderation", "comments.moderation_reason", "comments.author_id", "comments.idea_id", "ideas.title as idea_title", "members.display_name as author_name", "members.handle as author_handle"])
      .where("comments.id", "in", ids("comment").length ? ids("comment") : none)
      .execute(),
    db
      .selectFrom("members")
      .select(["id", "display_name", "handle", "bio", "moderation", "moderation_reason", "suspended_until"])
      .where("id", "in", ids("member").length ? ids("member") : none)
      .execute(),
  ]);
  const authorIds = [...new Set([...ideas.map((i) => i.author_id), ...comments.map((c) => c.author_id), ...members.map((m) => m.id)])];
  const history = authorIds.length
    ? await sql<{ id: number; created_at: Date; ideas: number; comments: number; upheld_against: number; suspended_until: Date | null }>`
        select m.id, m.created_at, m.suspended_until,
          (select count(*) from ideas where author_id = m.id)::int as ideas,
          (select count(*) from comments where author_id = m.id)::int as comments,
          ((select count(*) from ideas where author_id = m.id and moderation in ('hidden', 'deleted'))
            + (select count(*) from comments where author_id = m.id and moderation in ('hidden', 'deleted')))::int as upheld_against
        from members m where m.id in (${sql.join(authorIds)})`.execute(db).then((r) => r.rows)
    : [];
  return groups.map((g) => {
    const idea = g.target_kind === "idea" ? ideas.find((i) => i.id === g.target_id) : undefined;
    const comment = g.target_kind === "comment" ? comments.find((c) => c.id === g.target_id) : undefined;
    const member = g.target_kind === "member" ? members.find((m) => m.id === g.target_id) : undefined;
    const authorId = idea?.author_id ?? comment?.author_id ?? member?.id ?? null;
    return {
      kind: g.target_kind,
      targetId: g.target_id,
      weight: Number(g.weight),
      count: Number(g.count),
      idea: idea ?? null,
      comment: comment ?? null,
      member: member ?? null,
      author: history.find((h) => h.id === authorId) ?? null,
      flags: flags.filter((f) => f.target_kind === g.target_kind && f.target_id === g.target_id),
    };
  });
}

