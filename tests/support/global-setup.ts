import { rmSync } from "node:fs";
import pg from "pg";
import { migrateToLatest } from "../../db/migrate";
import { openDatabase } from "../../app/lib/db.server";
import { PGLITE_TEMPLATE_DIR, POSTGRES_TEMPLATE, targetDatabase, withDatabaseName } from "./paths";

/**
 * Builds one migrated template per run; every test file then gets its own
 * copy (a copied PGlite folder, or CREATE DATABASE ... TEMPLATE on PostgreSQL).
 */
export default async function setup() {
  const target = targetDatabase();
  if (target.kind === "pglite") {
    rmSync(PGLITE_TEMPLATE_DIR, { recursive: true, force: true });
    const handle = await openDatabase({ dataDir: PGLITE_TEMPLATE_DIR });
    await migrateToLatest(handle.db);
    await handle.close();
    return;
  }
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  try {
    // Leftovers of an interrupted run.
    const stale = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'gs_test_%' or datname = $1",
      [POSTGRES_TEMPLATE],
    );
    for (const row of stale.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.query(`create database "${POSTGRES_TEMPLATE}"`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ url: withDatabaseName(target.url, POSTGRES_TEMPLATE), poolSize: 1 });
  await migrateToLatest(handle.db);
  await handle.close();
}
