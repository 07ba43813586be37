import { sql, type Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { openDatabase, type DatabaseHandle } from "../app/lib/db.server";
import { env } from "../app/lib/env.server";
import { migrateJobQueue } from "../app/lib/queue.server";
import { JOBS } from "../app/models/jobs.server";
import { appRoleName, grantAppRole } from "./grants";
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

/**
 * Migrates our tables and the job queue's (pg-boss's own schema and our
 * queues), then (when `appRole` names another role than the one migrating)
 * grants the app role its rights (db/grants.ts). With nothing pending, the
 * migrator only reads, so an app role may run this too: it then only checks
 * that the job queue is installed.
 */
export async function migrateAndGrant(handle: DatabaseHandle, appRole?: string): Promise<{ applied: string[]; grantedTo: string | null }> {
  const db = handle.db;
  let applied: string[];
  try {
    applied = await migrateToLatest(db);
  } catch (error) {
    if ((error as { code?: unknown }).code === "42501") {
      throw new Error(
        "Migrating was refused (permission denied): this role does not own the schema. Migrate as the owner role: " +
          "set MIGRATION_DATABASE_URL, or run `npm run db:migrate` with it (see the README, Deploying).",
        { cause: error },
      );
    }
    throw error;
  }
  const { rows } = await sql<{ me: string }>`select current_user as me`.execute(db);
  const asAppRole = !!appRole && rows[0]?.me === appRole;
  await migrateJobQueue(handle, JOBS, { owner: !asAppRole });
  if (!appRole || asAppRole) return { applied, grantedTo: null };
  await grantAppRole(db, appRole);
  return { applied, grantedTo: appRole };
}

/**
 * Migrates as this environment says: as MIGRATION_DATABASE_URL's owner role
 * when it is set (a short-lived pool of one, no statement timeout), otherwise
 * through `serving` (the app's own database, as with one role, PGlite or dev)
 * or DATABASE_URL. The app role, DATABASE_APP_ROLE or else DATABASE_URL's user
 * when MIGRATION_DATABASE_URL is set, then gets its grants.
 */
export async function migrateAsConfigured(serving?: DatabaseHandle) {
  const config = env();
  const appRole =
    config.DATABASE_APP_ROLE || config.MIGRATION_DATABASE_URL
      ? appRoleName(config.DATABASE_URL, config.DATABASE_APP_ROLE)
      : undefined;
  if (serving && !config.MIGRATION_DATABASE_URL) return migrateAndGrant(serving, appRole);
  const owner = await openDatabase({
    url: config.MIGRATION_DATABASE_URL,
    poolSize: 1,
    statementTimeoutMs: 0,
    idleInTransactionTimeoutMs: 0,
  });
  try {
    return await migrateAndGrant(owner, appRole);
  } finally {
    await owner.close();
  }
}

// `npm run db:migrate`
// (Guarded by file name: bundled into the server, import.meta.url is the bundle's.)
if (process.argv[1]?.endsWith("db/migrate.ts")) {
  const { applied, grantedTo } = await migrateAsConfigured();
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "already up to date");
  if (grantedTo) console.log(`granted the app role "${grantedTo}" its rights`);
}
