import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { migrateJobQueue, startJobQueue, type JobDefinition, type JobQueue } from "../../app/lib/queue.server";
import type { DB } from "../../app/lib/db.server";
import { JOBS } from "../../app/models/jobs.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { onPostgres, useTestDatabase, type TestDatabase } from "../support/db";
import { makeIdea, makeMember } from "../support/factories";

let t: TestDatabase;

/** A job whose visible effect is a row; it fails on its first attempt when asked to. */
const runs = new Map<string, number>();
const effectJob: JobDefinition<{ marker: string; failFirst?: boolean }> = {
  name: "test-effect",
  retryLimit: 3,
  retryDelay: 1,
  retryBackoff: false,
  handler: async (db, data, job) => {
    runs.set(data.marker, (runs.get(data.marker) ?? 0) + 1);
    if (data.failFirst && job.retryCount === 0) throw new Error("the first attempt fails");
    await sql`insert into job_effects (marker) values (${data.marker}) on conflict (marker) do update set times = job_effects.times + 1`.execute(db);
  },
};

const effects = async (marker: string) =>
  (await sql<{ times: number }>`select times from job_effects where marker = ${marker}`.execute(t.db)).rows[0]?.times ?? 0;

async function until(check: () => Promise<boolean>, seconds = 20) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out waiting");
}

let worker: JobQueue;

beforeAll(async () => {
  t = await useTestDatabase();
  await sql`create table job_effects (marker text primary key, times int not null default 1)`.execute(t.db);
  await migrateJobQueue(t, [effectJob as JobDefinition]);
  // A second queue in this "process" that works the test job (the file's own queue works nothing).
  worker = await startJobQueue(t, [effectJob as JobDefinition], { work: true, schedule: false, pollingIntervalSeconds: 0.5, register: false });
  return () => worker.stop();
});

const send = (db: DB, marker: string, failFirst = false) => worker.enqueue(db, "test-effect", { marker, failFirst });

describe("the job queue", () => {
  it("a job sent in a transaction that rolls back never exists; one that commits runs once", async () => {
    let rolledBackId: string | null = null;
    await expect(
      t.db.transaction().execute(async (trx) => {
        rolledBackId = await send(trx, "rolled-back");
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    expect(rolledBackId).toBeTruthy();
    expect(await worker.state("test-effect", rolledBackId!)).toBeNull();

    const id = await t.db.transaction().execute((trx) => send(trx, "committed"));
    await until(async () => (await worker.state("test-effect", id!))?.state === "completed");
    expect(await effects("committed")).toBe(1);
    expect(runs.get("committed")).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await effects("rolled-back")).toBe(0);
    expect(runs.get("rolled-back")).toBeUndefined();
  });

  it("a job that fails once is retried, and what it does happens exactly once", async () => {
    const id = await t.db.transaction().execute((trx) => send(trx, "flaky", true));
    await until(async () => (await worker.state("test-effect", id!))?.state === "completed");
    expect(runs.get("flaky")).toBe(2);
    expect(await worker.state("test-effect", id!)).toEqual({ state: "completed", retryCount: 1 });
    expect(await effects("flaky")).toBe(1);
  });

  it("the scheduled revisit job brings a declined idea back when its day has come", async () => {
    const pm = await makeMember(t.db, { role: "product_manager" });
    const author = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "declined", body: "Not now.", declineReason: "not_planned", revisitOn: tomorrow });
    // The day comes (the job handler is what the schedule runs).
    await t.db.updateTable("ideas").set({ revisit_on: "2000-01-01" }).where("id", "=", idea.id).execute();
    await JOBS.find((j) => j.name === "revisit-due-ideas")!.handler(t.db, {}, { id: "manual", retryCount: 0 });
    expect((await t.db.selectFrom("ideas").select("status").where("id", "=", idea.id).executeTakeFirstOrThrow()).status).toBe("under_review");
  });

  it.skipIf(!onPostgres())("two app processes on one PostgreSQL send a scheduled job once per slot", async () => {
    const second = await t.openAnother();
    const everySecond: JobDefinition = { name: "test-tick", schedule: "* * * * * *", retryLimit: 0, handler: async () => undefined };
    await migrateJobQueue(t, [everySecond]);
    const a = await startJobQueue(t, [everySecond], { work: true, schedule: true, cronMonitorIntervalSeconds: 1, pollingIntervalSeconds: 0.5, register: false });
    const b = await startJobQueue(second, [everySecond], { work: true, schedule: true, cronMonitorIntervalSeconds: 1, pollingIntervalSeconds: 0.5, register: false });
    try {
      await until(async () => Number((await sql<{ n: string }>`select count(*) as n from pgboss.job where name = 'test-tick'`.execute(t.db)).rows[0]!.n) > 0, 90);
      // Let both processes run several cron passes over the same slot.
      await new Promise((r) => setTimeout(r, 4000));
    } finally {
      await a.stop();
      await b.stop();
      await second.close();
    }
    const slots = await sql<{ slot: string; n: string }>`
      select coalesce(singleton_on::text, id::text) as slot, count(*) as n from pgboss.job where name = 'test-tick' group by 1`.execute(t.db);
    expect(slots.rows.length).toBeGreaterThan(0);
    for (const s of slots.rows) expect(Number(s.n), `slot ${s.slot}`).toBe(1);
    // pg-boss sends at most one job a minute for a schedule finer than that.
    expect(slots.rows.length).toBeLessThanOrEqual(2);
  });
});
