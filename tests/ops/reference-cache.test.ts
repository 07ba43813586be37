// Two real server processes on one PostgreSQL keep the settings in memory (reference-cache.server.ts):
// a change saved elsewhere reaches both within about a second, through the data version they poll.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../app/lib/db.server";
import type { Actor } from "../../app/models/policy";
import { getSettings, updateSettings } from "../../app/models/settings/settings.server";
import { startApp, waitFor, type AppProcess } from "../support/app-process";
import { opsDatabase } from "../support/ops";

let database: Awaited<ReturnType<typeof opsDatabase>>;
let apps: AppProcess[] = [];
let handle: DatabaseHandle;

beforeAll(async () => {
  database = await opsDatabase();
  apps = await Promise.all([startApp(database.env), startApp(database.env)]);
  handle = await openDatabase({ url: database.env.MIGRATION_DATABASE_URL, poolSize: 2 });
}, 120_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.kill()));
  await handle?.close();
  await database?.drop();
});

/** The site name in the <title> of an uncached front page (past the shared page cache). */
async function siteNameOn(app: AppProcess) {
  const res = await fetch(`${app.base}/?n=${Math.random()}`, { headers: { "Cache-Control": "no-cache" } });
  const html = await res.text();
  return /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
}

describe("the reference cache across processes", () => {
  it("shows a settings change made by another process on both servers within about a second", async () => {
    // Both have read (and keep) the settings.
    for (const app of apps) expect(await siteNameOn(app)).toContain("Harbor Ideas");
    const admin = await handle.db
      .selectFrom("members")
      .select(["id", "role", "created_at", "suspended_until", "suspension_reason"])
      .where("role", "=", "admin")
      .executeTakeFirstOrThrow();
    const actor: Actor = {
      id: admin.id,
      role: admin.role,
      createdAt: new Date(admin.created_at),
      suspendedUntil: admin.suspended_until ? new Date(admin.suspended_until) : null,
      suspensionReason: admin.suspension_reason,
    };
    const started = Date.now();
    await updateSettings(handle.db, actor, {
      ...(await getSettings(handle.db)),
      site_name: "Renamed Elsewhere",
    });
    for (const app of apps) {
      // Under 3 s: the entries live 5 s, so only the data version (polled every second) can explain it.
      await waitFor(async () => (await siteNameOn(app)).includes("Renamed Elsewhere"), 3_000, "the new site name");
    }
    const took = Date.now() - started;
    console.log(`ops: reference cache: both processes showed the new site name ${took} ms after it was saved elsewhere`);
    expect(took).toBeLessThan(3_000);
  });
});
