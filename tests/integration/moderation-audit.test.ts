import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import * as auditRoute from "../../app/routes/audit";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as newIdea from "../../app/routes/ideas.new";
import { addComment, editComment } from "../../app/models/discussion/comments.server";
import { mergeIdeas } from "../../app/models/pipeline/merges.server";
import { changeRole } from "../../app/models/members/members.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { suspendMember } from "../../app/models/moderation/suspensions.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { addStaffNote } from "../../app/models/triage/triage.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";
import { auditSentence, type AuditEntry } from "../../app/models/audit/audit";

type Member = Awaited<ReturnType<typeof makeMember>>;

/** An entry as its sentence reads: the actor's name, then what auditSentence says, plain text. */
const sentenceOf = (e: AuditEntry) => `${e.actor?.name ?? "Groundswell"} ${auditSentence(e).map((s) => (s.quote ? `“${s.text}”` : s.text)).join("")}`;

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

  ideas.answered = await makeIdea(t.db, author, { title: "Answered idea about lids" });
  ideas.source = await makeIdea(t.db, author, { title: "Merge source about straws" });
  ideas.target = await makeIdea(t.db, author, { title: "Merge target about straws" });
  ideas.rude = await makeIdea(t.db, troublemaker, { title: "Rude idea to be hidden" });

  // A member's own participation, through the routes, and staff posting as members do.
  const onIdea = (form: Record<string, string>) =>
    callRoute(ideaPage.action, t.db, { path: `/ideas/${ideas.answered.id}`, params: { ideaId: String(ideas.answered.id) }, cookie: authorCookie, form });
  expect((await onIdea({ intent: "vote", value: "up" })).status).toBe(200);
  const added = await onIdea({ intent: "comment", body: "I would use this daily" });
  ownComment = { id: added.data.commentId };
  expect((await onIdea({ intent: "edit-comment", commentId: String(ownComment.id), body: "I would use this every day" })).status).toBe(200);
  expect((await callRoute(newIdea.action, t.db, { path: "/ideas/new", cookie: authorCookie, form: { intent: "save", title: "Quieter grinders in store", category: "general", body: "", confirmed: "1" } })).status).toBe(302);
  await makeIdea(t.db, pm, { title: "A product manager's own idea" });
  await addComment(t.db, moderator, { ideaId: ideas.answered.id, body: "Speaking as a customer", parentId: null });

  // The staff actions, oldest first.
  await postOfficialResponse(t.db, pm, { ideaId: ideas.answered.id, toStatus: "under_review", body: "We are looking at it." });
  await mergeIdeas(t.db, pm, { sourceId: ideas.source.id, targetId: ideas.target.id });
  await moderate(t.db, moderator, { kind: "idea", targetId: ideas.rude.id, action: "hide", reason: "Name-calling" });
  await suspendMember(t.db, moderator, { memberId: troublemaker.id, until: null, reason: "Repeated abuse" });
  await changeRole(t.db, admin, { memberId: promoted.id, role: "moderator" });
});

const audit = async (query = "") => {
  const res = await callRoute(auditRoute.loader, t.db, { path: `/audit${query}`, cookie: adminCookie });
  expect(res.status, JSON.stringify(res.data)).toBe(200);
  return res.data as { items: AuditEntry[]; nextCursor: string | null; filter: { actor: string; type: string } };
};

describe("the audit log", () => {
  it("lists staff actions newest first, each as a sentence: who, in what role, what, on what", async () => {
    const { items, nextCursor } = await audit();
    expect(nextCursor).toBeNull();
    expect(items.map((e) => e.type)).toEqual(["member.role_changed", "member.suspended", "moderation.hidden", "idea.merged", "idea.status_changed"]);
    const ids = items.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);

    const [role, suspension, hidden, merged, status] = items;
    expect(role).toMatchObject({ actor: { handle: admin.handle, name: "Ada Admin", role: "admin" }, subject: { handle: promoted.handle }, idea: null });
    expect(sentenceOf(role!)).toBe("Ada Admin made Soon Moderator Moderator (was Member)");
    expect(suspension).toMatchObject({ actor: { handle: moderator.handle, role: "moderator" }, subject: { handle: troublemaker.handle } });
    expect(sentenceOf(suspension!)).toBe("Mo Derator suspended Trouble Maker until further notice: “Repeated abuse”");
    expect(hidden).toMatchObject({ actor: { role: "moderator" }, idea: { id: ideas.rude.id, title: "Rude idea to be hidden" }, subject: { handle: troublemaker.handle } });
    expect(sentenceOf(hidden!)).toBe("Mo Derator hid “Rude idea to be hidden”: “Name-calling”");
    expect(merged).toMatchObject({ actor: { handle: pm.handle, name: "Pat Product", role: "product_manager" }, idea: { id: ideas.source.id } });
    expect(sentenceOf(merged!)).toBe("Pat Product merged “Merge source about straws” into “Merge target about straws” (no votes or followers to move)");
    expect(status).toMatchObject({ actor: { role: "product_manager" }, idea: { id: ideas.answered.id, title: "Answered idea about lids" } });
    expect(sentenceOf(status!)).toBe("Pat Product moved “Answered idea about lids” from “New” to “Under review” with an official response");
    // Every link in a sentence goes to the idea or member it names.
    expect(auditSentence(hidden!).find((seg) => seg.href)).toEqual({ text: "Rude idea to be hidden", href: `/ideas/${ideas.rude.id}`, quote: true });
  });

  it("leaves out members' own posting and voting, staff posting as members do, and flags", async () => {
    const own = await t.db.selectFrom("events").select("type").where("actor_id", "in", [author.id, pm.id, moderator.id]).where("actor_role", "is", null).execute();
    // They are in the events log…
    expect(own.map((e) => e.type)).toEqual(expect.arrayContaining(["vote.cast", "comment.added", "comment.edited", "idea.posted", "member.joined"]));
    // …but not in the audit log.
    const { items } = await audit();
    const types = items.map((e) => e.type);
    for (const type of ["vote.cast", "comment.added", "comment.edited", "idea.posted", "member.joined", "idea.followed"]) expect(types).not.toContain(type);
    expect(items.every((e) => e.actor?.role != null && e.actor.role !== "member")).toBe(true);
    expect((await audit(`?actor=${author.handle}`)).items).toEqual([]);

    // A moderator editing someone else's comment is a staff action; its author's own edit was not.
    await editComment(t.db, moderator, { ideaId: ideas.answered.id, commentId: ownComment.id, body: "[removed personal details]" });
    const comments = (await audit("?type=edits")).items;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ type: "comment.edited", actor: { handle: moderator.handle, role: "moderator" }, commentId: ownComment.id, subject: { handle: author.handle } });
    expect(sentenceOf(comments[0]!)).toBe("Mo Derator edited a comment on “Answered idea about lids” by Ordinary Author");
    // The earlier words are in the comment's revisions, not copied into the log.
    const revision = await t.db.selectFrom("comment_revisions").select(["body", "editor_id"]).where("id", "=", (comments[0]!.payload as { revisionId: number }).revisionId).executeTakeFirstOrThrow();
    expect(revision).toEqual({ body: "I would use this every day", editor_id: moderator.id });
    expect(JSON.stringify(comments[0]!.payload)).not.toContain("every day");
  });

  it("filters by the staff member's handle and by kind of action", async () => {
    const types = async (query: string) => (await audit(query)).items.map((e) => e.type);
    expect(await types(`?actor=${pm.handle}`)).toEqual(["idea.merged", "idea.status_changed"]);
    expect(await types(`?actor=${admin.handle}`)).toEqual(["member.role_changed"]);
    expect(await types("?type=members")).toEqual(["member.role_changed", "member.suspended"]);
    expect(await types("?type=moderation")).toEqual(["moderation.hidden"]);
    expect(await types("?type=pipeline")).toEqual(["idea.merged", "idea.status_changed"]);
    expect(await types(`?actor=${moderator.handle}&type=members`)).toEqual(["member.suspended"]);
    expect(await types("?actor=nobody_at_all")).toEqual([]);
    const page = await audit(`?type=members&actor=${moderator.handle}`);
    expect(page.filter).toEqual({ actor: moderator.handle, type: "members" });

    // Keyset pages: the cursor of a page continues exactly after its last entry.
    const all = (await audit()).items;
    const { encodeCursor } = await import("../../app/models/shared/keyset");
    expect(await types(`?after=${encodeCursor({ key: null, id: Number(all[1]!.id) })}`)).toEqual(all.slice(2).map((e) => e.type));

    // Regression: the staff-notes filter (an underscore in its name) finds staff notes.
    await addStaffNote(t.db, pm, { ideaId: ideas.answered.id, body: "Call the supplier about lids" });
    const notes = (await audit("?type=staff_notes")).items;
    expect(notes.map((e) => e.type)).toEqual(["staff_note.added"]);
    expect(sentenceOf(notes[0]!)).toBe("Pat Product added a private note on “Answered idea about lids”");
    expect(JSON.stringify(notes[0])).not.toContain("supplier");

    for (const query of ["?type=vote", "?type=member%25", "?type=staff_note", "?actor=%3Cscript%3E", "?after=abc"]) {
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
