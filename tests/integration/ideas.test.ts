import { beforeAll, describe, expect, it } from "vitest";
import { editIdea, listIdeas, listRevisions, postIdea } from "../../app/models/ideas/ideas.server";
import { listQuerySchema, type ListQuery } from "../../app/models/ideas/schemas.server";
import { castVote } from "../../app/models/votes/votes.server";
import { addComment } from "../../app/models/discussion/comments.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";

let t: TestDatabase;
const query = (q: Record<string, unknown>): ListQuery => listQuerySchema.parse(q);

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "drinks", "Drinks");
  await ensureCategory(t.db, "mobile-app", "Mobile app");
});

describe("posting and editing ideas", () => {
  it("renders the body on the server, sanitised, and records the event", async () => {
    const author = await makeMember(t.db);
    const idea = await postIdea(t.db, author, {
      title: "Oat milk at no extra charge",
      body: "**Please** <script>alert(1)</script>[x](javascript:alert(1))",
      category: "drinks",
    });
    const row = await t.db.selectFrom("ideas").select(["body_html", "status", "score"]).where("id", "=", idea.id).executeTakeFirstOrThrow();
    expect(row.body_html).toContain("<strong>Please</strong>");
    expect(row.body_html).not.toContain("<script");
    expect(row.body_html).not.toContain("javascript:");
    expect(row).toMatchObject({ status: "new", score: 0 });
    const events = await t.db.selectFrom("events").select(["type", "actor_id", "data"]).where("idea_id", "=", idea.id).orderBy("id").execute();
    // Posting records the idea and that its author now follows it.
    expect(events).toEqual([
      { type: "idea.posted", actor_id: author.id, data: {} },
      { type: "idea.followed", actor_id: author.id, data: { via: "posting" } },
    ]);
  });

  it("refuses an unknown category with a field message", async () => {
    const author = await makeMember(t.db);
    await expect(
      postIdea(t.db, author, { title: "A perfectly fine title", body: "", category: "nope" }),
    ).rejects.toMatchObject({ status: 400, field: "category" });
  });

  it("lets the author edit within the window, keeps history, and refuses others", async () => {
    const author = await makeMember(t.db);
    const stranger = await makeMember(t.db);
    const pm = await makeMember(t.db, { role: "product_manager" });
    const idea = await makeIdea(t.db, author, { title: "First version of the title", category: "drinks" });

    const edited = await editIdea(t.db, author, { ideaId: idea.id,
      title: "Second version of the title", body: "Better words.", category: "mobile-app",
    });
    expect(edited.changed).toBe(true);

    await expect(
      editIdea(t.db, stranger, { ideaId: idea.id, title: "Vandalised title here", body: "", category: "drinks" }),
    ).rejects.toMatchObject({ status: 403 });

    // Past the window: the author is refused, staff are not.
    await t.db.updateTable("ideas").set({ created_at: new Date(Date.now() - 2 * 3600_000) }).where("id", "=", idea.id).execute();
    await expect(
      editIdea(t.db, author, { ideaId: idea.id, title: "Too late to change it", body: "", category: "drinks" }),
    ).rejects.toMatchObject({ status: 403 });
    await editIdea(t.db, pm, { ideaId: idea.id,
      title: "Third version, by staff", body: "Clarified.", category: "drinks",
    });

    const { revisions } = await listRevisions(t.db, author, idea.id);
    expect(revisions.map((r) => r.title)).toEqual(["Second version of the title", "First version of the title"]);
    const current = await t.db.selectFrom("ideas").select(["title", "edited_at"]).where("id", "=", idea.id).executeTakeFirstOrThrow();
    expect(current.title).toBe("Third version, by staff");
    expect(current.edited_at).not.toBeNull();
  });
});

describe("listing ideas", () => {
  let ids: number[] = [];
  const tag = `zq${Date.now().toString(36)}`;

  beforeAll(async () => {
    const author = await makeMember(t.db);
    const voters = await Promise.all(Array.from({ length: 5 }, () => makeMember(t.db)));
    const now = Date.now();
    ids = [];
    for (let i = 0; i < 25; i++) {
      const idea = await makeIdea(t.db, author, {
        title: `Listing idea number ${i} ${tag}`,
        body: i === 7 ? `The word ${tag}special appears only here` : "Body text",
        category: i % 2 ? "drinks" : "mobile-app",
        createdAt: new Date(now - i * 3600_000),
      });
      ids.push(idea.id);
    }
    // Idea 20 is old but loved; idea 3 gets discussed.
    for (const v of voters) await castVote(t.db, v, { ideaId: ids[20]!, value: 1 });
    for (let c = 0; c < 3; c++) await addComment(t.db, author, { ideaId: ids[3]!, body: `Comment ${c}`, parentId: null });
  });

  it("pages through new ideas with keyset cursors, no gaps or repeats", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = await listIdeas(t.db, null, query({ sort: "new", limit: 7, cursor, q: undefined }));
      seen.push(...page.items.map((i) => i.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const ours = seen.filter((id) => ids.includes(id));
    expect(ours).toEqual(ids); // newest first, all 25 exactly once
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("sorts by top, most discussed and trending", async () => {
    const top = await listIdeas(t.db, null, query({ sort: "top", limit: 1 }));
    expect(top.items[0]!.id).toBe(ids[20]);
    const discussed = await listIdeas(t.db, null, query({ sort: "discussed", limit: 1 }));
    expect(discussed.items[0]!.id).toBe(ids[3]);
    expect(discussed.items[0]!.comment_count).toBe(3);
    const trending = await listIdeas(t.db, null, query({ sort: "trending", limit: 50 }));
    const keys = await t.db.selectFrom("ideas").select(["id", "trending"]).where("id", "in", trending.items.map((i) => i.id)).execute();
    const keyOf = new Map(keys.map((k) => [k.id, k.trending]));
    const inOrder = trending.items.map((i) => keyOf.get(i.id)!);
    expect([...inOrder].sort((a, b) => b - a)).toEqual(inOrder);
  });

  it("filters top by period, by category and by status", async () => {
    const week = await listIdeas(t.db, null, query({ sort: "top", period: "week", limit: 50 }));
    expect(week.items.some((i) => i.id === ids[20])).toBe(true);
    await t.db.updateTable("ideas").set({ created_at: new Date(Date.now() - 40 * 86400_000) }).where("id", "=", ids[20]!).execute();
    const month = await listIdeas(t.db, null, query({ sort: "top", period: "month", limit: 50 }));
    expect(month.items.some((i) => i.id === ids[20])).toBe(false);

    const drinks = await listIdeas(t.db, null, query({ category: "drinks", limit: 50 }));
    expect(drinks.items.length).toBeGreaterThan(0);
    expect(drinks.items.every((i) => i.category_slug === "drinks")).toBe(true);

    await t.db.updateTable("ideas").set({ status: "planned" }).where("id", "=", ids[5]!).execute();
    const planned = await listIdeas(t.db, null, query({ status: "planned" }));
    expect(planned.items.map((i) => i.id)).toEqual([ids[5]]);
  });

  it("searches with full-text ranking, titles above bodies, accepting any text", async () => {
    const byBody = await listIdeas(t.db, null, query({ q: `${tag}special` }));
    expect(byBody.items.map((i) => i.id)).toEqual([ids[7]]);
    const byTitle = await listIdeas(t.db, null, query({ q: `listing ${tag}`, limit: 50 }));
    expect(byTitle.items).toHaveLength(25);
    // Anything a person types is valid: quotes, operators, stray symbols.
    for (const q of ['"unclosed quote', "or or or", "-", "a & b | !c", "(((", "'; drop table ideas; --"]) {
      await expect(listIdeas(t.db, null, query({ q }))).resolves.toBeDefined();
    }
  });

  it("pages search results by rank without repeats", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await listIdeas(t.db, null, query({ q: `listing ${tag}`, limit: 10, cursor }));
      seen.push(...page.items.map((i) => i.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });

  it("shows the viewer's own vote on each card", async () => {
    const viewer = await makeMember(t.db);
    await castVote(t.db, viewer, { ideaId: ids[1]!, value: -1 });
    const page = await listIdeas(t.db, viewer, query({ sort: "new", limit: 50 }));
    expect(page.items.find((i) => i.id === ids[1])!.my_vote).toBe(-1);
    expect(page.items.find((i) => i.id === ids[2])!.my_vote).toBeUndefined();
  });

  it("serves a page with one query whatever its size (no query per idea)", async () => {
    const viewer = await makeMember(t.db);
    for (const limit of [1, 10, 50]) {
      for (const sort of ["trending", "top", "new", "discussed"] as const) {
        t.queries.reset();
        await listIdeas(t.db, viewer, query({ sort, limit }));
        expect(t.queries.count).toBe(1);
      }
    }
  });

  it("rejects forged cursors with a 400", async () => {
    for (const cursor of ["garbage", Buffer.from("[1]").toString("base64url"), Buffer.from('["x", 1]').toString("base64url")]) {
      await expect(listIdeas(t.db, null, query({ sort: "top", cursor }))).rejects.toMatchObject({ status: 400 });
    }
  });
});
