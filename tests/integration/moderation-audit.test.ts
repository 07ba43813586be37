import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/routes/audit";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as newIdea from "../../app/routes/ideas.new";
import { addComment, editComment } from "../../app/models/comments.server";
import { mergeIdeas } from "../../app/models/merges.server";
import { changeRole, moderate, suspendMember } from "../../app/models/moderation.server";
import { respondToIdea } from "../../app/models/pipeline.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;
type AuditItem = {
  id: string;
  type: string;
  actor_role: string | null;
  actor_handle: string | null;
  actor_name: string | null;
  subject_handle: string | null;
  idea_id: number | null;
  comment_id: number | null;
  idea_title: string | null;
  data: Record<string, unknown>;
};

let t: TestDatabase;
let admin: Member;
let pm: Member;
let moderator: Member;
let author: Member;
let troublemaker: Member;
let promoted: Member;
let adminCookie: string;
const ideas = {} as Record<"answered" | "source" | "target" | "rude", { id: number }>;
let ownComment: { id: number };

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "general", "General");
  admin = await makeMember(t.db, { role: "admin", displayName: "Ada Admin" });
  pm = await makeMember(t.db, { role: "product_manager", displayName: "Pat Product" });
  moderator = await makeMember(t.db, { role: "moderator", displayName: "Mo Derator" });
  author = await makeMember(t.db, { displayName: "Ordinary Author" });
  troublemaker = await makeMember(t.db, { displayName: "Trouble Maker" });
  promoted = await makeMember(t.db, { displayName: "Soon Moderator" });
  adminCookie = await cookieFor(t.db, admin.id);
  const authorCookie = await cookieFor(t.db, author.id);

  ideas.answered = await makeIdea(t.db, author.id, { title: "Answered idea about lids" });
  ideas.source = await makeIdea(t.db, author.id, { title: "Merge source about straws" });
  ideas.target = await makeIdea(t.db, author.id, { title: "Merge target about straws" });
  ideas.rude = await makeIdea(t.db, troublemaker.id, { title: "Rude idea to be hidden" });

  // A member's own participation, through the routes, and staff posting as members do.
  const onIdea = (form: Record<string, string>) =>
    callRoute(ideaPage.action, t.db, { path: `/ideas/${ideas.answered.id}`, params: { ideaId: String(ideas.answered.id) }, cookie: authorCookie, form });
  expect((await onIdea({ intent: "vote", value: "up" })).status).toBe(200);
  const added = await onIdea({ intent: "comment", body: "I would use this daily" });
  ownComment = { id: added.data.commentId };
  expect((await onIdea({ intent: "edit-comment", commentId: String(ownComment.id), body: "I would use this every day" })).status).toBe(200);
  expect((await callRoute(newIdea.action, t.db, { path: "/ideas/new", cookie: authorCookie, form: { intent: "save", title: "Quieter grinders in store", category: "general", body: "", confirmed: "1" } })).status).toBe(302);
  await makeIdea(t.db, pm.id, { title: "A product manager's own idea" });
  await addComment(t.db, { ideaId: ideas.answered.id, authorId: moderator.id, body: "Speaking as a customer", parentId: null });

  // The staff actions, oldest first.
  await respondToIdea(t.db, pm, { ideaId: ideas.answered.id, toStatus: "under_review", body: "We are looking at it." });
  await mergeIdeas(t.db, pm, { sourceId: ideas.source.id, targetId: ideas.target.id });
  await moderate(t.db, moderator, { kind: "idea", targetId: ideas.rude.id, action: "hide", reason: "Name-calling" });
  await suspendMember(t.db, moderator, { memberId: troublemaker.id, until: null, reason: "Repeated abuse" });
  await changeRole(t.db, admin, { memberId: promoted.id, role: "moderator" });
});

const audit = async (query = "") => {
  const res = await callRoute(auditRoute.loader, t.db, { path: `/audit${query}`, cookie: adminCookie });
  expect(res.status, JSON.stringify(res.data)).toBe(200);
  return res.data as { items: AuditItem[]; nextBefore: string | null; filter: { actor: string; type: string } };
};

describe("the audit log", () => {
  it("lists staff actions newest first: who, in what role, what, on what, before and after", async () => {
    const { items, nextBefore } = await audit();
    expect(nextBefore).toBeNull();
    expect(items.map((e) => e.type)).toEqual(["member.role_changed", "member.suspended", "moderation.hidden", "idea.merged", "idea.status_changed"]);
    const ids = items.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);

    const [role, suspension, hidden, merged, status] = items;
    expect(role).toMatchObject({
      actor_handle: admin.handle, actor_name: "Ada Admin", actor_role: "admin",
      subject_handle: promoted.handle, idea_id: null,
      data: { before: "member", after: "moderator" },
    });
    expect(suspension).toMatchObject({
      actor_handle: moderator.handle, actor_role: "moderator", subject_handle: troublemaker.handle,
      data: { before: { until: null, reason: null }, after: { until: "9999-12-31T00:00:00.000Z", reason: "Repeated abuse" } },
    });
    expect(hidden).toMatchObject({
      actor_handle: moderator.handle, actor_role: "moderator", idea_id: ideas.rude.id, idea_title: "Rude idea to be hidden", subject_handle: troublemaker.handle,
      data: { kind: "idea", before: "visible", after: "hidden", reason: "Name-calling" },
    });
    expect(merged).toMatchObject({
      actor_handle: pm.handle, actor_name: "Pat Product", actor_role: "product_manager", idea_id: ideas.source.id, idea_title: "Merge source about straws",
      data: { targetId: ideas.target.id },
    });
    expect(status).toMatchObject({
      actor_handle: pm.handle, actor_role: "product_manager", idea_id: ideas.answered.id, idea_title: "Answered idea about lids",
      data: { from: "new", to: "under_review" },
    });
  });

  it("leaves out members' own posting and voting, staff posting as members do, and flags", async () => {
    const own = await t.db.selectFrom("events").select("type").where("actor_id", "in", [author.id, pm.id, moderator.id]).where("actor_role", "is", null).execute();
    // They are in the events log…
    expect(own.map((e) => e.type)).toEqual(expect.arrayContaining(["vote.cast", "comment.added", "comment.edited", "idea.posted", "member.joined"]));
    // …but not in the audit log.
    const { items } = await audit();
    const types = items.map((e) => e.type);
    for (const type of ["vote.cast", "comment.added", "comment.edited", "idea.posted", "member.joined", "idea.followed"]) expect(types).not.toContain(type);
    expect(items.every((e) => e.actor_role !== null && e.actor_role !== "member")).toBe(true);
    expect((await audit(`?actor=${author.handle}`)).items).toEqual([]);

    // A moderator editing someone else's comment is a staff action; its author's own edit was not.
    await editComment(t.db, moderator, { ideaId: ideas.answered.id, commentId: ownComment.id, body: "[removed personal details]" });
    const comments = (await audit("?type=comment")).items;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({
      type: "comment.edited", actor_handle: moderator.handle, actor_role: "moderator", comment_id: ownComment.id,
      data: { before: "I would use this every day", after: "[removed personal details]" },
    });
  });

  it("filters by the staff member's handle and by kind of action", async () => {
    const types = async (query: string) => (await audit(query)).items.map((e) => e.type);
    expect(await types(`?actor=${pm.handle}`)).toEqual(["idea.merged", "idea.status_changed"]);
    expect(await types(`?actor=${admin.handle}`)).toEqual(["member.role_changed"]);
    expect(await types("?type=member")).toEqual(["member.role_changed", "member.suspended"]);
    expect(await types("?type=moderation")).toEqual(["moderation.hidden"]);
    expect(await types("?type=idea")).toEqual(["idea.merged", "idea.status_changed"]);
    expect(await types(`?actor=${moderator.handle}&type=member`)).toEqual(["member.suspended"]);
    expect(await types("?actor=nobody_at_all")).toEqual([]);
    const page = await audit(`?type=member&actor=${moderator.handle}`);
    expect(page.filter).toEqual({ actor: moderator.handle, type: "member" });

    const all = (await audit()).items;
    expect(await types(`?before=${all[1]!.id}`)).toEqual(all.slice(2).map((e) => e.type));

    for (const query of ["?type=vote", "?type=member%25", "?actor=%3Cscript%3E", "?before=abc"]) {
      const res = await callRoute(auditRoute.loader, t.db, { path: `/audit${query}`, cookie: adminCookie });
      expect(res.status, query).toBe(400);
    }
  });

  it("is append-only: the database refuses to change or delete its rows", async () => {
    const { items } = await audit();
    const hidden = items.find((e) => e.type === "moderation.hidden")!;
    const before = await t.db.selectFrom("events").selectAll().where("id", "=", hidden.id).executeTakeFirstOrThrow();
    const total = async () => Number((await t.db.selectFrom("events").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    const count = await total();

    await expect(sql`update events set data = '{"reason":"nothing happened"}' where id = ${hidden.id}`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(t.db.updateTable("events").set({ actor_id: null }).where("id", "=", hidden.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.updateTable("events").set({ actor_role: "member" }).where("actor_role", "is not", null).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom("events").where("id", "=", hidden.id).execute()).rejects.toThrow(/append-only/);
    await expect(sql`delete from events where actor_role = 'moderator'`.execute(t.db)).rejects.toThrow(/append-only/);
    // Not even inside a transaction that would otherwise commit.
    await expect(
      t.db.transaction().execute(async (trx) => {
        await trx.deleteFrom("events").where("id", "=", hidden.id).execute();
      }),
    ).rejects.toThrow(/append-only/);

    expect(await t.db.selectFrom("events").selectAll().where("id", "=", hidden.id).executeTakeFirstOrThrow()).toEqual(before);
    expect(await total()).toBe(count);
    expect((await audit()).items.map((e) => e.id)).toEqual(items.map((e) => e.id));
  });
});
