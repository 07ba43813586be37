import { beforeAll, describe, expect, it } from "vitest";
import * as leaderboard from "../../app/routes/leaderboard";
import * as memberPage from "../../app/routes/members.$handle";
import * as root from "../../app/root";
import { castVote } from "../../app/models/votes/votes.server";
import { getSettings } from "../../app/models/settings/settings.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
let star: TestMember;
let quiet: TestMember;
const crowd: TestMember[] = [];

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  await ensureCategory(t.db, "brewing", "Brewing");
  star = await makeMember(t.db, { displayName: "Star Member" });
  quiet = await makeMember(t.db, { displayName: "Quiet Member" });
  // 30 members with an idea each (so the board has two pages), 4 of them voting for the star.
  for (let i = 0; i < 30; i++) {
    const m = await makeMember(t.db);
    crowd.push(m);
    await makeIdea(t.db, m);
  }
  const idea = await makeIdea(t.db, star, { category: "brewing" });
  for (const m of crowd.slice(0, 4)) await castVote(t.db, m, { ideaId: idea.id, value: 1 });
});

describe("leaderboards", () => {
  it("all time: highest first, ranks shared by ties, keyset pages, the viewer's standing when off the page", async () => {
    const amounts = await getSettings(t.db);
    const cookie = await cookieFor(t.db, quiet.id);
    const page1 = await callRoute(leaderboard.loader, t.db, { path: "/leaderboard", cookie });
    expect(page1.status).toBe(200);
    expect(page1.data.rows[0]).toMatchObject({ handle: star.handle, rank: 1, points: amounts.points_idea_posted + 4 * amounts.points_vote_received });
    // Everyone else with one idea shares rank 2.
    expect(page1.data.rows[1]).toMatchObject({ rank: 2, points: amounts.points_idea_posted });
    expect(page1.data.rows).toHaveLength(25);
    expect(page1.data.next).toBeTruthy();
    // The quiet member (0 points) is not on the first page: they are told where they stand.
    const total = Number((await t.db.selectFrom("members").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    expect(page1.data.mine).toEqual({ points: 0, rank: 32, of: total, next: { rank: 2, gap: amounts.points_idea_posted } });

    const page2 = await callRoute(leaderboard.loader, t.db, { path: `/leaderboard?after=${encodeURIComponent(page1.data.next)}`, cookie });
    expect(page2.status).toBe(200);
    const ids = [...page1.data.rows, ...page2.data.rows].map((r: { memberId: number }) => r.memberId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(quiet.id);
  });

  it("this month and per category", async () => {
    const month = await callRoute(leaderboard.loader, t.db, { path: "/leaderboard?period=month" });
    expect(month.status).toBe(200);
    expect(month.data.rows[0]).toMatchObject({ handle: star.handle, rank: 1 });
    const category = await callRoute(leaderboard.loader, t.db, { path: "/leaderboard?category=brewing" });
    expect(category.data.rows.map((r: { handle: string }) => r.handle)).toEqual([star.handle]);
    expect(category.data.category).toEqual({ slug: "brewing", name: "Brewing" });
  });

  it("a bad query is a 400, an unknown category a 404, a forged cursor a 400", async () => {
    expect((await callRoute(leaderboard.loader, t.db, { path: "/leaderboard?period=forever" })).status).toBe(400);
    expect((await callRoute(leaderboard.loader, t.db, { path: "/leaderboard?category=nope" })).status).toBe(404);
    expect((await callRoute(leaderboard.loader, t.db, { path: "/leaderboard?after=garbage" })).status).toBe(400);
    expect((await callRoute(leaderboard.loader, t.db, { path: "/leaderboard?category=%27%3B" })).status).toBe(400);
  });

  it("the member page shows points and rank, and the header shows the signed-in member's rank", async () => {
    const page = await callRoute(memberPage.loader, t.db, { path: `/members/${star.handle}`, params: { handle: star.handle } });
    expect(page.data.standings.all).toMatchObject({ rank: 1 });
    expect(page.data.standings.month).toMatchObject({ rank: 1 });
    expect(page.data.breakdown).toEqual(expect.arrayContaining([{ reason: "vote_received", points: expect.any(Number) }]));
    const header = await callRoute(root.loader, t.db, { path: "/", cookie: await cookieFor(t.db, star.id) });
    expect(header.data.member.rank).toMatchObject({ rank: 1 });
  });
});
