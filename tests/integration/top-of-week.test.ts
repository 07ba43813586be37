// "Top, this week" reads the week per UTC day (ideas_day_top_idx, migration 0013) and ranks
// only each day's best. It must give exactly what ranking every idea of the last 7 × 24 hours
// would: same ideas, same order, same pages, the boundary instant included.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { listIdeas } from "../../app/models/ideas/ideas.server";
import { listQuerySchema, type ListQuery } from "../../app/models/ideas/schemas.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";

let t: TestDatabase;
const query = (q: Record<string, unknown>): ListQuery => listQuerySchema.parse(q);
const HOUR = 3_600_000;

/** Every page of a list, in order, following its cursors. */
async function allPages(q: Record<string, unknown>, limit: number) {
  const ids: number[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 100; n++) {
    const page = await listIdeas(t.db, null, query({ ...q, limit, cursor }));
    ids.push(...page.items.map((i) => i.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("more than 100 pages");
}

/** The plain definition: every visible, non-duplicate idea of the last 7 days, by score then id. */
async function expected(category?: string) {
  let q = t.db
    .selectFrom("ideas")
    .innerJoin("categories", "categories.id", "ideas.category_id")
    .select("ideas.id")
    .where("ideas.moderation", "=", "visible")
    .where("ideas.status", "<>", "duplicate")
    .where("ideas.created_at", ">=", sql<Date>`now() - interval '7 days'`);
  if (category) q = q.where("categories.slug", "=", category);
  const rows = await q.orderBy("ideas.score", "desc").orderBy("ideas.id", "desc").execute();
  return rows.map((r) => r.id);
}

/** The stored counters of a score (they must agree: score = up − down). */
const setScore = (id: number, score: number) =>
  t.db.updateTable("ideas").set({ score, up_count: score + 2, down_count: 2 }).where("id", "=", id).execute();

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "drinks", "Drinks");
  await ensureCategory(t.db, "food", "Food");
  const author = await makeMember(t.db);
  // 90 ideas over the last 10 days (every 2h40), scores with many ties, in two categories.
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 90; i++) {
    const idea = await makeIdea(t.db, author, {
      title: `Week ranking idea number ${i}`,
      category: i % 3 === 0 ? "food" : "drinks",
      createdAt: new Date(Date.now() - i * (8 / 3) * HOUR - 60_000),
    });
    await setScore(idea.id, Math.floor(random() * 12) - 2);
  }
  // Either side of the boundary by two minutes, with the best scores of all: only the newer counts.
  for (const [offset, title] of [[-2, "Just inside the week"], [2, "Just outside the week"]] as const) {
    const idea = await makeIdea(t.db, author, { title, createdAt: new Date(Date.now() - 7 * 24 * HOUR - offset * 60_000), category: "drinks" });
    await setScore(idea.id, 500);
  }
  // A hidden idea and a duplicate never show, however well voted.
  const hidden = await makeIdea(t.db, author, { title: "A hidden idea this week", category: "drinks" });
  const duplicate = await makeIdea(t.db, author, { title: "A duplicate idea this week", category: "drinks" });
  await setScore(hidden.id, 900);
  await setScore(duplicate.id, 900);
  await t.db.updateTable("ideas").set({ moderation: "hidden" }).where("id", "=", hidden.id).execute();
  await t.db.updateTable("ideas").set({ status: "duplicate", duplicate_of_id: hidden.id }).where("id", "=", duplicate.id).execute();
});

describe("top, this week", () => {
  it("gives every idea of the last 7 days in score order, page after page, as a full ranking would", async () => {
    const want = await expected();
    expect(want.length).toBeGreaterThan(60);
    for (const limit of [1, 7, 20, 50]) {
      expect(await allPages({ sort: "top", period: "week" }, limit)).toEqual(want);
    }
  });

  it("counts an idea posted just inside the 7 days and not one just outside", async () => {
    const [first] = (await listIdeas(t.db, null, query({ sort: "top", period: "week", limit: 1 }))).items;
    expect(first?.title).toBe("Just inside the week");
    const titles = (await allPages({ sort: "top", period: "week" }, 50)).length;
    expect(titles).toBe((await expected()).length);
    const all = await listIdeas(t.db, null, query({ sort: "top", period: "week", limit: 50, q: undefined }));
    expect(all.items.some((i) => i.title === "Just outside the week")).toBe(false);
    expect(all.items.some((i) => /hidden|duplicate/.test(i.title))).toBe(false);
  });

  it("filters the week by category", async () => {
    expect(await allPages({ sort: "top", period: "week", category: "food" }, 5)).toEqual(await expected("food"));
  });

  it("still answers a bad cursor with 400", async () => {
    await expect(listIdeas(t.db, null, query({ sort: "top", period: "week", cursor: "not-a-cursor" }))).rejects.toMatchObject({ status: 400 });
  });
});
