import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { addComment, deleteComment } from "../../app/models/discussion/comments.server";
import { getStanding, listLeaderboard } from "../../app/models/engagement/rank.server";
import { rebuildPoints } from "../../app/models/engagement/points.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { flagItem } from "../../app/models/moderation/flags.server";
import { mergeIdeas, undoMerge } from "../../app/models/pipeline/merges.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { dispatch } from "../../app/models/reactors.server";
import { getSettings, updateSettings } from "../../app/models/settings/settings.server";
import { castVote } from "../../app/models/votes/votes.server";
import { updateProfile } from "../../app/models/members/account.server";
import { removeAvatar, uploadAvatar } from "../../app/models/members/avatar.server";
import sharp from "sharp";
import type { StoredEvent } from "../../app/models/events/events.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";

let t: TestDatabase;
let pm: TestMember;
let moderator: TestMember;
let admin: TestMember;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await makeMember(t.db, { role: "product_manager" });
  moderator = await makeMember(t.db, { role: "moderator" });
  admin = await makeMember(t.db, { role: "admin" });
});

const total = async (memberId: number, scope = "all") =>
  (await t.db.selectFrom("member_scores").select("points").where("scope", "=", scope).where("member_id", "=", memberId).executeTakeFirst())?.points ?? 0;

const ledgerSum = async (memberId: number) =>
  Number((await t.db.selectFrom("points_ledger").select((eb) => eb.fn.coalesce(eb.fn.sum<string>("points"), sql<string>`0`).as("s")).where("member_id", "=", memberId).executeTakeFirstOrThrow()).s);

/** Every total and histogram row, for comparing two ways of computing them. */
async function everything() {
  const scores = await t.db.selectFrom("member_scores").select(["scope", "member_id", "points"]).orderBy("scope").orderBy("member_id").execute();
  const histogram = await t.db.selectFrom("points_histogram").select(["scope", "points", "members"]).where("members", ">", 0).orderBy("scope").orderBy("points").execute();
  const buckets = await t.db.selectFrom("points_buckets").select(["scope", "bucket", "members"]).where("members", ">", 0).orderBy("scope").orderBy("bucket").execute();
  return { scores, histogram, buckets };
}

/** The histogram must say exactly how many members have each score. */
async function expectHistogramConsistent() {
  const counted = await sql<{ scope: string; points: number; members: number }>`
    select scope, points, count(*)::int as members from member_scores group by scope, points order by scope, points`.execute(t.db);
  const { histogram, buckets } = await everything();
  expect(histogram).toEqual(counted.rows.filter((r) => r.members > 0));
  const bucketed = await sql<{ scope: string; bucket: number; members: number }>`
    select scope, floor(points / 256.0)::int as bucket, count(*)::int as members from member_scores group by 1, 2 order by 1, 2`.execute(t.db);
  expect(buckets).toEqual(bucketed.rows);
}

describe("points from what happened", () => {
  it("posting, up-votes received and their retraction, comments and replies", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const amounts = await getSettings(t.db);
    const idea = await makeIdea(t.db, author);
    expect(await total(author.id)).toBe(amounts.points_idea_posted);

    await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    expect(await total(author.id)).toBe(amounts.points_idea_posted + amounts.points_vote_received);
    await castVote(t.db, voter, { ideaId: idea.id, value: -1 });
    expect(await total(author.id)).toBe(amounts.points_idea_posted);
    await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    await castVote(t.db, voter, { ideaId: idea.id, value: 0 });
    expect(await total(author.id)).toBe(amounts.points_idea_posted);
    // One's own vote is worth nothing.
    await castVote(t.db, author, { ideaId: idea.id, value: 1 });
    expect(await total(author.id)).toBe(amounts.points_idea_posted);

    const comment = await addComment(t.db, author, { ideaId: idea.id, body: "Here is how I would do it.", parentId: null });
    await addComment(t.db, voter, { ideaId: idea.id, body: "Good point, and also this.", parentId: comment.id });
    expect(await total(voter.id)).toBe(amounts.points_comment_posted);
    expect(await total(author.id)).toBe(amounts.points_idea_posted + amounts.points_comment_posted + amounts.points_reply_received);
    expect(await ledgerSum(author.id)).toBe(await total(author.id));
    await expectHistogramConsistent();
  });

  it("a moderator's hide takes back what the post earned and a restore gives it back; an upheld flag earns", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const flagger = await makeMember(t.db);
    const amounts = await getSettings(t.db);
    const idea = await makeIdea(t.db, author);
    await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    const earned = amounts.points_idea_posted + amounts.points_vote_received;
    expect(await total(author.id)).toBe(earned);

    await flagItem(t.db, flagger, { kind: "idea", targetId: idea.id, reason: "spam", note: "" });
    await moderate(t.db, moderator, { kind: "idea", targetId: idea.id, action: "hide", reason: "Advertising" });
    expect(await total(author.id)).toBe(0);
    expect(await total(flagger.id)).toBe(amounts.points_flag_upheld);
    await moderate(t.db, moderator, { kind: "idea", targetId: idea.id, action: "restore", reason: "" });
    expect(await total(author.id)).toBe(earned);
    // The flag stays upheld: its points stay.
    expect(await total(flagger.id)).toBe(amounts.points_flag_upheld);

    const comment = await addComment(t.db, voter, { ideaId: idea.id, body: "I agree with this.", parentId: null });
    expect(await total(voter.id)).toBe(amounts.points_comment_posted);
    await deleteComment(t.db, voter, { ideaId: idea.id, commentId: comment.id });
    expect(await total(voter.id)).toBe(0);
    await expectHistogramConsistent();
  });

  it("planned and adopted credit the author, the authors of merged duplicates and the first supporters, once each", async () => {
    const author = await makeMember(t.db);
    const dupAuthor = await makeMember(t.db);
    const supporters = await Promise.all(Array.from({ length: 7 }, () => makeMember(t.db)));
    const amounts = await getSettings(t.db);
    const idea = await makeIdea(t.db, author);
    const duplicate = await makeIdea(t.db, dupAuthor);
    for (const s of supporters) await castVote(t.db, s, { ideaId: idea.id, value: 1 });
    await mergeIdeas(t.db, pm, { sourceId: duplicate.id, targetId: idea.id });
    const before = { author: await total(author.id), dup: await total(dupAuthor.id), first: await total(supporters[0]!.id), late: await total(supporters[6]!.id) };

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "We are planning this." });
    expect(await total(author.id)).toBe(before.author + amounts.points_idea_planned);
    expect(await total(dupAuthor.id)).toBe(before.dup + amounts.points_idea_planned);
    expect(await total(supporters[0]!.id)).toBe(before.first + amounts.points_supporter_planned);
    expect(await total(supporters[4]!.id)).toBe(before.first + amounts.points_supporter_planned);
    // Only the first five supporters share the credit.
    expect(await total(supporters[6]!.id)).toBe(before.late);

    // Back to under review and planned again: planned is worth its points once.
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "under_review", body: "Reconsidering the scope." });
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "Planned again." });
    expect(await total(author.id)).toBe(before.author + amounts.points_idea_planned + amounts.points_idea_under_review);

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "adopted", body: "Shipped!" });
    expect(await total(supporters[0]!.id)).toBe(before.first + amounts.points_supporter_planned + amounts.points_supporter_adopted);
    await expectHistogramConsistent();
  });

  it("replaying events (a retried job) adds nothing", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    const before = await everything();
    const rows = await t.db.selectFrom("events").select(["id", "type", "actor_id", "idea_id", "comment_id", "member_id", "data", "created_at"]).where("idea_id", "=", idea.id).orderBy("id").execute();
    const events: StoredEvent[] = rows.map((r) => ({
      id: String(r.id), type: r.type as StoredEvent["type"], actorId: r.actor_id, actorRole: null, ideaId: r.idea_id, commentId: r.comment_id,
      memberId: r.member_id, payload: r.data as never, createdAt: new Date(r.created_at),
    }));
    await t.db.transaction().execute((trx) => dispatch(trx, events));
    expect(await everything()).toEqual(before);
  });

  it("ranks are 1 + the members with more points; leaderboards page by keyset with shared ranks for ties", async () => {
    const board = await listLeaderboard(t.db, { period: "all" });
    expect(board.rows.length).toBeGreaterThan(0);
    for (let i = 1; i < board.rows.length; i++) expect(board.rows[i - 1]!.points).toBeGreaterThanOrEqual(board.rows[i]!.points);
    const scores = await t.db.selectFrom("member_scores").select(["member_id", "points"]).where("scope", "=", "all").execute();
    for (const s of scores.slice(0, 10)) {
      const standing = await getStanding(t.db, s.member_id);
      expect(standing.rank).toBe(1 + scores.filter((o) => o.points > s.points).length);
      expect(standing.of).toBe(scores.length);
      const higher = scores.filter((o) => o.points > s.points).map((o) => o.points);
      if (higher.length) {
        const nextPoints = Math.min(...higher);
        expect(standing.next).toEqual({ rank: 1 + scores.filter((o) => o.points > nextPoints).length, gap: nextPoints - s.points });
      } else expect(standing.next).toBeNull();
    }
    // Pages of 25: walk them all; every member appears once.
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listLeaderboard>> = await listLeaderboard(t.db, { period: "all", cursor });
      seen.push(...page.rows.map((r) => r.memberId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(scores.length);
  });
});

/** A small deterministic generator, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe("rebuilding the ledger from the events log", () => {
  it("gives the same totals as the reactors after a long random sequence of actions", { timeout: 240_000 }, async () => {
    const rnd = prng(20261202);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const members = await Promise.all(Array.from({ length: 10 }, () => makeMember(t.db)));
    const ideas: number[] = [];
    for (let i = 0; i < 6; i++) ideas.push((await makeIdea(t.db, pick(members))).id);
    const comments: { id: number; ideaId: number; authorId: number }[] = [];
    const merges: number[] = [];
    const tried: Record<string, number> = {};
    // Real images for avatar uploads (a new photo replaces the old; a removal takes the points back).
    const photos = await Promise.all([1, 2, 3].map((n) => sharp({ create: { width: 8 * n, height: 8, channels: 3, background: { r: 60 * n, g: 40, b: 90 } } }).png().toBuffer()));
    for (let step = 0; step < 220; step++) {
      const roll = rnd();
      const ideaId = pick(ideas);
      const kind =
        roll < 0.45 ? "vote"
        : roll < 0.6 ? "comment"
        : roll < 0.65 ? "delete-comment"
        : roll < 0.72 ? "status"
        : roll < 0.77 ? "merge"
        : roll < 0.81 ? "undo-merge"
        : roll < 0.88 ? "hide"
        : roll < 0.93 ? "restore"
        : roll < 0.95 ? "flag"
        : roll < 0.965 ? "profile"
        : roll < 0.985 ? "avatar"
        : "idea";
      tried[kind] = (tried[kind] ?? 0) + 1;
      // Actions the rules refuse (a vote on a closed idea, a merge of a merged one) are part of the mix.
      await (async () => {
        switch (kind) {
          case "vote":
            return castVote(t.db, pick(members), { ideaId, value: pick([1, 1, 1, -1, 0]) as 1 | -1 | 0 });
          case "comment": {
            const parent = rnd() < 0.5 ? comments.filter((c) => c.ideaId === ideaId) : [];
            const author = pick(members);
            const c = await addComment(t.db, author, { ideaId, body: `Step ${step}: a thought on this.`, parentId: parent.length ? pick(parent).id : null });
            comments.push({ id: c.id, ideaId, authorId: author.id });
            return;
          }
          case "delete-comment": {
            if (!comments.length) return;
            const c = pick(comments);
            return deleteComment(t.db, members.find((m) => m.id === c.authorId)!, { ideaId: c.ideaId, commentId: c.id });
          }
          case "status":
            return postOfficialResponse(t.db, pm, { ideaId, toStatus: pick(["under_review", "planned", "in_progress", "adopted", "new"] as const), body: `Update at step ${step}.` });
          case "merge": {
            const target = pick(ideas.filter((id) => id !== ideaId));
            const merged = await mergeIdeas(t.db, pm, { sourceId: ideaId, targetId: target });
            merges.push(merged.mergeId);
            return;
          }
          case "undo-merge":
            if (!merges.length) return;
            return undoMerge(t.db, pm, merges.splice(Math.floor(rnd() * merges.length), 1)[0]!);
          case "hide":
            if (rnd() < 0.5 && comments.length) return moderate(t.db, moderator, { kind: "comment", targetId: pick(comments).id, action: pick(["hide", "delete"] as const), reason: "Off-topic" });
            return moderate(t.db, moderator, { kind: "idea", targetId: ideaId, action: "hide", reason: "Off-topic" });
          case "restore":
            if (rnd() < 0.5 && comments.length) return moderate(t.db, moderator, { kind: "comment", targetId: pick(comments).id, action: "restore", reason: "" });
            return moderate(t.db, moderator, { kind: "idea", targetId: ideaId, action: "restore", reason: "" });
          case "flag":
            return flagItem(t.db, pick(members), { kind: "idea", targetId: ideaId, reason: "spam", note: "" });
          case "profile": {
            const m = pick(members.slice(0, 4));
            return updateProfile(t.db, m, { displayName: `Member ${m.id}`, bio: pick(["", "I like oat milk.", "Barista at heart."]) });
          }
          case "avatar": {
            const m = pick(members.slice(0, 4));
            return rnd() < 0.35 ? removeAvatar(t.db, m) : uploadAvatar(t.db, m, pick(photos));
          }
          default:
            ideas.push((await makeIdea(t.db, pick(members))).id);
        }
      })().catch((error: { status?: number }) => {
        if (!error?.status || error.status >= 500) throw error;
      });
    }
    expect(tried.vote).toBeGreaterThan(50);
    expect(tried.merge).toBeGreaterThan(3);
    expect(tried.hide).toBeGreaterThan(5);
    expect(tried.profile).toBeGreaterThan(1);
    expect(tried.avatar).toBeGreaterThan(2);
    const profileRows = await t.db.selectFrom("points_ledger").select("points").where("reason", "=", "profile_complete").execute();
    expect(profileRows.length).toBeGreaterThan(0);
    const ledgerRows = Number((await t.db.selectFrom("points_ledger").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);
    expect(ledgerRows).toBeGreaterThan(100);
    // Some reversals happened (retractions, hides, deletions).
    const negatives = await t.db.selectFrom("points_ledger").select("reason").where("points", "<", 0).groupBy("reason").execute();
    expect(negatives.map((n) => n.reason)).toEqual(expect.arrayContaining(["vote_received", "post_hidden"]));

    const incremental = await everything();
    await expectHistogramConsistent();
    const rebuilt = await rebuildPoints(t.db, { batch: 97 });
    expect(rebuilt.rows).toBeGreaterThan(0);
    expect(await everything()).toEqual(incremental);
  });

  it("after an admin changes an amount, rebuilding gives the totals at the new amounts", async () => {
    const author = await makeMember(t.db);
    const voters = await Promise.all(Array.from({ length: 3 }, () => makeMember(t.db)));
    const idea = await makeIdea(t.db, author);
    for (const v of voters) await castVote(t.db, v, { ideaId: idea.id, value: 1 });
    const amounts = await getSettings(t.db);
    expect(await total(author.id)).toBe(amounts.points_idea_posted + 3 * amounts.points_vote_received);
    await updateSettings(t.db, admin, { ...amounts, points_vote_received: 7, points_idea_posted: 1 });
    await rebuildPoints(t.db);
    expect(await total(author.id)).toBe(1 + 3 * 7);
    await expectHistogramConsistent();
    await updateSettings(t.db, admin, amounts);
    await rebuildPoints(t.db);
  });

  it("only admins change the amounts", async () => {
    const amounts = await getSettings(t.db);
    await expect(updateSettings(t.db, pm, { ...amounts, points_vote_received: 100 })).rejects.toMatchObject({ status: 403 });
  });
});
