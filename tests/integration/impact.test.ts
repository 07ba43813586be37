import { beforeAll, describe, expect, it } from "vitest";
import * as memberPage from "../../app/routes/members.$handle";
import { impactSummary } from "../../app/models/engagement/impact.server";
import { describeImpact } from "../../app/models/engagement/impact";
import { addComment } from "../../app/models/discussion/comments.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute } from "../support/routes";

let t: TestDatabase;
let pm: TestMember;
let moderator: TestMember;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await makeMember(t.db, { role: "product_manager" });
  moderator = await makeMember(t.db, { role: "moderator" });
});

describe("impact and the activity timeline", () => {
  it("the monthly impact summary: ideas backed that moved, first supporters, places climbed", async () => {
    const backer = await makeMember(t.db, { displayName: "Keen Backer" });
    const author = await makeMember(t.db);
    const since = new Date(Date.now() - 1000);
    const before = await impactSummary(t.db, backer.id, { since, until: new Date(Date.now() + 60_000) });
    const planned = await makeIdea(t.db, author, { title: "Refill discounts for own cups" });
    const shipped = await makeIdea(t.db, author, { title: "Oat milk at every store" });
    const other = await makeIdea(t.db, author, { title: "Something nobody planned" });
    for (const id of [planned.id, shipped.id, other.id]) await castVote(t.db, backer, { ideaId: id, value: 1 });
    await postOfficialResponse(t.db, pm, { ideaId: planned.id, toStatus: "planned", body: "Planned." });
    await postOfficialResponse(t.db, pm, { ideaId: shipped.id, toStatus: "adopted", body: "Shipped." });
    const s = await impactSummary(t.db, backer.id, { since, until: new Date(Date.now() + 60_000) }, before.rank);
    expect(s.planned.map((p) => p.title)).toEqual(["Refill discounts for own cups"]);
    expect(s.adopted.map((p) => p.title)).toEqual(["Oat milk at every store"]);
    expect(s.earlyOn.map((p) => p.place)).toEqual([1, 1]);
    expect(s.pointsInPeriod).toBeGreaterThan(0);
    expect(s.climbed).toBe(before.rank - s.rank);
    expect(describeImpact(s)).toMatch(/^1 idea you backed moved to planned, 1 shipped, you were among the first 10 supporters of /);
    // A period before any of it says nothing.
    const earlier = await impactSummary(t.db, backer.id, { since: new Date(Date.now() - 86_400_000), until: since });
    expect(describeImpact({ ...earlier, climbed: null })).toBeNull();

    const page = await callRoute(memberPage.loader, t.db, { path: `/members/${backer.handle}`, params: { handle: backer.handle } });
    expect(page.data.impact.map((i: { title: string; place: number }) => [i.title, i.place])).toEqual(
      expect.arrayContaining([["Refill discounts for own cups", 1], ["Oat milk at every store", 1]]),
    );
    expect(page.data.impact.map((i: { title: string }) => i.title)).not.toContain("Something nobody planned");
  });

  it("the timeline shows ideas, comments, status changes and badges, not hidden posts, newest first, paged", async () => {
    const m = await makeMember(t.db);
    const idea = await makeIdea(t.db, m, { title: "A timeline idea" });
    const hidden = await makeIdea(t.db, m, { title: "A hidden idea" });
    await moderate(t.db, moderator, { kind: "idea", targetId: hidden.id, action: "hide", reason: "Spam" });
    await addComment(t.db, m, { ideaId: idea.id, body: "A comment of mine.", parentId: null });
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "Planned." });
    const page = await callRoute(memberPage.loader, t.db, { path: `/members/${m.handle}`, params: { handle: m.handle } });
    const types = page.data.timeline.entries.map((e: { type: string }) => e.type);
    expect(types).toEqual(["idea.status_changed", "comment.added", "badge.awarded", "idea.posted"]);
    expect(page.data.timeline.entries.map((e: { ideaTitle: string | null }) => e.ideaTitle)).not.toContain("A hidden idea");
    for (let i = 0; i < 22; i++) await addComment(t.db, m, { ideaId: idea.id, body: `More ${i}.`, parentId: null });
    const first = await callRoute(memberPage.loader, t.db, { path: `/members/${m.handle}`, params: { handle: m.handle } });
    expect(first.data.timeline.entries).toHaveLength(20);
    const next = first.data.timeline.next as string;
    const second = await callRoute(memberPage.loader, t.db, { path: `/members/${m.handle}?before=${next}`, params: { handle: m.handle } });
    expect(second.data.timeline.entries.at(-1).type).toBe("idea.posted");
    expect((await callRoute(memberPage.loader, t.db, { path: `/members/${m.handle}?before=x1`, params: { handle: m.handle } })).status).toBe(400);
  });
});
