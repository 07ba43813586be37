import { randomUUID } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import pg from "pg";
import { migrateAndGrant } from "../../db/migrate";
import { openDatabase } from "../../app/lib/db.server";
import { PGLITE_TEMPLATE_DIR, postgresTemplate, TMP_DIR, targetDatabase, withDatabaseName } from "./paths";

/**
 * Builds one migrated template per run; every test file then gets its own
 * copy (a copied PGlite folder, or CREATE DATABASE ... TEMPLATE on PostgreSQL).
 */
export default async function setup() {
  const target = targetDatabase();
  // Every database this run makes is named after it, so teardown removes exactly those.
  process.env.GS_TEST_RUN = randomUUID().replaceAll("-", "").slice(0, 8);
  if (target.kind === "pglite") {
    rmSync(PGLITE_TEMPLATE_DIR, { recursive: true, force: true });
    const handle = await openDatabase({ dataDir: PGLITE_TEMPLATE_DIR });
    await migrateAndGrant(handle);
    await handle.close();
    return teardownPglite;
  }
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${postgresTemplate()}" with (force)`);
    await admin.query(`create database "${postgresTemplate()}"`);
  } finally {
    await admin.end();
  }
  const handle = await openDatabase({ url: withDatabaseName(target.url, postgresTemplate()), poolSize: 1 });
  await migrateAndGrant(handle);
  await handle.close();
  return () => teardownPostgres(target.url);
}

/** Removes this run's per-file PGlite folders. */
async function teardownPglite() {
  const run = process.env.GS_TEST_RUN;
  for (const name of readdirSync(TMP_DIR)) {
    if (name.startsWith(`gs_test_${run}_`)) rmSync(`${TMP_DIR}${name}`, { recursive: true, force: true });
  }
}

/** Drops this run's per-file databases and its template. */
async function teardownPostgres(url: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const mine = await admin.query<{ datname: string }>("select datname from pg_database where datname like $1", [
      `gs_test_${process.env.GS_TEST_RUN}_%`,
    ]);
    for (const row of mine.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
  } finally {
    await admin.end();
  }
}
