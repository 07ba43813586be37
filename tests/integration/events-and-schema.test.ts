import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../db/migrations/index";
import { useTestDatabase, type TestDatabase } from "../support/db";
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
    const before = await t.db.selectFrom("events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    await expect(makeIdea(t.db, m, { category: "does-not-exist" })).rejects.toMatchObject({ status: 400 });
    const after = await t.db.selectFrom("events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
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
