import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import type { DatabaseHandle } from "../app/lib/db.server";
import { migrateJobQueue } from "../app/lib/queue.server";
import { JOBS } from "../app/models/jobs.server";
import { migrations } from "./migrations/index";

/** Brings the database's own tables to the newest migration; throws if one fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/**
 * Everything a database needs before the app serves from it: our migrations,
 * then the job queue's schema (pg-boss's own migrations) and our queues.
 */
export async function migrateAll(handle: DatabaseHandle): Promise<string[]> {
  const applied = await migrateToLatest(handle.db);
  await migrateJobQueue(handle, JOBS);
  return applied;
}

// `npm run db:migrate`
// (Guarded by file name: bundled into the server, import.meta.url is the bundle's.)
if (process.argv[1]?.endsWith("db/migrate.ts")) {
  const { openDatabase } = await import("../app/lib/db.server");
  const database = await openDatabase();
  try {
    const applied = await migrateAll(database);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "already up to date");
  } finally {
    await database.close();
  }
}
