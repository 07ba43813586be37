import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../db/migrations/index";
import { emit, emitMany, readCommittedEvents } from "../../app/models/events/events.server";
import { onPostgres, useTestDatabase, type TestDatabase } from "../support/db";
import { makeIdea, makeMember } from "../support/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

describe("the events log", () => {
  it("is append-only: the database refuses updates and deletes", async () => {
    const m = await makeMember(t.db);
    await makeIdea(t.db, m);
    const event = await t.db.selectFrom("events").select("id").where("actor_id", "=", m.id).executeTakeFirstOrThrow();
    await expect(sql`update events set type = 'idea.posted' where id = ${event.id}`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from events where id = ${event.id}`.execute(t.db)).rejects.toThrow(/append-only/);
    const still = await t.db.selectFrom("events").select("id").where("id", "=", event.id).execute();
    expect(still).toHaveLength(1);
  });

  it("rolls back with the change it records: no event without its change, no change without its event", async () => {
    const m = await makeMember(t.db);
    const title = "An idea whose last step fails";
    // Make the step after the event fail: posting an idea appends idea.posted, then follows it.
    await sql.raw(`create function fail_follow() returns trigger language plpgsql as $$
      begin if exists (select 1 from ideas where id = new.idea_id and title = '${title}') then raise exception 'follow refused for the test'; end if; return new; end $$`).execute(t.db);
    await sql`create trigger fail_follow before insert on idea_follows for each row execute function fail_follow()`.execute(t.db);
    try {
      const before = await t.db.selectFrom("events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      await expect(makeIdea(t.db, m, { title })).rejects.toThrow(/follow refused for the test/);
      const after = await t.db.selectFrom("events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      // The idea.posted event was written before the failure; it went with the idea.
      expect(Number(after.n)).toBe(Number(before.n));
      expect(await t.db.selectFrom("ideas").select("id").where("title", "=", title).execute()).toEqual([]);
    } finally {
      await sql`drop trigger fail_follow on idea_follows`.execute(t.db);
      await sql`drop function fail_follow()`.execute(t.db);
    }
    // With the step working again, the same post commits with both its events.
    const idea = await makeIdea(t.db, m, { title });
    const types = await t.db.selectFrom("events").select("type").where("idea_id", "=", idea.id).orderBy("id").execute();
    expect(types.map((e) => e.type)).toEqual(["idea.posted", "idea.followed"]);
  });

  it("is appended only inside the transaction that makes the change", async () => {
    await expect(emit(t.db, { type: "tag.created", actor: null, payload: { tagId: 1 } })).rejects.toThrow(/inside the transaction/);
  });

  it("refuses an event without the subject its catalogue entry names", async () => {
    await expect(t.db.transaction().execute((trx) => emit(trx, { type: "idea.posted", actor: null, payload: {} }))).rejects.toThrow(/needs its idea/);
  });

  it("is read in numeric (transaction, id) order, not as text, when ids pass a power of ten", async () => {
    const m = await makeMember(t.db);
    // Enough events that ids cross 1,000 (text order would put "1000" before "999").
    await t.db.transaction().execute((trx) =>
      emitMany(trx, Array.from({ length: 1_050 }, () => ({ type: "member.profile_edited" as const, actor: m, memberId: m.id, payload: {} }))),
    );
    const seen: { txId: bigint; id: bigint }[] = [];
    let position: { txId: string; id: string } | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof readCommittedEvents>> = await readCommittedEvents(t.db, position, 400);
      if (!page.events.length) break;
      seen.push(...page.events.map((e) => ({ txId: BigInt(e.txId), id: BigInt(e.id) })));
      position = page.position;
    }
    expect(seen.length).toBeGreaterThan(1_050);
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      expect(a.txId < b.txId || (a.txId === b.txId && a.id < b.id)).toBe(true);
    }
  });

  it.skipIf(!onPostgres())("is read in commit order: a transaction that began earlier and commits later is never skipped", async () => {
    const m = await makeMember(t.db);
    const start = await readCommittedEvents(t.db, null, 100_000);
    let position = start.position;
    const seen: string[] = [];
    const drain = async () => {
      for (;;) {
        const page = await readCommittedEvents(t.db, position, 100);
        if (!page.events.length) return;
        seen.push(...page.events.map((e) => e.id));
        position = page.position;
      }
    };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let early = "";
    // A: appends first (smaller id), commits last.
    const a = t.db.transaction().execute(async (trx) => {
      const e = await emit(trx, { type: "member.role_changed", actor: m, memberId: m.id, payload: { from: "member", to: "member" } });
      early = e.id;
      await held;
    });
    while (!early) await new Promise((r) => setTimeout(r, 10));
    // B: appends later (larger id) and commits first.
    const late = await t.db.transaction().execute((trx) => emit(trx, { type: "member.role_changed", actor: m, memberId: m.id, payload: { from: "member", to: "member" } }));
    expect(BigInt(late.id)).toBeGreaterThan(BigInt(early));
    await drain();
    // While A is open, B is held back too: a reader that took B would never come back for A.
    expect(seen).not.toContain(late.id);
    release();
    await a;
    // The horizon is the oldest transaction still running in the whole cluster: another test
    // file's open transaction (they share the server) can hold B back a little longer.
    for (const started = Date.now(); !seen.includes(late.id) && Date.now() - started < 10_000; ) {
      await drain();
      if (!seen.includes(late.id)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toContain(early);
    expect(seen).toContain(late.id);
    expect(seen.indexOf(early)).toBeLessThan(seen.indexOf(late.id));
  });
});

describe("migrations", () => {
  it("go down and up again cleanly", async () => {
    const names = Object.keys(migrations).reverse();
    for (const name of names) await migrations[name]!.down!(t.db);
    const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'ideas'`.execute(t.db);
    expect(tables.rows[0]!.n).toBe(0);
    for (const name of names.reverse()) await migrations[name]!.up(t.db);
    const m = await makeMember(t.db);
    const idea = await makeIdea(t.db, m);
    expect(idea.id).toBeGreaterThan(0);
  });
});
