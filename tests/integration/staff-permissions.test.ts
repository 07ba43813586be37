import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as staffRoute from "../../app/routes/ideas.$ideaId_.staff";
import * as triage from "../../app/routes/triage";
import * as manageTags from "../../app/routes/manage.tags";
import * as manageCategories from "../../app/routes/manage.categories";
import { mergeIdeas } from "../../app/models/pipeline/merges.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { addStaffNote } from "../../app/models/triage/triage.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let author: Member;
const members = {} as Record<Role, Member>;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "general", "General");
  await ensureCategory(t.db, "drinks", "Drinks");
  await t.db.insertInto("tags").values([{ slug: "mobile-app", name: "Mobile app" }, { slug: "seasonal", name: "Seasonal" }]).execute();
  author = await makeMember(t.db, { displayName: "Idea Author" });
  for (const role of ["member", "moderator", "product_manager", "admin"] as const) {
    members[role] = await makeMember(t.db, { role, displayName: `A ${role}` });
    cookies[role] = await cookieFor(t.db, members[role].id);
  }
});

/** The one-time message a response sets (the gs_flash cookie holds it as base64 JSON). */
function flashOf(res: { headers: Headers }): string | null {
  const match = /gs_flash=([^;]*)/.exec(res.headers.get("Set-Cookie") ?? "");
  if (!match?.[1]) return null;
  return JSON.parse(decodeURIComponent(escape(atob(decodeURIComponent(match[1]))))) as string;
}

const staff = (ideaId: number, form: Record<string, string> | URLSearchParams, cookie?: string) =>
  callRoute(staffRoute.action, t.db, { path: `/ideas/${ideaId}/staff`, params: { ideaId: String(ideaId) }, form, cookie });

const count = async (table: "official_responses" | "staff_notes" | "events" | "notifications" | "idea_follows" | "votes") =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

/** Everything a staff action could change, across the whole database. */
async function everything() {
  return {
    ideas: await t.db.selectFrom("ideas").selectAll().orderBy("id").execute(),
    responses: await count("official_responses"),
    notes: await count("staff_notes"),
    events: await count("events"),
    notifications: await count("notifications"),
    follows: await count("idea_follows"),
    votes: await count("votes"),
    ideaTags: await t.db.selectFrom("idea_tags").selectAll().orderBy("idea_id").orderBy("tag_id").execute(),
    merges: await t.db.selectFrom("merges").selectAll().orderBy("id").execute(),
  };
}

/** An idea, a target to merge it into, and an active merge to undo. */
async function fixture(actor: Member) {
  const idea = await makeIdea(t.db, author, { title: "Refillable bean bags", category: "general" });
  const target = await makeIdea(t.db, author, { title: "Bring your own bean container", category: "general" });
  const mergedSource = await makeIdea(t.db, author, { title: "Bean refills in store", category: "general" });
  const mergedTarget = await makeIdea(t.db, author, { title: "Bean refill station", category: "general" });
  const voter = await makeMember(t.db);
  await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
  await castVote(t.db, voter, { ideaId: mergedSource.id, value: 1 });
  const { mergeId } = await mergeIdeas(t.db, actor, { sourceId: mergedSource.id, targetId: mergedTarget.id });
  return { idea, target, mergedSource, mergedTarget, mergeId };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;
const INTENTS = ["respond", "add-note", "assign", "categorise", "tag", "merge", "undo-merge"] as const;
type Intent = (typeof INTENTS)[number];

/** A request for each intent that a product manager would have accepted. */
function requestFor(intent: Intent, f: Fixture, ownerId: number): { ideaId: number; form: Record<string, string> } {
  switch (intent) {
    case "respond":
      return { ideaId: f.idea.id, form: { intent, status: "planned", body: "We **plan** to do it.", declineReason: "", revisitOn: "" } };
    case "add-note":
      return { ideaId: f.idea.id, form: { intent, body: "Secret: supplier says yes." } };
    case "assign":
      return { ideaId: f.idea.id, form: { intent, ownerId: String(ownerId) } };
    case "categorise":
      return { ideaId: f.idea.id, form: { intent, category: "drinks" } };
    case "tag":
      return { ideaId: f.idea.id, form: { intent, tags: "seasonal" } };
    case "merge":
      return { ideaId: f.idea.id, form: { intent, targetId: String(f.target.id), confirm: "yes" } };
    case "undo-merge":
      return { ideaId: f.mergedSource.id, form: { intent, mergeId: String(f.mergeId) } };
  }
}

describe("the staff route refuses everyone but the product team, and changes nothing", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture(members.product_manager);
  });

  const cases = (["visitor", "member", "moderator"] as const).flatMap((who) => INTENTS.map((intent) => [who, intent] as const));
  it.each(cases)("%s: %s", async (who, intent) => {
    const { ideaId, form } = requestFor(intent, f, members.product_manager.id);
    const before = await everything();
    const res = await staff(ideaId, form, who === "visitor" ? undefined : cookies[who]);
    if (who === "visitor") {
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/ideas/${ideaId}/staff`)}`);
    } else {
      expect(res.status).toBe(403);
      expect(res.data.fieldErrors.form).toMatch(/product managers and admins/);
    }
    expect(flashOf(res)).toBeNull();
    expect(await everything()).toEqual(before);
  });
});

describe.each(["product_manager", "admin"] as const)("the staff route lets a %s act", (role) => {
  let f: Fixture;
  let actor: Member;
  beforeAll(async () => {
    actor = members[role];
    f = await fixture(actor);
  });
  const act = (intent: Intent) => {
    const { ideaId, form } = requestFor(intent, f, actor.id);
    return staff(ideaId, form, cookies[role]);
  };
  const ideaOf = (id: number) => t.db.selectFrom("ideas").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const eventsOf = (id: number, type: string) =>
    t.db.selectFrom("events").select(["actor_id", "actor_role", "data"]).where("idea_id", "=", id).where("type", "=", type).execute();

  it("respond", async () => {
    const res = await act("respond");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${f.idea.id}#official-response`);
    expect(flashOf(res)).toMatch(/Status changed/);
    expect((await ideaOf(f.idea.id)).status).toBe("planned");
    const responses = await t.db.selectFrom("official_responses").select(["author_id", "body_html"]).where("idea_id", "=", f.idea.id).execute();
    expect(responses).toEqual([{ author_id: actor.id, body_html: "<p>We <strong>plan</strong> to do it.</p>\n" }]);
    expect(await eventsOf(f.idea.id, "idea.status_changed")).toMatchObject([{ actor_id: actor.id, actor_role: role }]);
  });

  it("add-note", async () => {
    const res = await act("add-note");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${f.idea.id}#staff-notes`);
    expect(flashOf(res)).toMatch(/Note added/);
    const notes = await t.db.selectFrom("staff_notes").select(["author_id", "body"]).where("idea_id", "=", f.idea.id).execute();
    expect(notes).toEqual([{ author_id: actor.id, body: "Secret: supplier says yes." }]);
    expect(await eventsOf(f.idea.id, "staff_note.added")).toMatchObject([{ actor_id: actor.id, actor_role: role }]);
  });

  it("assign", async () => {
    const res = await act("assign");
    expect(res.status).toBe(302);
    expect(flashOf(res)).toBe("Owner assigned.");
    expect((await ideaOf(f.idea.id)).owner_id).toBe(actor.id);
    expect(await eventsOf(f.idea.id, "idea.assigned")).toMatchObject([{ actor_role: role, data: { from: null, to: actor.id } }]);
    const cleared = await staff(f.idea.id, { intent: "assign", ownerId: "" }, cookies[role]);
    expect(flashOf(cleared)).toBe("Owner removed.");
    expect((await ideaOf(f.idea.id)).owner_id).toBeNull();
  });

  it("categorise", async () => {
    const res = await act("categorise");
    expect(res.status).toBe(302);
    expect(flashOf(res)).toBe("Category changed.");
    const drinks = await t.db.selectFrom("categories").select("id").where("slug", "=", "drinks").executeTakeFirstOrThrow();
    expect((await ideaOf(f.idea.id)).category_id).toBe(drinks.id);
    expect(await eventsOf(f.idea.id, "idea.categorised")).toHaveLength(1);
  });

  it("tag", async () => {
    const res = await act("tag");
    expect(res.status).toBe(302);
    expect(flashOf(res)).toBe("Tags saved.");
    const both = await staff(f.idea.id, new URLSearchParams([["intent", "tag"], ["tags", "seasonal"], ["tags", "mobile-app"]]), cookies[role]);
    expect(both.status).toBe(302);
    const tags = await t.db
      .selectFrom("idea_tags").innerJoin("tags", "tags.id", "idea_tags.tag_id").select("tags.slug")
      .where("idea_tags.idea_id", "=", f.idea.id).orderBy("tags.slug").execute();
    expect(tags.map((r) => r.slug)).toEqual(["mobile-app", "seasonal"]);
    const events = await eventsOf(f.idea.id, "idea.tagged");
    const tagId = async (slug: string) => (await t.db.selectFrom("tags").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
    // Events name the tags by id (tags can be renamed; the event stays true).
    expect(events.map((e) => e.data)).toEqual([
      { added: [await tagId("seasonal")], removed: [] },
      { added: [await tagId("mobile-app")], removed: [] },
    ]);
    const unknown = await staff(f.idea.id, { intent: "tag", tags: "no-such-tag" }, cookies[role]);
    expect(unknown.status).toBe(400);
    expect(unknown.data.fieldErrors.tags).toBeTruthy();
  });

  it("merge", async () => {
    const res = await act("merge");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${f.target.id}`);
    expect(flashOf(res)).toMatch(/^Merged\. 1 vote and 1 follower moved here\. To undo it/);
    expect(await ideaOf(f.idea.id)).toMatchObject({ status: "duplicate", duplicate_of_id: f.target.id });
    expect((await ideaOf(f.target.id)).up_count).toBe(1);
  });

  it("undo-merge", async () => {
    const res = await act("undo-merge");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${f.mergedSource.id}`);
    expect(flashOf(res)).toMatch(/Merge undone/);
    expect(await ideaOf(f.mergedSource.id)).toMatchObject({ status: "new", duplicate_of_id: null });
    expect(await ideaOf(f.mergedTarget.id)).toMatchObject({ up_count: 0, score: 0 });
    const merge = await t.db.selectFrom("merges").select(["undone_by"]).where("id", "=", f.mergeId).executeTakeFirstOrThrow();
    expect(merge.undone_by).toBe(actor.id);
  });
});

describe("what the idea page shows to whom", () => {
  it("returns the staff panel and notes only to the product team", async () => {
    const idea = await makeIdea(t.db, author, { title: "Decaf after noon" });
    await addStaffNote(t.db, members.product_manager, { ideaId: idea.id, body: "Roaster **quote** pending" });
    const load = (cookie?: string) =>
      callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie });

    for (const cookie of [undefined, cookies.member, cookies.moderator]) {
      const page = await load(cookie);
      expect(page.status).toBe(200);
      expect(page.data.staff).toBeNull();
      expect(JSON.stringify(page.data)).not.toContain("Roaster");
    }
    for (const role of ["product_manager", "admin"] as const) {
      const page = await load(cookies[role]);
      expect(page.data.staff).not.toBeNull();
      expect(page.data.staff.notes).toHaveLength(1);
      expect(page.data.staff.notes[0]).toMatchObject({ body_html: "<p>Roaster <strong>quote</strong> pending</p>\n", author_name: "A product_manager" });
      expect(page.data.staff.owners.map((o: { id: number }) => o.id)).toEqual(
        expect.arrayContaining([members.product_manager.id, members.admin.id]),
      );
      expect(page.data.staff.owners.map((o: { id: number }) => o.id)).not.toContain(members.member.id);
    }
  });
});

describe("the triage queue", () => {
  it("is refused to members and moderators, and sends visitors to sign in", async () => {
    for (const role of ["member", "moderator"] as const) {
      const res = await callRoute(triage.loader, t.db, { path: "/triage", cookie: cookies[role] });
      expect(res.status, role).toBe(403);
    }
    const visitor = await callRoute(triage.loader, t.db, { path: "/triage?order=votes" });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/triage?order=votes")}`);
  });

  it("lists only new ideas, oldest first, or most voted first", async () => {
    const day = (n: number) => new Date(Date.UTC(2001, 0, n));
    const voters = await Promise.all(Array.from({ length: 5 }, () => makeMember(t.db)));
    const answered = await makeIdea(t.db, author, { title: "Oldest but answered", createdAt: day(1) });
    const oldest = await makeIdea(t.db, author, { title: "Oldest unanswered", createdAt: day(2) });
    const middle = await makeIdea(t.db, author, { title: "Middle unanswered", createdAt: day(3) });
    const newest = await makeIdea(t.db, author, { title: "Newest of the three", createdAt: day(4) });
    const vote = async (idea: { id: number }, n: number) => {
      for (const v of voters.slice(0, n)) await castVote(t.db, v, { ideaId: idea.id, value: 1 });
    };
    await vote(answered, 5);
    await vote(oldest, 2);
    await vote(middle, 4);
    await vote(newest, 3);
    await postOfficialResponse(t.db, members.product_manager, { ideaId: answered.id, toStatus: "under_review", body: "Looking." });

    const res = await callRoute(triage.loader, t.db, { path: "/triage", cookie: cookies.product_manager });
    expect(res.status).toBe(200);
    expect(res.data.order).toBe("oldest");
    const ids = res.data.ideas.map((i: { id: number }) => i.id);
    expect(ids.slice(0, 3)).toEqual([oldest.id, middle.id, newest.id]);
    expect(ids).not.toContain(answered.id);
    const statuses = await t.db.selectFrom("ideas").select("status").where("id", "in", ids).execute();
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(["new"]));

    const byVotes = await callRoute(triage.loader, t.db, { path: "/triage?order=votes", cookie: cookies.admin });
    expect(byVotes.status).toBe(200);
    expect(byVotes.data.order).toBe("votes");
    const voteIds = byVotes.data.ideas.map((i: { id: number }) => i.id);
    expect(voteIds.slice(0, 3)).toEqual([middle.id, newest.id, oldest.id]);
    expect(voteIds).not.toContain(answered.id);
    const scores = byVotes.data.ideas.map((i: { score: number }) => i.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));

    const garbage = await callRoute(triage.loader, t.db, { path: "/triage?after=zzz", cookie: cookies.product_manager });
    expect(garbage.status).toBe(400);
  });
});

describe("managing tags and categories", () => {
  it("tags: refused to members, open to product managers", async () => {
    expect((await callRoute(manageTags.loader, t.db, { path: "/manage/tags", cookie: cookies.member })).status).toBe(403);
    expect((await callRoute(manageTags.loader, t.db, { path: "/manage/tags", cookie: cookies.moderator })).status).toBe(403);
    const before = await t.db.selectFrom("tags").selectAll().orderBy("id").execute();
    const refused = await callRoute(manageTags.action, t.db, { path: "/manage/tags", cookie: cookies.member, form: { name: "Loyalty" } });
    expect(refused.status).toBe(403);
    expect(await t.db.selectFrom("tags").selectAll().orderBy("id").execute()).toEqual(before);

    const page = await callRoute(manageTags.loader, t.db, { path: "/manage/tags", cookie: cookies.product_manager });
    expect(page.status).toBe(200);
    expect(page.data.tags.map((tag: { slug: string }) => tag.slug)).toEqual(expect.arrayContaining(["mobile-app", "seasonal"]));
    const created = await callRoute(manageTags.action, t.db, { path: "/manage/tags", cookie: cookies.product_manager, form: { name: "Loyalty & Rewards!" } });
    expect(created.status).toBe(302);
    expect(flashOf(created)).toBe("Tag #loyalty-rewards created.");
    const again = await callRoute(manageTags.action, t.db, { path: "/manage/tags", cookie: cookies.admin, form: { name: "loyalty rewards" } });
    expect(again.status).toBe(409);
    expect(again.data.fieldErrors.name).toMatch(/already exists/);
  });

  it("categories: admins only; a duplicate name is a 409", async () => {
    for (const role of ["member", "moderator", "product_manager"] as const) {
      expect((await callRoute(manageCategories.loader, t.db, { path: "/manage/categories", cookie: cookies[role] })).status, role).toBe(403);
    }
    const before = await t.db.selectFrom("categories").selectAll().orderBy("id").execute();
    const refused = await callRoute(manageCategories.action, t.db, {
      path: "/manage/categories", cookie: cookies.product_manager, form: { intent: "create", name: "Pastries", description: "" },
    });
    expect(refused.status).toBe(403);
    expect(await t.db.selectFrom("categories").selectAll().orderBy("id").execute()).toEqual(before);

    const page = await callRoute(manageCategories.loader, t.db, { path: "/manage/categories", cookie: cookies.admin });
    expect(page.status).toBe(200);
    expect(page.data.categories.map((c: { slug: string }) => c.slug)).toEqual(expect.arrayContaining(["general", "drinks"]));
    const created = await callRoute(manageCategories.action, t.db, {
      path: "/manage/categories", cookie: cookies.admin, form: { intent: "create", name: "Pastries", description: "Baked goods" },
    });
    expect(created.status).toBe(302);
    const row = await t.db.selectFrom("categories").selectAll().where("slug", "=", "pastries").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: "Pastries", description: "Baked goods" });
    const countBefore = (await t.db.selectFrom("categories").select("id").execute()).length;
    const dup = await callRoute(manageCategories.action, t.db, {
      path: "/manage/categories", cookie: cookies.admin, form: { intent: "create", name: "Drinks", description: "" },
    });
    expect(dup.status).toBe(409);
    expect(dup.data.fieldErrors.name).toMatch(/already exists/);
    expect((await t.db.selectFrom("categories").select("id").execute()).length).toBe(countBefore);
  });
});

describe("bad input on the staff route", () => {
  let idea: { id: number };
  beforeAll(async () => {
    idea = await makeIdea(t.db, author, { title: "Bigger cups for cold brew" });
  });

  it.each([
    ["respond with an empty body", { intent: "respond", status: "planned", body: "   " }, 400, "body", /required/],
    ["respond with no body at all", { intent: "respond", status: "planned" }, 400, "body", /required/],
    ["respond with an unknown status", { intent: "respond", status: "shipped", body: "Yes" }, 400, "status", /Choose a status/],
    ["declined without a reason", { intent: "respond", status: "declined", body: "No.", declineReason: "" }, 400, "declineReason", /why/],
    ["declined with an unknown reason", { intent: "respond", status: "declined", body: "No.", declineReason: "because" }, 400, "declineReason", /.+/],
    ["a revisit date in the past", { intent: "respond", status: "declined", body: "No.", declineReason: "not_planned", revisitOn: "2020-01-01" }, 400, "revisitOn", /future/],
    ["a revisit date of today", { intent: "respond", status: "declined", body: "No.", declineReason: "not_planned", revisitOn: new Date().toISOString().slice(0, 10) }, 400, "revisitOn", /future/],
    ["a revisit date that does not exist", { intent: "respond", status: "declined", body: "No.", declineReason: "not_planned", revisitOn: "2099-02-30" }, 400, "revisitOn", /does not exist/],
    ["a revisit date that is not a date", { intent: "respond", status: "declined", body: "No.", declineReason: "not_planned", revisitOn: "next week" }, 400, "revisitOn", /YYYY-MM-DD/],
    ["merge into \"abc\"", { intent: "merge", targetId: "abc" }, 400, "targetId", /number of the idea/],
    ["merge without a target", { intent: "merge" }, 400, "targetId", /number of the idea/],
    ["merge into a non-existent idea", { intent: "merge", targetId: "999999", confirm: "yes" }, 404, "targetId", /does not exist/],
    ["assign to a plain member", { intent: "assign", ownerId: "MEMBER" }, 400, "ownerId", /product manager or admin/],
    ["assign to a moderator", { intent: "assign", ownerId: "MODERATOR" }, 400, "ownerId", /product manager or admin/],
    ["assign to \"x\"", { intent: "assign", ownerId: "x" }, 400, "ownerId", /.+/],
    ["categorise into an unknown category", { intent: "categorise", category: "nope" }, 400, "category", /listed categories/],
    ["a note with an empty body", { intent: "add-note", body: "" }, 400, "body", /required/],
    ["undo an unknown merge", { intent: "undo-merge", mergeId: "424242" }, 404, "form", /does not exist/],
    ["an unknown intent", { intent: "launch" }, 400, "intent", /.+/],
  ] as const)("%s", async (_name, rawForm, status, field, message) => {
    const form: Record<string, string> = { ...rawForm };
    if (form.ownerId === "MEMBER") form.ownerId = String(members.member.id);
    if (form.ownerId === "MODERATOR") form.ownerId = String(members.moderator.id);
    const before = await everything();
    const res = await staff(idea.id, form, cookies.product_manager);
    expect(res.status).toBe(status);
    expect(res.data.fieldErrors[field]).toMatch(message);
    expect(await everything()).toEqual(before);
  });

  it("answers unknown ideas with 404", async () => {
    const before = await everything();
    const res = await staff(999_999, { intent: "add-note", body: "Hello" }, cookies.product_manager);
    expect(res.status).toBe(404);
    const bad = await callRoute(staffRoute.action, t.db, { path: "/ideas/abc/staff", params: { ideaId: "abc" }, form: { intent: "add-note", body: "x" }, cookie: cookies.product_manager });
    expect(bad.status).toBe(404);
    expect(await everything()).toEqual(before);
  });
});
