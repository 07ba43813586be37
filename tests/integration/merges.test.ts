import { beforeAll, describe, expect, it } from "vitest";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as staffRoute from "../../app/routes/ideas.$ideaId_.staff";
import { setFollowing } from "../../app/models/following/follows.server";
import { findSimilarIdeas, listMergedInto, mergeIdeas, undoMerge } from "../../app/models/pipeline/merges.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { castVote } from "../../app/models/votes/votes.server";
import { onPostgres, useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let pm: Member;
let pmCookie: string;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await makeMember(t.db, { role: "product_manager", displayName: "Merging PM" });
  pmCookie = await cookieFor(t.db, pm.id);
});

const staff = (ideaId: number, form: Record<string, string>, cookie = pmCookie) =>
  callRoute(staffRoute.action, t.db, { path: `/ideas/${ideaId}/staff`, params: { ideaId: String(ideaId) }, form, cookie });

/** The one-time message a response sets (the gs_flash cookie holds it as base64 JSON). */
function flashOf(res: { headers: Headers }): string | null {
  const match = /gs_flash=([^;]*)/.exec(res.headers.get("Set-Cookie") ?? "");
  if (!match?.[1]) return null;
  return JSON.parse(decodeURIComponent(escape(atob(decodeURIComponent(match[1]))))) as string;
}

const byMember = <T extends { member_id: number }>(rows: T[]) => [...rows].sort((a, b) => a.member_id - b.member_id);

/** Everything about an idea that a merge touches and an undo must restore. */
async function snapshot(ideaId: number) {
  const [idea, votes, follows] = await Promise.all([
    t.db
      .selectFrom("ideas")
      .select(["status", "duplicate_of_id", "score", "up_count", "down_count", "trending", "revisit_on"])
      .where("id", "=", ideaId)
      .executeTakeFirstOrThrow(),
    t.db.selectFrom("votes").select(["member_id", "value", "created_at", "updated_at"]).where("idea_id", "=", ideaId).execute(),
    t.db.selectFrom("idea_follows").select(["member_id", "created_at"]).where("idea_id", "=", ideaId).execute(),
  ]);
  return { idea, votes: byMember(votes), follows: byMember(follows) };
}

/** The stored counters agree with the vote rows. */
async function expectCountersMatchRows(ideaId: number) {
  const { idea, votes } = await snapshot(ideaId);
  const up = votes.filter((v) => v.value === 1).length;
  const down = votes.filter((v) => v.value === -1).length;
  expect({ up_count: idea.up_count, down_count: idea.down_count, score: idea.score }).toEqual({ up_count: up, down_count: down, score: up - down });
}

async function activeMerges(ideaIds: number[]) {
  return t.db
    .selectFrom("merges")
    .select(["id", "source_id", "target_id"])
    .where((eb) => eb.or([eb("source_id", "in", ideaIds), eb("target_id", "in", ideaIds)]))
    .where("undone_at", "is", null)
    .execute();
}

describe("merging a duplicate into an idea", () => {
  let authorA: Member;
  let authorB: Member;
  let onBoth1: Member; // up on A, down on B
  let onBoth2: Member; // down on A, up on B
  let onlyB1: Member; // up on B
  let onlyB2: Member; // down on B
  let onlyA: Member; // up on A
  let followerB: Member; // follows B, no vote
  let followerBoth: Member; // follows A and B, no vote
  let a: { id: number; title: string };
  let b: { id: number; title: string };
  let beforeA: Awaited<ReturnType<typeof snapshot>>;
  let beforeB: Awaited<ReturnType<typeof snapshot>>;
  let mergeId: number;

  beforeAll(async () => {
    [authorA, authorB, onBoth1, onBoth2, onlyB1, onlyB2, onlyA, followerB, followerBoth] = await Promise.all([
      makeMember(t.db, { displayName: "Author of A" }),
      makeMember(t.db, { displayName: "Author of B" }),
      makeMember(t.db), makeMember(t.db), makeMember(t.db), makeMember(t.db), makeMember(t.db), makeMember(t.db), makeMember(t.db),
    ]);
    a = await makeIdea(t.db, authorA, { title: "Plant-based milk at no extra cost" });
    b = await makeIdea(t.db, authorB, { title: "Free oat milk swaps please" });
    const vote = (idea: { id: number }, m: Member, value: 1 | -1) => castVote(t.db, m, { ideaId: idea.id, value });
    await vote(a, onBoth1, 1);
    await vote(b, onBoth1, -1);
    await vote(a, onBoth2, -1);
    await vote(b, onBoth2, 1);
    await vote(b, onlyB1, 1);
    await vote(b, onlyB2, -1);
    await vote(a, onlyA, 1);
    await setFollowing(t.db, followerB, { ideaId: b.id, follow: true });
    await setFollowing(t.db, followerBoth, { ideaId: a.id, follow: true });
    await setFollowing(t.db, followerBoth, { ideaId: b.id, follow: true });
    // B was being looked at when it was found to be a duplicate.
    await postOfficialResponse(t.db, pm, { ideaId: b.id, toStatus: "under_review", body: "Looking into it." });
    beforeA = await snapshot(a.id);
    beforeB = await snapshot(b.id);
    expect(beforeA.idea).toMatchObject({ up_count: 2, down_count: 1, score: 1, status: "new" });
    expect(beforeB.idea).toMatchObject({ up_count: 2, down_count: 2, score: 0, status: "under_review" });
  });

  it("makes B a duplicate of A, moves its votes (keeping A's on conflict) and followers, and credits B's author", async () => {
    const eventsBefore = await t.db.selectFrom("events").select("id").where("idea_id", "=", b.id).where("type", "=", "idea.merged").execute();
    expect(eventsBefore).toHaveLength(0);

    const res = await staff(b.id, { intent: "merge", targetId: `#${a.id}`, confirm: "yes" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${a.id}`);
    // 2 votes moved (only-B voters); 4 followers (B's author, the two only-B voters, the B-only follower).
    expect(flashOf(res)).toBe("Merged. 2 votes and 4 followers moved here. To undo it, use “Undo merge” under “Merged into this idea”.");

    const afterB = await snapshot(b.id);
    expect(afterB.idea).toMatchObject({ status: "duplicate", duplicate_of_id: a.id });
    // B's own rows are left alone (the undo needs nothing from them).
    expect(afterB.votes).toEqual(beforeB.votes);

    const afterA = await snapshot(a.id);
    expect(afterA.votes.map((v) => [v.member_id, v.value])).toEqual(
      byMember([
        { member_id: onBoth1.id, value: 1 }, // kept A's up, not B's down
        { member_id: onBoth2.id, value: -1 }, // kept A's down, not B's up
        { member_id: onlyA.id, value: 1 },
        { member_id: onlyB1.id, value: 1 },
        { member_id: onlyB2.id, value: -1 },
      ]).map((v) => [v.member_id, v.value]),
    );
    expect(afterA.idea).toMatchObject({ up_count: 3, down_count: 2, score: 1 });
    await expectCountersMatchRows(a.id);
    const followersA = new Set(afterA.follows.map((f) => f.member_id));
    for (const m of [authorA, authorB, onBoth1, onBoth2, onlyB1, onlyB2, onlyA, followerB, followerBoth]) {
      expect(followersA.has(m.id), `member ${m.id}`).toBe(true);
    }
    expect(afterA.follows).toHaveLength(9);

    const merged = await listMergedInto(t.db, a.id);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ id: b.id, title: b.title, author_name: "Author of B", author_handle: authorB.handle });
    mergeId = merged[0]!.merge_id;

    const [mergeRow] = await t.db.selectFrom("merges").selectAll().where("id", "=", mergeId).execute();
    expect(mergeRow).toMatchObject({ source_id: b.id, target_id: a.id, actor_id: pm.id, source_status: "under_review", undone_at: null });
    expect(byMember(mergeRow!.moved_votes)).toEqual(byMember([{ member_id: onlyB1.id, value: 1 }, { member_id: onlyB2.id, value: -1 }]));
    expect([...mergeRow!.moved_follows].sort((x, y) => x - y)).toEqual([authorB.id, onlyB1.id, onlyB2.id, followerB.id].sort((x, y) => x - y));

    const [event] = await t.db.selectFrom("events").select(["actor_id", "actor_role", "data"]).where("idea_id", "=", b.id).where("type", "=", "idea.merged").execute();
    expect(event).toMatchObject({ actor_id: pm.id, actor_role: "product_manager", data: { targetId: a.id, mergeId, movedVotes: 2, movedFollows: 4 } });

    // B's audience hears of it once each; the PM does not.
    const notes = await t.db
      .selectFrom("notifications")
      .innerJoin("events", "events.id", "notifications.event_id")
      .select(["notifications.member_id", "notifications.reason"])
      .where("notifications.idea_id", "=", b.id)
      .where("events.type", "=", "idea.merged")
      .execute();
    expect(notes.map((n) => n.member_id).sort((x, y) => x - y)).toEqual(
      [authorB, onBoth1, onBoth2, onlyB1, onlyB2, followerB, followerBoth].map((m) => m.id).sort((x, y) => x - y),
    );

    // B's page points at A; A's page credits B.
    const pageB = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${b.id}`, params: { ideaId: String(b.id) } });
    expect(pageB.data.idea).toMatchObject({ status: "duplicate", duplicate_of_id: a.id, duplicate_of_title: a.title });
    expect(pageB.data.responses.at(-1)).toMatchObject({ from_status: "under_review", to_status: "duplicate" });
    const pageA = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${a.id}`, params: { ideaId: String(a.id) } });
    expect(pageA.data.mergedFrom.map((m: { id: number }) => m.id)).toEqual([b.id]);

    // Voting on the duplicate is closed.
    const voter = await makeMember(t.db);
    await expect(castVote(t.db, voter, { ideaId: b.id, value: 1 })).rejects.toMatchObject({ status: 409 });
  });

  it("refuses merging an already merged idea, merging into a duplicate, and answering a duplicate", async () => {
    const authorC = await makeMember(t.db);
    const c = await makeIdea(t.db, authorC, { title: "A completely different idea" });
    const before = { a: await snapshot(a.id), b: await snapshot(b.id), c: await snapshot(c.id) };
    const mergesBefore = await activeMerges([a.id, b.id, c.id]);

    const again = await staff(b.id, { intent: "merge", targetId: String(c.id), confirm: "yes" });
    expect(again.status).toBe(409);
    expect(again.data.fieldErrors.form).toMatch(/already merged/);
    const intoDuplicate = await staff(c.id, { intent: "merge", targetId: String(b.id), confirm: "yes" });
    expect(intoDuplicate.status).toBe(409);
    expect(intoDuplicate.data.fieldErrors.targetId).toMatch(/itself a duplicate/);
    await expect(mergeIdeas(t.db, pm, { sourceId: b.id, targetId: a.id })).rejects.toMatchObject({ status: 409 });
    const answer = await staff(b.id, { intent: "respond", status: "planned", body: "Planned." });
    expect(answer.status).toBe(409);

    expect({ a: await snapshot(a.id), b: await snapshot(b.id), c: await snapshot(c.id) }).toEqual(before);
    expect(await activeMerges([a.id, b.id, c.id])).toEqual(mergesBefore);
  });

  it("undoes the merge: B's status and A's votes, follows and counters are exactly as before", async () => {
    const res = await staff(b.id, { intent: "undo-merge", mergeId: String(mergeId) });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${b.id}`);
    expect(flashOf(res)).toMatch(/Merge undone/);

    expect(await snapshot(a.id)).toEqual(beforeA);
    expect(await snapshot(b.id)).toEqual(beforeB);
    await expectCountersMatchRows(a.id);
    expect(await listMergedInto(t.db, a.id)).toEqual([]);

    const merge = await t.db.selectFrom("merges").select(["undone_at", "undone_by"]).where("id", "=", mergeId).executeTakeFirstOrThrow();
    expect(merge.undone_at).toBeInstanceOf(Date);
    expect(merge.undone_by).toBe(pm.id);
    const timeline = await t.db.selectFrom("official_responses").select(["from_status", "to_status"]).where("idea_id", "=", b.id).orderBy("id").execute();
    expect(timeline.at(-1)).toEqual({ from_status: "duplicate", to_status: "under_review" });
    const [event] = await t.db.selectFrom("events").select(["actor_role", "data"]).where("idea_id", "=", b.id).where("type", "=", "idea.unmerged").execute();
    expect(event).toMatchObject({ actor_role: "product_manager", data: { targetId: a.id, mergeId } });

    // Voting on B is open again.
    const voter = await makeMember(t.db);
    await expect(castVote(t.db, voter, { ideaId: b.id, value: 1 })).resolves.toMatchObject({ changed: true });
    await castVote(t.db, voter, { ideaId: b.id, value: 0 });
  });

  it("refuses undoing twice with 409 and changes nothing", async () => {
    const before = { a: await snapshot(a.id), b: await snapshot(b.id) };
    const res = await staff(b.id, { intent: "undo-merge", mergeId: String(mergeId) });
    expect(res.status).toBe(409);
    expect(res.data.fieldErrors.form).toMatch(/already undone/);
    await expect(undoMerge(t.db, pm, mergeId)).rejects.toMatchObject({ status: 409 });
    expect({ a: await snapshot(a.id), b: await snapshot(b.id) }).toEqual(before);
    expect((await staff(b.id, { intent: "undo-merge", mergeId: "999999" })).status).toBe(404);
  });

  it("refuses merging an idea into itself with 400", async () => {
    const before = await snapshot(a.id);
    const res = await staff(a.id, { intent: "merge", targetId: String(a.id), confirm: "yes" });
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors.targetId).toMatch(/into itself/);
    expect(await snapshot(a.id)).toEqual(before);
    expect(await activeMerges([a.id])).toEqual([]);
  });
});

describe("undoing the merge of a declined idea", () => {
  // Regression: undoing the merge of a declined idea must bring back its revisit date too.
  it("brings back its revisit date with its status", async () => {
    const author = await makeMember(t.db);
    const target = await makeIdea(t.db, author);
    const source = await makeIdea(t.db, author);
    const revisitOn = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    await postOfficialResponse(t.db, pm, { ideaId: source.id, toStatus: "declined", body: "Not now.", declineReason: "not_planned", revisitOn });
    const before = await snapshot(source.id);
    expect(before.idea).toMatchObject({ status: "declined", revisit_on: revisitOn });

    const { mergeId: id } = await mergeIdeas(t.db, pm, { sourceId: source.id, targetId: target.id });
    await undoMerge(t.db, pm, id);
    expect(await snapshot(source.id)).toEqual(before);
  });
});

describe("merging the same pair in both directions at once", () => {
  it("lets exactly one merge win and leaves counters equal to the rows", async () => {
    for (let round = 0; round < 3; round++) {
      const author = await makeMember(t.db);
      const voters = await Promise.all(Array.from({ length: 4 }, () => makeMember(t.db)));
      const x = await makeIdea(t.db, author);
      const y = await makeIdea(t.db, author);
      await castVote(t.db, voters[0]!, { ideaId: x.id, value: 1 });
      await castVote(t.db, voters[1]!, { ideaId: x.id, value: -1 });
      await castVote(t.db, voters[1]!, { ideaId: y.id, value: 1 });
      await castVote(t.db, voters[2]!, { ideaId: y.id, value: 1 });
      await castVote(t.db, voters[3]!, { ideaId: y.id, value: -1 });

      const other = onPostgres() ? await t.openAnother() : null;
      let results: PromiseSettledResult<unknown>[];
      try {
        const first = round % 2 ? { sourceId: y.id, targetId: x.id } : { sourceId: x.id, targetId: y.id };
        const second = { sourceId: first.targetId, targetId: first.sourceId };
        results = await Promise.allSettled([mergeIdeas(t.db, pm, first), mergeIdeas(other?.db ?? t.db, pm, second)]);
      } finally {
        await other?.close();
      }
      const fulfilled = results.filter((r) => r.status === "fulfilled");
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(fulfilled, `round ${round}`).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toMatchObject({ status: 409 });

      const merges = await activeMerges([x.id, y.id]);
      expect(merges).toHaveLength(1);
      const { source_id: source, target_id: target } = merges[0]!;
      const rows = await t.db.selectFrom("ideas").select(["id", "status", "duplicate_of_id"]).where("id", "in", [x.id, y.id]).execute();
      const sourceRow = rows.find((r) => r.id === source)!;
      const targetRow = rows.find((r) => r.id === target)!;
      expect(sourceRow).toMatchObject({ status: "duplicate", duplicate_of_id: target });
      expect(targetRow).toMatchObject({ status: "new", duplicate_of_id: null });
      await expectCountersMatchRows(x.id);
      await expectCountersMatchRows(y.id);
      // Four distinct voters, voter 1 on both: the target has all four.
      const targetVotes = await t.db.selectFrom("votes").select("member_id").where("idea_id", "=", target).execute();
      expect(targetVotes).toHaveLength(4);
    }
  });
});

describe("finding similar ideas", () => {
  it("finds a near-duplicate by meaning of its words, and leaves out unrelated titles", async () => {
    const author = await makeMember(t.db);
    const oat = await makeIdea(t.db, author, { title: "Stop charging extra for oat milk", body: "Plant milks should be the same price." });
    const unrelated = await Promise.all([
      makeIdea(t.db, author, { title: "Open the stores earlier on Sundays" }),
      makeIdea(t.db, author, { title: "Loyalty card stamps for pastries" }),
      makeIdea(t.db, author, { title: "Quieter music in the afternoon" }),
    ]);
    const found = await findSimilarIdeas(t.db, { text: "Oat milk shouldn't cost more" });
    expect(found.map((f) => f.id)).toContain(oat.id);
    expect(found[0]!.id).toBe(oat.id);
    for (const u of unrelated) expect(found.map((f) => f.id)).not.toContain(u.id);

    // The idea itself is excluded when asked; too-short text finds nothing; duplicates are never suggested.
    expect((await findSimilarIdeas(t.db, { text: "Stop charging extra for oat milk", excludeId: oat.id })).map((f) => f.id)).not.toContain(oat.id);
    expect(await findSimilarIdeas(t.db, { text: "oat" })).toEqual([]);
    const dup = await makeIdea(t.db, author, { title: "Oat milk should not cost extra" });
    expect((await findSimilarIdeas(t.db, { text: "Oat milk shouldn't cost more" })).map((f) => f.id)).toContain(dup.id);
    await mergeIdeas(t.db, pm, { sourceId: dup.id, targetId: oat.id });
    expect((await findSimilarIdeas(t.db, { text: "Oat milk shouldn't cost more" })).map((f) => f.id)).not.toContain(dup.id);
  });
});
