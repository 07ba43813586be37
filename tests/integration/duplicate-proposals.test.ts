import { beforeAll, describe, expect, it } from "vitest";
import * as proposeRoute from "../../app/routes/ideas.$ideaId_.propose-duplicate";
import * as triage from "../../app/routes/triage";
import { rebuildPoints } from "../../app/models/engagement/points.server";
import { proposeDuplicate, rejectProposal } from "../../app/models/engagement/proposals.server";
import { mergeIdeas, undoMerge } from "../../app/models/pipeline/merges.server";
import { getSettings, updateSettings } from "../../app/models/settings/settings.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
let pm: TestMember;
let admin: TestMember;
let trusted: TestMember;
let newcomer: TestMember;

const points = async (memberId: number) =>
  (await t.db.selectFrom("member_scores").select("points").where("scope", "=", "all").where("member_id", "=", memberId).executeTakeFirst())?.points ?? 0;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await makeMember(t.db, { role: "product_manager" });
  admin = await makeMember(t.db, { role: "admin" });
  trusted = await makeMember(t.db, { displayName: "Trusted Member" });
  newcomer = await makeMember(t.db);
  // The threshold: 10 points. The trusted member earns them with an idea and three up-votes.
  await updateSettings(t.db, admin, { ...(await getSettings(t.db)), duplicate_proposal_min_points: 10 });
  const idea = await makeIdea(t.db, trusted);
  for (let i = 0; i < 3; i++) await castVote(t.db, await makeMember(t.db), { ideaId: idea.id, value: 1 });
  expect(await points(trusted.id)).toBeGreaterThanOrEqual(10);
});

describe("proposed duplicates", () => {
  it("members past the threshold propose; others are told how many points it takes; bad input is a 400 or 409", async () => {
    const author = await makeMember(t.db);
    const a = await makeIdea(t.db, author);
    const b = await makeIdea(t.db, author);
    await expect(proposeDuplicate(t.db, newcomer, { sourceId: a.id, targetId: b.id })).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/10 points or more/) });
    await expect(proposeDuplicate(t.db, pm, { sourceId: a.id, targetId: b.id })).rejects.toMatchObject({ status: 409 });
    await expect(proposeDuplicate(t.db, trusted, { sourceId: a.id, targetId: a.id })).rejects.toMatchObject({ status: 400 });
    await expect(proposeDuplicate(t.db, trusted, { sourceId: a.id, targetId: 999999 })).rejects.toMatchObject({ status: 400 });
    const cookie = await cookieFor(t.db, trusted.id);
    const res = await callRoute(proposeRoute.action, t.db, { path: `/ideas/${a.id}/propose-duplicate`, params: { ideaId: String(a.id) }, form: { targetId: String(b.id) }, cookie });
    expect(res.status).toBe(302);
    const again = await callRoute(proposeRoute.action, t.db, { path: `/ideas/${a.id}/propose-duplicate`, params: { ideaId: String(a.id) }, form: { targetId: String(b.id) }, cookie });
    expect(again.status).toBe(409);
    const bad = await callRoute(proposeRoute.action, t.db, { path: `/ideas/${a.id}/propose-duplicate`, params: { ideaId: String(a.id) }, form: { targetId: "abc" }, cookie });
    expect(bad.status).toBe(400);
  });

  it("triage lists open proposals; merging accepts and earns the proposer points, once; rejecting is the product team's", async () => {
    const author = await makeMember(t.db);
    const a = await makeIdea(t.db, author);
    const b = await makeIdea(t.db, author);
    const c = await makeIdea(t.db, author);
    const accepted = await proposeDuplicate(t.db, trusted, { sourceId: a.id, targetId: b.id });
    const rejected = await proposeDuplicate(t.db, trusted, { sourceId: c.id, targetId: b.id });
    const page = await callRoute(triage.loader, t.db, { path: "/triage", cookie: await cookieFor(t.db, pm.id) });
    expect(page.data.proposals.map((p: { id: number }) => p.id)).toEqual(expect.arrayContaining([accepted.id, rejected.id]));

    const before = await points(trusted.id);
    const amounts = await getSettings(t.db);
    const merge = await mergeIdeas(t.db, pm, { sourceId: a.id, targetId: b.id });
    expect(await points(trusted.id)).toBe(before + amounts.points_duplicate_accepted);
    const row = await t.db.selectFrom("duplicate_proposals").select("status").where("id", "=", accepted.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("accepted");
    // Undoing the merge does not take the credit back; merging again does not pay twice.
    await undoMerge(t.db, pm, merge.mergeId);
    await mergeIdeas(t.db, pm, { sourceId: a.id, targetId: b.id });
    expect(await points(trusted.id)).toBe(before + amounts.points_duplicate_accepted);

    await expect(rejectProposal(t.db, trusted, rejected.id)).rejects.toMatchObject({ status: 403 });
    const res = await callRoute(triage.action, t.db, { path: "/triage", form: { intent: "reject-proposal", proposalId: String(rejected.id) }, cookie: await cookieFor(t.db, pm.id) });
    expect(res.status).toBe(302);
    await expect(rejectProposal(t.db, pm, rejected.id)).rejects.toMatchObject({ status: 409 });
    expect(await points(trusted.id)).toBe(before + amounts.points_duplicate_accepted);

    // The rebuild gives the same.
    const total = await points(trusted.id);
    await rebuildPoints(t.db);
    expect(await points(trusted.id)).toBe(total);
  });
});
