import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { applyActionLimit } from "../moderation/limits.server";
import { assertCan, type Actor } from "../policy";
import { notFound } from "../shared/errors";

/**
 * Follows an idea automatically (on posting or first voting), inside the
 * caller's transaction. Idempotent; the event is appended only when the
 * follow is new, so a member who unfollowed stays unfollowed until they act.
 */
export async function followIdea(trx: DB, actor: Actor, ideaId: number, via: "posting" | "voting", at?: Date): Promise<boolean> {
  const row = await trx
    .insertInto("idea_follows")
    .values({ idea_id: ideaId, member_id: actor.id, ...(at ? { created_at: at } : {}) })
    .onConflict((oc) => oc.columns(["idea_id", "member_id"]).doNothing())
    .returning("member_id")
    .executeTakeFirst();
  if (row) await emit(trx, { type: "idea.followed", actor, ideaId, payload: { via }, at });
  return !!row;
}

/** Follows or unfollows an idea on the member's request, with its event, in one transaction. */
export async function setFollowing(db: DB, actor: Actor | null, input: { ideaId: number; follow: boolean }): Promise<{ changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const idea = await trx.selectFrom("ideas").select("id").where("id", "=", input.ideaId).executeTakeFirst();
    if (!idea) throw notFound("That idea");
    assertCan(actor, "idea.follow", null);
    if (input.follow) {
      const row = await trx
        .insertInto("idea_follows")
        .values({ idea_id: idea.id, member_id: actor.id })
        .onConflict((oc) => oc.columns(["idea_id", "member_id"]).doNothing())
        .returning("member_id")
        .executeTakeFirst();
      if (!row) return { changed: false };
      await applyActionLimit(trx, actor, "follow");
      await emit(trx, { type: "idea.followed", actor, ideaId: idea.id, payload: { via: "member" } });
      return { changed: true };
    }
    const removed = await trx
      .deleteFrom("idea_follows")
      .where("idea_id", "=", idea.id)
      .where("member_id", "=", actor.id)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return { changed: false };
    await applyActionLimit(trx, actor, "follow");
    await emit(trx, { type: "idea.unfollowed", actor, ideaId: idea.id, payload: { via: "member" } });
    return { changed: true };
  });
}

/**
 * Follows or unfollows a category on the member's request: a new idea in it then
 * tells them (in-app, and by e-mail where they chose so). One transaction, with its event.
 */
export async function setCategoryFollowing(
  db: DB,
  actor: Actor | null,
  input: { slug: string; follow: boolean; at?: Date },
): Promise<{ changed: boolean; name: string }> {
  return db.transaction().execute(async (trx) => {
    const category = await trx.selectFrom("categories").select(["id", "name"]).where("slug", "=", input.slug).executeTakeFirst();
    if (!category) throw notFound("That category");
    assertCan(actor, "category.follow", null);
    const changed = input.follow
      ? !!(await trx
          .insertInto("category_follows")
          .values({ category_id: category.id, member_id: actor.id, ...(input.at ? { created_at: input.at } : {}) })
          .onConflict((oc) => oc.columns(["category_id", "member_id"]).doNothing())
          .returning("member_id")
          .executeTakeFirst())
      : Number(
          (await trx.deleteFrom("category_follows").where("category_id", "=", category.id).where("member_id", "=", actor.id).executeTakeFirst())
            .numDeletedRows,
        ) > 0;
    if (!changed) return { changed, name: category.name };
    await applyActionLimit(trx, actor, "follow");
    await emit(trx, { type: input.follow ? "category.followed" : "category.unfollowed", actor, payload: { categoryId: category.id }, at: input.at });
    return { changed, name: category.name };
  });
}

/** The slugs of the categories a member follows (a handful: read by the member's own index). */
export async function followedCategorySlugs(db: DB, memberId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("category_follows")
    .innerJoin("categories", "categories.id", "category_follows.category_id")
    .select("categories.slug")
    .where("category_follows.member_id", "=", memberId)
    .orderBy("categories.name")
    .execute();
  return rows.map((r) => r.slug);
}
