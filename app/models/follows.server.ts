import type { DB } from "../lib/db.server";
import { notFound } from "./errors";
import { appendEvent } from "./events.server";

/** Starts following an idea (idempotent); used directly and by posting and voting. */
export async function followIdea(db: DB, input: { ideaId: number; memberId: number }, record = true): Promise<boolean> {
  const row = await db
    .insertInto("idea_follows")
    .values({ idea_id: input.ideaId, member_id: input.memberId })
    .onConflict((oc) => oc.columns(["idea_id", "member_id"]).doNothing())
    .returning("member_id")
    .executeTakeFirst();
  if (row && record) await appendEvent(db, { type: "idea.followed", actorId: input.memberId, ideaId: input.ideaId });
  return !!row;
}

/** Follows or unfollows an idea on the member's request, with its event, in one transaction. */
export async function setFollowing(db: DB, input: { ideaId: number; memberId: number; follow: boolean }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const idea = await trx.selectFrom("ideas").select("id").where("id", "=", input.ideaId).executeTakeFirst();
    if (!idea) throw notFound("That idea");
    if (input.follow) {
      await followIdea(trx, input);
      return;
    }
    const removed = await trx
      .deleteFrom("idea_follows")
      .where("idea_id", "=", input.ideaId)
      .where("member_id", "=", input.memberId)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) > 0) {
      await appendEvent(trx, { type: "idea.unfollowed", actorId: input.memberId, ideaId: input.ideaId });
    }
  });
}
