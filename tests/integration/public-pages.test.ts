import { beforeAll, describe, expect, it } from "vitest";
import * as roadmap from "../../app/routes/roadmap";
import * as inAction from "../../app/routes/in-action";
import * as similar from "../../app/routes/ideas.similar";
import * as newIdea from "../../app/routes/ideas.new";
import * as index from "../../app/routes/_index";
import { encodeCursor } from "../../app/models/shared/keyset";
import { mergeIdeas, undoMerge } from "../../app/models/pipeline/merges.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { RESPONSIVENESS_MIN_VOTES } from "../../app/models/pipeline/roadmap.server";
import { createTag } from "../../app/models/catalog/catalog.server";
import { setIdeaTags } from "../../app/models/triage/triage.server";
import { castVote } from "../../app/models/votes/votes.server";
import type { IdeaStatus } from "../../db/schema";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let pm: Member;
let author: Member;
let voters: Member[];

const DAY = 86_400_000;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "drinks", "Drinks");
  pm = await makeMember(t.db, { role: "product_manager", displayName: "Roadmap PM" });
  author = await makeMember(t.db, { displayName: "Inventor" });
  voters = await Promise.all(Array.from({ length: 8 }, (_, i) => makeMember(t.db, { displayName: `Supporter ${i}` })));
});

const idea = (title: string, createdAt?: Date, by = author) => makeIdea(t.db, by, { title, category: "drinks", createdAt });

/** `up` up-votes then `down` down-votes, from distinct members, in this order. */
async function votes(ideaId: number, up: number, down = 0) {
  for (let i = 0; i < up; i++) await castVote(t.db, voters[i]!, { ideaId, value: 1 });
  for (let i = up; i < up + down; i++) await castVote(t.db, voters[i]!, { ideaId, value: -1 });
}

const move = (ideaId: number, toStatus: Exclude<IdeaStatus, "duplicate"> | null, at?: Date, body = "An answer.") =>
  postOfficialResponse(t.db, pm, { ideaId, toStatus, body, at, declineReason: toStatus === "declined" ? "not_planned" : null });

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

// This block runs first, on a database holding only what it makes, so the
// figures are exact.
describe("the roadmap", () => {
  it("shows the four columns and how well the company answers", async () => {
    expect(RESPONSIVENESS_MIN_VOTES).toBe(3);
    const created = new Date(Date.now() - 90 * DAY);
    const after = (days: number) => new Date(created.getTime() + days * DAY);

    // Columns (each idea under the vote threshold, so they do not count below).
    // The more wanted one is older: it leads on votes, not on age.
    const review2 = await idea("Under review, more wanted");
    const review1 = await idea("Under review, less wanted");
    await votes(review2.id, 2);
    await votes(review1.id, 1);
    const planned = await idea("Planned idea");
    const progress = await idea("In progress idea");
    const adoptedOld = await idea("Adopted a while ago");
    const adoptedNew = await idea("Adopted recently");
    const declined = await idea("Declined idea");
    const fresh = await idea("Fresh idea, not answered");
    await move(review1.id, "under_review");
    await move(review2.id, "under_review");
    await move(planned.id, "planned");
    await move(progress.id, "planned");
    await move(progress.id, "in_progress");
    await move(adoptedOld.id, "adopted", new Date(Date.now() - 20 * DAY));
    await move(adoptedNew.id, "adopted", new Date(Date.now() - 10 * DAY));
    await move(declined.id, "declined");

    // Responsiveness: ideas with at least 3 up-votes (whatever their down-votes).
    const r1 = await idea("Answered after two days", created);
    await votes(r1.id, 3);
    await move(r1.id, null, after(2)); // an answer without a status change counts
    await move(r1.id, null, after(20)); // a later answer does not change the first
    const r2 = await idea("Answered after five days", created);
    await votes(r2.id, 4, 3); // score 1, but 4 up-votes
    await move(r2.id, null, after(5));
    const r3 = await idea("Answered after eleven days", created);
    await votes(r3.id, 3, 1);
    await move(r3.id, null, after(11));
    const r4 = await idea("Never answered", created);
    await votes(r4.id, 3);
    // Not counted: too few up-votes (however many votes), or a merged duplicate.
    const few = await idea("Too few up-votes", created);
    await votes(few.id, 2, 5);
    await move(few.id, null, after(60));
    const dup = await idea("Answered duplicate", created);
    await votes(dup.id, 3);
    await move(dup.id, null, after(70));
    await mergeIdeas(t.db, pm, { sourceId: dup.id, targetId: r4.id });

    const res = await callRoute(roadmap.loader, t.db, { path: "/roadmap" });
    expect(res.status).toBe(200);
    const { roadmap: columns, responsiveness } = res.data;
    expect(Object.keys(columns).sort()).toEqual(["adopted", "in_progress", "planned", "under_review"]);
    expect(ids(columns.under_review)).toEqual([review2.id, review1.id]); // most wanted first
    expect(ids(columns.planned)).toEqual([planned.id]);
    expect(ids(columns.in_progress)).toEqual([progress.id]);
    expect(ids(columns.adopted)).toEqual([adoptedNew.id, adoptedOld.id]); // newest adoption first
    const shown = [...columns.under_review, ...columns.planned, ...columns.in_progress, ...columns.adopted].map((r: { id: number }) => r.id);
    for (const hidden of [declined.id, fresh.id, r1.id, dup.id]) expect(shown).not.toContain(hidden);
    expect(columns.under_review[0]).toMatchObject({ title: "Under review, more wanted", score: 2, category_name: "Drinks" });

    // 4 ideas count (r1..r4); 3 are answered, after 2, 5 and 11 days: median 5.
    expect(responsiveness).toMatchObject({ minVotes: 3, total: 4, answered: 3, share: 0.75 });
    expect(responsiveness.medianDays).toBeCloseTo(5, 6);

    // A fourth answer, after 3 days: the median of 2, 3, 5 and 11 is 4.
    await move(r4.id, "under_review", after(3));
    const again = await callRoute(roadmap.loader, t.db, { path: "/roadmap" });
    expect(again.data.responsiveness).toMatchObject({ total: 4, answered: 4, share: 1 });
    expect(again.data.responsiveness.medianDays).toBeCloseTo(4, 6);
  });
});

describe("Ideas in Action", () => {
  let adopted: { id: number; title: string }[];
  let star: { id: number };
  let dupeAuthor: Member;

  beforeAll(async () => {
    dupeAuthor = await makeMember(t.db, { displayName: "Dupe Author" });
    const otherDupeAuthor = await makeMember(t.db, { displayName: "Unmerged Author" });
    adopted = [];
    const base = Date.now() - 3 * 60 * 60_000;
    for (let i = 0; i < 13; i++) adopted.push(await idea(`Adopted idea number ${i}`));
    star = adopted[12]!;
    // The star idea: up-voters 0..5 and one down-voter (6), in that order, then a merged duplicate.
    for (let i = 0; i < 7; i++) {
      if (i === 3) await castVote(t.db, voters[6]!, { ideaId: star.id, value: -1 });
      else await castVote(t.db, voters[i === 6 ? 3 : i]!, { ideaId: star.id, value: 1 });
    }
    const dupe = await idea("Same as the star idea", undefined, dupeAuthor);
    await mergeIdeas(t.db, pm, { sourceId: dupe.id, targetId: star.id });
    const unmerged = await idea("Merged and then unmerged", undefined, otherDupeAuthor);
    const { mergeId } = await mergeIdeas(t.db, pm, { sourceId: unmerged.id, targetId: star.id });
    await undoMerge(t.db, pm, mergeId);
    await move(star.id, "under_review", new Date(base - 60_000), "Looking into it.");
    for (let i = 0; i < 13; i++) {
      await move(adopted[i]!.id, "adopted", new Date(base + i * 60_000), i === 12 ? "It is **live** in every store." : "Adopted.");
    }
  });

  it("lists adopted ideas, newest adoption first, with their response and the people to credit", async () => {
    const res = await callRoute(inAction.loader, t.db, { path: "/in-action" });
    expect(res.status).toBe(200);
    expect(res.data.paged).toBe(false);
    expect(ids(res.data.ideas)).toEqual(adopted.slice(1).reverse().map((i) => i.id));
    const [first] = res.data.ideas;
    expect(first).toMatchObject({ id: star.id, author_name: "Inventor", author_handle: author.handle, category_name: "Drinks" });
    expect(first.response.body_html).toBe("<p>It is <strong>live</strong> in every store.</p>\n");
    expect(first.response.author_name).toBe("Roadmap PM");
    expect(first.mergedAuthors).toEqual([{ name: "Dupe Author", handle: dupeAuthor.handle }]);
    // The first five up-voters, in the order they voted; the down-voter is not a supporter.
    expect(first.firstSupporters).toEqual(
      [0, 1, 2, 4, 5].map((i) => ({ name: `Supporter ${i}`, handle: voters[i]!.handle })),
    );
    expect(res.data.ideas[1]).toMatchObject({ mergedAuthors: [], firstSupporters: [], response: { body_html: "<p>Adopted.</p>\n" } });
    expect(typeof res.data.next).toBe("string");
  });

  it("pages with `before`, and refuses a garbage `before` with 400", async () => {
    const page1 = await callRoute(inAction.loader, t.db, { path: "/in-action" });
    const page2 = await callRoute(inAction.loader, t.db, { path: `/in-action?before=${page1.data.next}` });
    expect(page2.status).toBe(200);
    expect(page2.data.paged).toBe(true);
    expect(page2.data.next).toBeNull();
    const rest = ids(page2.data.ideas);
    expect(rest[0]).toBe(adopted[0]!.id);
    // Then the roadmap's adopted ideas; nothing repeated, nothing missed.
    const all = [...ids(page1.data.ideas), ...rest];
    expect(new Set(all).size).toBe(all.length);
    const inDb = await t.db.selectFrom("ideas").select("id").where("status", "=", "adopted").execute();
    expect(new Set(all)).toEqual(new Set(ids(inDb)));

    for (const before of ["garbage", encodeCursor({ key: "5", id: 1 }), encodeCursor({ key: "2026-02-30T00:00:00.000000Z", id: 1 }), "%00"]) {
      const res = await callRoute(inAction.loader, t.db, { path: `/in-action?before=${encodeURIComponent(before)}` });
      expect(res.status, before).toBe(400);
      expect(res.data.message).toBeTruthy();
    }
  });
});

describe("Ideas in Action after a follow-up answer", () => {
  // Regression: a follow-up answer on an adopted idea must not replace the adopting answer.
  it("keeps showing the answer that adopted the idea", async () => {
    const adoptedIdea = await idea("Reusable cup lids for sale", new Date(Date.now() - 400 * DAY));
    await move(adoptedIdea.id, "adopted", new Date(Date.now() - 300 * DAY), "We adopted this.");
    await move(adoptedIdea.id, null, new Date(Date.now() - 299 * DAY), "A follow-up.");
    let found: { id: number; response: { body_html: string } | null } | undefined;
    let path = "/in-action";
    for (let guard = 0; guard < 10 && !found; guard++) {
      const page = await callRoute(inAction.loader, t.db, { path });
      found = page.data.ideas.find((i: { id: number }) => i.id === adoptedIdea.id);
      if (!page.data.next) break;
      path = `/in-action?before=${page.data.next}`;
    }
    expect(found).toBeDefined();
    expect(found!.response!.body_html).toBe("<p>We adopted this.</p>\n");
  });
});

describe("similar ideas while posting", () => {
  let oat: { id: number; title: string };
  let member: Member;
  let cookie: string;

  beforeAll(async () => {
    member = await makeMember(t.db);
    cookie = await cookieFor(t.db, member.id);
    oat = await idea("Stop charging extra for oat milk");
  });

  const countIdeas = async () => Number((await t.db.selectFrom("ideas").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

  it("the similar-ideas endpoint answers with JSON", async () => {
    const res = await callRoute(similar.loader, t.db, { path: `/ideas/similar?title=${encodeURIComponent("Oat milk shouldn't cost more")}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(res.headers.get("Cache-Control")).toBe("private, max-age=30");
    expect(res.data.ideas[0]).toEqual({ id: oat.id, title: oat.title, status: "new", score: 0, comment_count: 0 });
    const none = await callRoute(similar.loader, t.db, { path: "/ideas/similar?title=oat" });
    expect(none.data).toEqual({ ideas: [] });
    const empty = await callRoute(similar.loader, t.db, { path: "/ideas/similar" });
    expect(empty.data).toEqual({ ideas: [] });
  });

  it("asks “is it one of these?” before posting a near-duplicate, and posts once confirmed", async () => {
    const form = { intent: "save", title: "Oat milk shouldn't cost more", category: "drinks", body: "Same price for all milks." };
    const before = await countIdeas();
    const asked = await callRoute(newIdea.action, t.db, { path: "/ideas/new", cookie, form });
    expect(asked.status).toBe(200);
    expect(asked.data.similar.map((s: { id: number }) => s.id)).toContain(oat.id);
    expect(asked.data.values).toMatchObject({ title: form.title, category: "drinks", body: form.body });
    expect(await countIdeas()).toBe(before);

    const confirmed = await callRoute(newIdea.action, t.db, { path: "/ideas/new", cookie, form: { ...form, confirmed: "1" } });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toMatch(/^\/ideas\/\d+-oat-milk-shouldn-t-cost-more$/);
    expect(await countIdeas()).toBe(before + 1);

    // Nothing similar: posted straight away.
    const unrelated = await callRoute(newIdea.action, t.db, {
      path: "/ideas/new", cookie, form: { intent: "save", title: "Quieter music in the mornings", category: "drinks", body: "" },
    });
    expect(unrelated.status).toBe(302);
    expect(await countIdeas()).toBe(before + 2);
  });
});

describe("the idea list", () => {
  it("filters by tag, and 404s an unknown tag", async () => {
    const tag = await createTag(t.db, pm, { name: "Seasonal" });
    const other = await createTag(t.db, pm, { name: "Loyalty" });
    const a = await idea("Pumpkin spice all year");
    const b = await idea("Peppermint mocha in summer");
    const c = await idea("Loyalty points for refills");
    await setIdeaTags(t.db, pm, { ideaId: a.id, tags: [tag.slug] });
    await setIdeaTags(t.db, pm, { ideaId: b.id, tags: [tag.slug, other.slug] });
    await setIdeaTags(t.db, pm, { ideaId: c.id, tags: [other.slug] });

    const res = await callRoute(index.loader, t.db, { path: "/?tag=seasonal&limit=50" });
    expect(res.status).toBe(200);
    expect(ids(res.data.ideas).sort((x, y) => x - y)).toEqual([a.id, b.id]);
    // The filter's tags as [slug, name] pairs, by name.
    expect(res.data.tags).toEqual([["loyalty", "Loyalty"], ["seasonal", "Seasonal"]]);
    const loyalty = await callRoute(index.loader, t.db, { path: "/?tag=loyalty&sort=new" });
    expect(ids(loyalty.data.ideas)).toEqual([c.id, b.id]);

    const unknown = await callRoute(index.loader, t.db, { path: "/?tag=no-such-tag" });
    expect(unknown.status).toBe(404);
    expect((await callRoute(index.loader, t.db, { path: "/?tag=Not%20A%20Slug" })).status).toBe(400);
  });

  it("hides duplicates unless asked for them", async () => {
    const original = await idea("Almond croissants every day");
    const duplicate = await idea("Daily almond croissants please");
    await mergeIdeas(t.db, pm, { sourceId: duplicate.id, targetId: original.id });

    const list = await callRoute(index.loader, t.db, { path: "/?sort=new&limit=50" });
    expect(ids(list.data.ideas)).toContain(original.id);
    expect(ids(list.data.ideas)).not.toContain(duplicate.id);
    expect(list.data.ideas.every((i: { status: string }) => i.status !== "duplicate")).toBe(true);
    const search = await callRoute(index.loader, t.db, { path: "/?q=almond%20croissants" });
    expect(ids(search.data.ideas)).toEqual([original.id]);

    const dups = await callRoute(index.loader, t.db, { path: "/?status=duplicate&limit=50" });
    expect(dups.status).toBe(200);
    expect(ids(dups.data.ideas)).toContain(duplicate.id);
    expect(dups.data.ideas.every((i: { status: string }) => i.status === "duplicate")).toBe(true);
  });
});
