import { cpSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../app/lib/db.server";
import { PGLITE_TEMPLATE_DIR, postgresTemplate, TMP_DIR, targetDatabase, withDatabaseName } from "./paths";

export interface TestDatabase extends DatabaseHandle {
  /** Counts the queries run since the last reset (for N+1 checks). */
  queries: { count: number; reset(): void };
  /** Opens a second, independent connection pool to the same database (a second app process). */
  openAnother(): Promise<DatabaseHandle>;
}

/**
 * A fresh migrated database for one test file, copied from the run's
 * template, and dropped when the file's tests end.
 */
export async function useTestDatabase(): Promise<TestDatabase> {
  const queries = { count: 0, reset() { this.count = 0; } };
  const log = (event: { level: string }) => {
    if (event.level === "query") queries.count++;
  };
  const target = targetDatabase();
  const name = `gs_test_${process.env.GS_TEST_RUN ?? "adhoc"}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let openAnother: () => Promise<DatabaseHandle>;

  if (target.kind === "pglite") {
    const dir = `${TMP_DIR}${name}`;
    cpSync(PGLITE_TEMPLATE_DIR, dir, { recursive: true });
    handle = await openDatabase({ dataDir: dir, log });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
    openAnother = async () => {
      throw new Error("PGlite is one process's database; use TEST_DATABASE_URL for multi-process tests");
    };
  } else {
    const admin = new pg.Client({ connectionString: target.url });
    await admin.connect();
    await admin.query(`create database "${name}" template "${postgresTemplate()}"`);
    await admin.end();
    const url = withDatabaseName(target.url, name);
    handle = await openDatabase({ url, poolSize: 20, log });
    openAnother = () => openDatabase({ url, poolSize: 20 });
    cleanup = async () => {
      const a = new pg.Client({ connectionString: target.url });
      await a.connect();
      await a.query(`drop database if exists "${name}" with (force)`);
      await a.end();
    };
  }

  afterAll(async () => {
    await handle.close();
    await cleanup();
  });
  return { ...handle, queries, openAnother };
}

export const onPostgres = () => targetDatabase().kind === "postgres";
