// The app serves as a role that owns nothing (docs/decisions/012): it can do
// everything the app does, and cannot rewrite the audit log by any route the
// owner could (TRUNCATE, disabling the trigger, replica mode, UPDATE, DELETE).
// PostgreSQL only: roles and grants do not exist in PGlite's single session.
import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../app/lib/db.server";
import { resolveSession, startSession } from "../../app/lib/auth.server";
import { castVote } from "../../app/models/votes/votes.server";
import { addComment } from "../../app/models/discussion/comments.server";
import { consumeRateLimit, pruneRateLimits } from "../../app/models/shared/rate-limits.server";
import { startJobQueue } from "../../app/lib/queue.server";
import { JOBS } from "../../app/models/jobs.server";
import { grantAppRole } from "../../db/grants";
import { migrateAndGrant } from "../../db/migrate";
import { seedDemo } from "../../db/seed";
import { onPostgres } from "../support/db";
import { currentMember, makeIdea, makeMember } from "../support/factories";
import { targetDatabase, withDatabaseName } from "../support/paths";

const id = randomUUID().replaceAll("-", "").slice(0, 10);
const owner = { name: `gs_test_owner_${id}`, password: randomUUID() };
const appRole = { name: `gs_test_app_${id}`, password: randomUUID() };
// Named like the run's other databases, so the run's teardown drops it even if this file's does not.
const dbName = `gs_test_${process.env.GS_TEST_RUN ?? "adhoc"}_roles_${id}`;

function urlAs(role: { name: string; password: string }) {
  const target = targetDatabase();
  if (target.kind !== "postgres") throw new Error("PostgreSQL only");
  const u = new URL(withDatabaseName(target.url, dbName));
  u.username = role.name;
  u.password = role.password;
  return u.toString();
}

async function asAdmin(work: (client: pg.Client) => Promise<unknown>) {
  const target = targetDatabase();
  if (target.kind !== "postgres") return;
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

let ownerDb: DatabaseHandle;
let app: DatabaseHandle;

describe.skipIf(!onPostgres())("the app's database role", () => {
  beforeAll(async () => {
    await asAdmin(async (c) => {
      await c.query(`create role "${owner.name}" login password '${owner.password}'`);
      await c.query(`create role "${appRole.name}" login password '${appRole.password}'`);
      await c.query(`create database "${dbName}" owner "${owner.name}"`);
    });
    ownerDb = await openDatabase({ url: urlAs(owner), poolSize: 2, statementTimeoutMs: 0 });
    const { applied, grantedTo } = await migrateAndGrant(ownerDb, appRole.name);
    expect(applied.length).toBeGreaterThan(0);
    expect(grantedTo).toBe(appRole.name);
    app = await openDatabase({ url: urlAs(appRole), poolSize: 4 });
  });

  afterAll(async () => {
    await app?.close();
    await ownerDb?.close();
    await asAdmin(async (c) => {
      await c.query(`drop database if exists "${dbName}" with (force)`);
      await c.query(`drop role if exists "${appRole.name}"`);
      await c.query(`drop role if exists "${owner.name}"`);
    });
  });

  it("does everything the app does: the whole demo seed, sessions, votes, comments, limits, the job queue", async () => {
    // The app role works and schedules jobs in pg-boss's schema (granted by the migrator).
    const jobs = await startJobQueue(app, JOBS, { work: true, schedule: true, register: false });
    try {
      const seeded = await seedDemo(app.db);
      expect(seeded?.ideas).toBeGreaterThan(0);
    } finally {
      await jobs.stop();
    }
    const member = await makeMember(app.db);
    const idea = await makeIdea(app.db, member);
    const cookie = (await startSession(app.db, member.id)).split(";")[0]!;
    expect((await resolveSession(app.db, cookie)).member?.id).toBe(member.id);
    await castVote(app.db, member, { ideaId: idea.id, value: 1 });
    await addComment(app.db, member, { ideaId: idea.id, body: "Served as the app role.", parentId: null });
    expect((await currentMember(app.db, member.id)).id).toBe(member.id);
    await consumeRateLimit(app.db, `test:${id}`, { limit: 5, windowSeconds: 60 }, "Too many.");
    await pruneRateLimits(app.db);
    const events = await app.db.selectFrom("events").select("id").where("actor_id", "=", member.id).execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
  }, 120_000); // the seed hashes 40 passwords: slow on a busy machine

  it("cannot rewrite the audit log: TRUNCATE, disabling its trigger, replica mode, UPDATE and DELETE are all refused", async () => {
    const count = async (db: Kysely<any>) =>
      Number((await sql<{ n: string }>`select count(*) as n from events`.execute(db)).rows[0]!.n);
    const before = await count(ownerDb.db);
    expect(before).toBeGreaterThan(0);
    const attempts = [
      sql`truncate events`,
      sql`truncate events cascade`,
      sql`alter table events disable trigger events_append_only`,
      sql`alter table events disable trigger all`,
      sql`set session_replication_role = replica`,
      sql`update events set type = 'idea.posted'`,
      sql`delete from events`,
      sql`drop trigger events_append_only on events`,
      sql`drop table events`,
      sql`create table public.stash (id int)`,
      sql`insert into kysely_migration (name, timestamp) values ('x', 'now')`,
      sql`delete from kysely_migration`,
    ];
    for (const statement of attempts) {
      await expect(statement.execute(app.db), statement.compile(app.db).sql).rejects.toMatchObject({ code: "42501" });
    }
    // UPDATE and DELETE are refused by the grants, before the append-only trigger is even reached.
    await expect(sql`delete from events`.execute(app.db)).rejects.toThrow(/permission denied for table events/);
    await expect(sql`update events set data = '{}'`.execute(app.db)).rejects.toThrow(/permission denied for table events/);
    // The same connection may not slip into replica mode for one transaction either.
    await expect(
      app.db.transaction().execute(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`delete from events`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: "42501" });
    expect(await count(ownerDb.db)).toBe(before);
  });

  it("can run the migrator when nothing is pending (a server started without MIGRATION_DATABASE_URL), and only reads", async () => {
    const { applied, grantedTo } = await migrateAndGrant(app, appRole.name);
    expect(applied).toEqual([]);
    expect(grantedTo).toBeNull();
  });

  it("cannot migrate: with something pending it is told to migrate as the owner", async () => {
    const empty = `${dbName}_empty`;
    await asAdmin((c) => c.query(`create database "${empty}" owner "${owner.name}"`));
    const u = new URL(urlAs(appRole));
    u.pathname = `/${empty}`;
    const fresh = await openDatabase({ url: u.toString(), poolSize: 1 });
    try {
      await expect(migrateAndGrant(fresh, appRole.name)).rejects.toThrow(/Migrate as the owner role: set MIGRATION_DATABASE_URL/);
    } finally {
      await fresh.close();
      await asAdmin((c) => c.query(`drop database if exists "${empty}" with (force)`));
    }
  });

  it("is refused by the grants step when it could undo them: a superuser, or the owner itself", async () => {
    const { rows } = await sql<{ rolname: string }>`select rolname from pg_roles where rolsuper limit 1`.execute(ownerDb.db);
    const superuser = rows[0]!.rolname;
    await expect(grantAppRole(ownerDb.db, superuser)).rejects.toThrow(/superuser/);
    await expect(grantAppRole(ownerDb.db, owner.name)).rejects.toThrow(/owns/);
    await expect(grantAppRole(ownerDb.db, `gs_test_nobody_${id}`)).rejects.toThrow(/does not exist/);
  });

  it("covers every schema in the list, including ones added later (e.g. a job queue's)", async () => {
    await sql`create schema jobs_${sql.raw(id)}`.execute(ownerDb.db);
    await sql`create table jobs_${sql.raw(id)}.job (id bigint generated always as identity primary key, name text not null)`.execute(ownerDb.db);
    await grantAppRole(ownerDb.db, appRole.name, ["public", `jobs_${id}`]);
    await sql`insert into jobs_${sql.raw(id)}.job (name) values ('send-digest')`.execute(app.db);
    await sql`update jobs_${sql.raw(id)}.job set name = 'sent'`.execute(app.db);
    const rows = await sql<{ name: string }>`select name from jobs_${sql.raw(id)}.job`.execute(app.db);
    expect(rows.rows).toEqual([{ name: "sent" }]);
    await expect(sql`truncate jobs_${sql.raw(id)}.job`.execute(app.db)).rejects.toMatchObject({ code: "42501" });
    await expect(sql`create table jobs_${sql.raw(id)}.stash (id int)`.execute(app.db)).rejects.toMatchObject({ code: "42501" });
    // Granting again is harmless, and the events table stays append-only.
    await grantAppRole(ownerDb.db, appRole.name);
    await expect(sql`delete from events`.execute(app.db)).rejects.toMatchObject({ code: "42501" });
  });
});
