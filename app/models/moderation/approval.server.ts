import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { assertCan, type Actor } from "../policy";
import { isStaff } from "../members/roles";
import { getSettings } from "../settings/settings.server";
import { DomainError, notFound } from "../shared/errors";
import { decide, lockTarget } from "./targets.server";

/**
 * Whether this member's post skips approval: staff, or a member with a public
 * post already (an approved first post, or anything from before the setting).
 */
async function hasEstablishedRecord(trx: DB, actor: Actor, except: { kind: "idea" | "comment"; id: number }): Promise<boolean> {
  if (isStaff(actor.role)) return true;
  const row = await sql<{ established: boolean }>`
    select exists (
      select 1 from ideas where author_id = ${actor.id} and moderation = 'visible'
        and id <> ${except.kind === "idea" ? except.id : 0}
    ) or exists (
      select 1 from comments where author_id = ${actor.id} and moderation = 'visible' and deleted_at is null
        and id <> ${except.kind === "comment" ? except.id : 0}
    ) as established`.execute(trx);
  return !!row.rows[0]?.established;
}

/**
 * First posts wait for approval (setting `approve_first_posts`, off by default):
 * inside the posting transaction, before the post's own event, a new member's
 * first idea or comment becomes "pending" with `awaiting_approval_since` set and
 * a "hold" decision recorded, so nothing reacting to the post tells anyone of it
 * while it waits. Returns whether it was held.
 */
export async function holdFirstPost(trx: DB, actor: Actor, post: { kind: "idea" | "comment"; id: number; at: Date }): Promise<boolean> {
  const settings = await getSettings(trx);
  if (!settings.approve_first_posts) return false;
  if (await hasEstablishedRecord(trx, actor, post)) return false;
  const target = await lockTarget(trx, post.kind, post.id);
  await decide(trx, target, { action: "hold", after: "pending", reason: null, actor: null });
  if (post.kind === "idea") await trx.updateTable("ideas").set({ awaiting_approval_since: post.at }).where("id", "=", post.id).execute();
  else await trx.updateTable("comments").set({ awaiting_approval_since: post.at }).where("id", "=", post.id).execute();
  return true;
}

export const APPROVAL_PAGE = 20;

/** Posts waiting for approval, oldest first (each list served by its partial index). */
export async function listAwaitingApproval(db: DB, actor: Actor) {
  assertCan(actor, "moderation.approve", null);
  const [ideas, comments] = await Promise.all([
    db
      .selectFrom("ideas")
      .innerJoin("members", "members.id", "ideas.author_id")
      .select(["ideas.id", "ideas.title", "ideas.body_html", "ideas.awaiting_approval_since as since", "members.display_name as author_name", "members.handle as author_handle"])
      .where("ideas.awaiting_approval_since", "is not", null)
      .orderBy("ideas.awaiting_approval_since")
      .orderBy("ideas.id")
      .limit(APPROVAL_PAGE)
      .execute(),
    db
      .selectFrom("comments")
      .innerJoin("members", "members.id", "comments.author_id")
      .innerJoin("ideas", "ideas.id", "comments.idea_id")
      .select(["comments.id", "comments.idea_id", "ideas.title as idea_title", "comments.body_html", "comments.awaiting_approval_since as since", "members.display_name as author_name", "members.handle as author_handle"])
      .where("comments.awaiting_approval_since", "is not", null)
      .orderBy("comments.awaiting_approval_since")
      .orderBy("comments.id")
      .limit(APPROVAL_PAGE)
      .execute(),
  ]);
  return [
    ...ideas.map((i) => ({ kind: "idea" as const, id: i.id, ideaId: i.id, title: i.title, bodyHtml: i.body_html, since: i.since!, authorName: i.author_name, authorHandle: i.author_handle })),
    ...comments.map((c) => ({ kind: "comment" as const, id: c.id, ideaId: c.idea_id, title: c.idea_title, bodyHtml: c.body_html, since: c.since!, authorName: c.author_name, authorHandle: c.author_handle })),
  ].sort((a, b) => new Date(a.since).getTime() - new Date(b.since).getTime());
}

/**
 * A moderator approves a held post (it becomes public, and the people it
 * concerns are told as if it had just been posted) or rejects it (removed,
 * with a reason its author sees). One transaction with its decision and event.
 */
export async function decideHeldPost(
  db: DB,
  actor: Actor | null,
  input: { kind: "idea" | "comment"; id: number; approve: boolean; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "moderation.approve", null);
    const target = await lockTarget(trx, input.kind, input.id);
    const table = input.kind === "idea" ? "ideas" : "comments";
    const row = await trx.selectFrom(table).select("awaiting_approval_since").where("id", "=", input.id).executeTakeFirst();
    if (!row) throw notFound(input.kind === "idea" ? "That idea" : "That comment");
    if (!row.awaiting_approval_since) throw new DomainError(409, "That post is not waiting for approval (someone may have decided already).");
    await trx.updateTable(table).set({ awaiting_approval_since: null }).where("id", "=", input.id).execute();
    return decide(trx, target, input.approve
      ? { action: "approve", after: "visible", reason: null, actor }
      : { action: "delete", after: "deleted", reason: input.reason || "It did not meet the community guidelines.", actor });
  });
}
