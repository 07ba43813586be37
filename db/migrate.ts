import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { migrations } from "./migrations/index";

/** Brings the database to the newest migration; throws if one fails. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

// `npm run db:migrate`
// (Guarded by file name: bundled into the server, import.meta.url is the bundle's.)
if (process.argv[1]?.endsWith("db/migrate.ts")) {
  const { openDatabase } = await import("../app/lib/db.server");
  const database = await openDatabase();
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "already up to date");
  } finally {
    await database.close();
  }
}
