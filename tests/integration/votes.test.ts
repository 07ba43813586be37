import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, onPostgres, type TestDatabase } from "../support/db";
import { makeIdea, makeMember } from "../support/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

async function ideaCounters(ideaId: number) {
  return t.db
    .selectFrom("ideas")
    .select(["score", "up_count", "down_count", "trending"])
    .where("id", "=", ideaId)
    .executeTakeFirstOrThrow();
}

async function voteRows(ideaId: number) {
  const rows = await t.db.selectFrom("votes").select(["member_id", "value"]).where("idea_id", "=", ideaId).execute();
  return {
    up: rows.filter((r) => r.value === 1).length,
    down: rows.filter((r) => r.value === -1).length,
    total: rows.length,
  };
}

describe("castVote", () => {
  it("casts, changes and retracts one vote, keeping counters equal to the rows", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);

    const up = await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    expect(up).toMatchObject({ score: 1, upCount: 1, downCount: 0, value: 1, changed: true });

    const down = await castVote(t.db, voter, { ideaId: idea.id, value: -1 });
    expect(down).toMatchObject({ score: -1, upCount: 0, downCount: 1, value: -1, changed: true });

    const none = await castVote(t.db, voter, { ideaId: idea.id, value: 0 });
    expect(none).toMatchObject({ score: 0, upCount: 0, downCount: 0, value: 0, changed: true });
    expect(await voteRows(idea.id)).toEqual({ up: 0, down: 0, total: 0 });

    const events = await t.db
      .selectFrom("events")
      .select(["type", "data"])
      .where("idea_id", "=", idea.id)
      .where("type", "like", "vote.%")
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.type)).toEqual(["vote.cast", "vote.changed", "vote.retracted"]);
    expect(events[1]!.data).toEqual({ from: 1, to: -1 });
  });

  it("treats the same vote again (double click, replayed request) as a no-op", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    const again = await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    expect(again).toMatchObject({ score: 1, changed: false });
    const events = await t.db.selectFrom("events").select("id").where("idea_id", "=", idea.id).where("type", "like", "vote.%").execute();
    expect(events).toHaveLength(1);
  });

  it("keeps exactly one vote when one member votes 50 times at once", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    // On PostgreSQL, a second pool is a second app process racing the first.
    const other = onPostgres() ? await t.openAnother() : null;
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          castVote(other && i % 2 ? other.db : t.db, voter, { ideaId: idea.id, value: 1 }),
        ),
      );
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
      const changed = results.filter((r) => r.status === "fulfilled" && r.value.changed);
      expect(changed).toHaveLength(1);
    } finally {
      await other?.close();
    }
    expect(await voteRows(idea.id)).toEqual({ up: 1, down: 0, total: 1 });
    expect(await ideaCounters(idea.id)).toMatchObject({ score: 1, up_count: 1, down_count: 0 });
  });

  it("keeps the score equal to the vote rows under concurrent votes from many members", async () => {
    const author = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    const voters = await Promise.all(Array.from({ length: 30 }, () => makeMember(t.db)));
    const other = onPostgres() ? await t.openAnother() : null;
    try {
      // Each member votes up, some change to down, some retract: all interleaved.
      await Promise.all(
        voters.map(async (v, i) => {
          const db = other && i % 2 ? other.db : t.db;
          await castVote(db, v, { ideaId: idea.id, value: 1 });
          if (i % 3 === 0) await castVote(db, v, { ideaId: idea.id, value: -1 });
          if (i % 5 === 0) await castVote(db, v, { ideaId: idea.id, value: 0 });
        }),
      );
    } finally {
      await other?.close();
    }
    const rows = await voteRows(idea.id);
    const counters = await ideaCounters(idea.id);
    expect(counters.up_count).toBe(rows.up);
    expect(counters.down_count).toBe(rows.down);
    expect(counters.score).toBe(rows.up - rows.down);
    // 30 voters: 6 retracted (i % 5 == 0); of the rest, i % 3 == 0 voted down.
    expect(rows.total).toBe(24);
    expect(rows.down).toBe(8);
  });

  it("refuses votes on closed ideas and unknown ideas", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    await t.db.updateTable("ideas").set({ status: "adopted" }).where("id", "=", idea.id).execute();
    await expect(castVote(t.db, voter, { ideaId: idea.id, value: 1 })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("Voting is closed"),
    });
    await expect(castVote(t.db, voter, { ideaId: 987654, value: 1 })).rejects.toMatchObject({ status: 404 });
    expect(await voteRows(idea.id)).toEqual({ up: 0, down: 0, total: 0 });
  });

  it("is protected by the schema too: one row per member and idea, values -1 or 1", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    await t.db.insertInto("votes").values({ idea_id: idea.id, member_id: voter.id, value: 1 }).execute();
    await expect(
      t.db.insertInto("votes").values({ idea_id: idea.id, member_id: voter.id, value: 1 }).execute(),
    ).rejects.toMatchObject({ code: "23505" });
    await expect(
      sql`insert into votes (idea_id, member_id, value) values (${idea.id}, ${author.id}, 2)`.execute(t.db),
    ).rejects.toMatchObject({ code: "23514" });
    await expect(
      t.db.updateTable("ideas").set({ score: 5 }).where("id", "=", idea.id).execute(),
    ).rejects.toMatchObject({ code: "23514" });
  });
});

describe("a vote's statements", () => {
  it("reads the idea, the vote and the settings once: its reactors reuse what the vote read", async () => {
    const author = await makeMember(t.db);
    // A member of more than a year: the one-year badge is checked from what the session knew.
    const voter = await makeMember(t.db, { createdAt: new Date(Date.now() - 400 * 86_400_000) });
    const idea = await makeIdea(t.db, author);
    await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    // The reactors did their work with what the vote knew: points to the author, the voter's badge.
    const points = await t.db.selectFrom("points_ledger").select(["member_id", "points", "reason"]).where("idea_id", "=", idea.id).where("reason", "=", "vote_received").execute();
    expect(points).toEqual([{ member_id: author.id, points: expect.any(Number), reason: "vote_received" }]);
    const badge = await t.db.selectFrom("member_badges").select("badge").where("member_id", "=", voter.id).where("badge", "=", "one-year").executeTakeFirst();
    expect(badge?.badge).toBe("one-year");

    // The next vote (the badge held): lock the idea, the vote before, settings, rate limit, the vote,
    // the counters, the event; points: the ledger's sums, the ledger, the scores; badges: the award
    // (already held); follow: the follow and its event; begin and commit. No second read of the
    // idea, the settings or the voter (it was 19 before the reactors reused them).
    const other = await makeIdea(t.db, author);
    t.queries.reset();
    await castVote(t.db, voter, { ideaId: other.id, value: 1 });
    expect(t.queries.count).toBeLessThanOrEqual(15);
  });

  it("reads settings once per transaction, and again after they change in it", async () => {
    const { getSettings } = await import("../../app/models/settings/settings.server");
    await t.db.transaction().execute(async (trx) => {
      t.queries.reset();
      const first = await getSettings(trx);
      const second = await getSettings(trx);
      expect(second).toBe(first);
      expect(t.queries.count).toBe(1);
    });
    // Outside a transaction every read is fresh.
    t.queries.reset();
    await getSettings(t.db);
    await getSettings(t.db);
    expect(t.queries.count).toBe(2);
  });
});
