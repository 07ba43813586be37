import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { sql } from "kysely";
import { db, viewerId } from "../db.server";

/** POST /ideas/:id with intent=vote&value=up|down|none: sets the viewer's vote, then back to the list. */
export async function action({ request, params }: ActionFunctionArgs) {
  const memberId = await viewerId(request);
  if (memberId === null) throw new Response("Sign in to vote.", { status: 401 });
  const ideaId = Number(params.id);
  const form = await request.formData();
  const value = { up: 1, down: -1, none: 0 }[String(form.get("value"))];
  if (form.get("intent") !== "vote" || value === undefined || !Number.isInteger(ideaId)) {
    throw new Response("Bad vote.", { status: 400 });
  }
  await db.transaction().execute(async (trx) => {
    const idea = await trx.selectFrom("ideas").select(["id"]).where("id", "=", ideaId).forUpdate().executeTakeFirst();
    if (!idea) throw new Response("No such idea.", { status: 404 });
    const before = await trx
      .selectFrom("votes")
      .select("value")
      .where("idea_id", "=", ideaId)
      .where("member_id", "=", memberId)
      .executeTakeFirst();
    const old = before?.value ?? 0;
    if (old === value) return;
    if (value === 0) {
      await trx.deleteFrom("votes").where("idea_id", "=", ideaId).where("member_id", "=", memberId).execute();
    } else {
      await trx
        .insertInto("votes")
        .values({ idea_id: ideaId, member_id: memberId, value })
        .onConflict((oc) => oc.columns(["idea_id", "member_id"]).doUpdateSet({ value, updated_at: new Date() }))
        .execute();
    }
    const up = (value === 1 ? 1 : 0) - (old === 1 ? 1 : 0);
    const down = (value === -1 ? 1 : 0) - (old === -1 ? 1 : 0);
    // Groundswell's trending key (app/models/ranking.ts), computed in SQL.
    await trx
      .updateTable("ideas")
      .set({
        up_count: sql<number>`up_count + ${up}`,
        down_count: sql<number>`down_count + ${down}`,
        score: sql<number>`score + ${up - down}`,
        trending: sql<number>`round((sign(score + ${up - down}) * log(greatest(abs(score + ${up - down}), 1))
          + (extract(epoch from created_at) - 1700000000) / 604800)::numeric, 7)::float8`,
      })
      .where("id", "=", ideaId)
      .execute();
  });
  const to = String(form.get("returnTo") ?? "/");
  return redirect(to.startsWith("/") && !to.startsWith("//") ? to : "/");
}
