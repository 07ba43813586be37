import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { applyActionLimit } from "../moderation/limits.server";
import { allowed, assertCan, type Actor } from "../policy";
import { notFound } from "../shared/errors";

/** Follows or unfollows a member on the viewer's request, with its event, in one transaction. */
export async function setMemberFollowing(db: DB, actor: Actor | null, input: { memberId: number; follow: boolean }): Promise<{ changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom("members").select("id").where("id", "=", input.memberId).where("deleted_at", "is", null).executeTakeFirst();
    if (!member) throw notFound("That member");
    assertCan(actor, "member.follow", { id: member.id });
    if (input.follow) {
      const row = await trx
        .insertInto("member_follows")
        .values({ follower_id: actor.id, member_id: member.id })
        .onConflict((oc) => oc.columns(["follower_id", "member_id"]).doNothing())
        .returning("member_id")
        .executeTakeFirst();
      if (!row) return { changed: false };
      await applyActionLimit(trx, actor, "follow");
      await emit(trx, { type: "member.followed", actor, memberId: member.id, payload: {} });
      return { changed: true };
    }
    const removed = await trx.deleteFrom("member_follows").where("follower_id", "=", actor.id).where("member_id", "=", member.id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return { changed: false };
    await applyActionLimit(trx, actor, "follow");
    await emit(trx, { type: "member.unfollowed", actor, memberId: member.id, payload: {} });
    return { changed: true };
  });
}

/** Whether the viewer follows the member, and how many follow them (both index lookups). */
export async function memberFollowState(db: DB, viewerId: number | null, memberId: number) {
  const row = await sql<{ following: boolean; followers: string }>`
    select exists (select 1 from member_follows where follower_id = ${viewerId ?? 0} and member_id = ${memberId}) as following,
      (select count(*) from member_follows where member_id = ${memberId})::text as followers`.execute(db);
  return { following: row.rows[0]!.following, followers: Number(row.rows[0]!.followers) };
}

const FOLLOWING_PAGE = 20;
/** At most this many followed members feed the view (each is one index range). */
const FOLLOWED_LIMIT = 500;

export interface FollowingItem {
  eventId: string;
  kind: "idea" | "comment";
  at: Date;
  authorHandle: string;
  authorName: string;
  ideaId: number;
  ideaTitle: string;
  commentId: number | null;
  bodyHtml: string | null;
}

/**
 * "Following": the newest ideas and comments of the members the viewer
 * follows, from the events log (one index range per followed member,
 * `events_actor_idx`), visible posts only, paged by event id.
 */
export async function listFollowingFeed(db: DB, viewer: Actor, before: string | null = null): Promise<{ items: FollowingItem[]; next: string | null; follows: number }> {
  const followed = await db.selectFrom("member_follows").select("member_id").where("follower_id", "=", viewer.id).limit(FOLLOWED_LIMIT).execute();
  const ids = followed.map((f) => f.member_id);
  if (!ids.length) return { items: [], next: null, follows: 0 };
  const cut = before ?? "9223372036854775807";
  // Moderators see hidden posts everywhere; others see only visible ones here.
  const moderator = allowed(viewer, "idea.view_hidden", { authorId: -1 });
  const rows = await sql<{ id: string; type: string; created_at: Date; idea_id: number; title: string; comment_id: number | null; body_html: string | null; handle: string; display_name: string }>`
    select e.id::text, e.type, e.created_at, i.id as idea_id, i.title, c.id as comment_id, c.body_html, m.handle, m.display_name
    from unnest(${ids}::int[]) as f(member_id)
    cross join lateral (
      select id, type, created_at, idea_id, comment_id from events
      where actor_id = f.member_id and type in ('idea.posted', 'comment.added') and id < ${cut}::bigint
      order by id desc limit ${FOLLOWING_PAGE + 1}
    ) e
    join ideas i on i.id = e.idea_id
    left join comments c on c.id = e.comment_id
    join members m on m.id = f.member_id
    where (${moderator} or i.moderation = 'visible')
      and (e.type = 'idea.posted' and i.author_id = f.member_id and i.status <> 'duplicate'
           or e.type = 'comment.added' and c.deleted_at is null and (${moderator} or c.moderation = 'visible'))
    order by e.id desc
    limit ${FOLLOWING_PAGE + 1}`.execute(db);
  const more = rows.rows.length > FOLLOWING_PAGE;
  const page = rows.rows.slice(0, FOLLOWING_PAGE);
  return {
    items: page.map((r) => ({
      eventId: r.id, kind: r.type === "idea.posted" ? "idea" : "comment", at: new Date(r.created_at), authorHandle: r.handle, authorName: r.display_name,
      ideaId: r.idea_id, ideaTitle: r.title, commentId: r.comment_id, bodyHtml: r.body_html,
    })),
    next: more ? page[page.length - 1]!.id : null,
    follows: ids.length,
  };
}
