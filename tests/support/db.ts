import { cpSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../app/lib/db.server";
import { startJobQueue, type JobQueue } from "../../app/lib/queue.server";
import { JOBS } from "../../app/models/jobs.server";
import { PGLITE_TEMPLATE_DIR, postgresTemplate, TMP_DIR, targetDatabase, withDatabaseName } from "./paths";

export interface TestDatabase extends DatabaseHandle {
  /** This file's job queue (jobs are enqueued into it; nothing works them unless a test does). */
  jobs: JobQueue;
  /** Counts the queries run since the last reset (for N+1 checks). */
  queries: { count: number; reset(): void };
  /** Opens a second, independent connection pool to the same database (a second app process). */
  openAnother(): Promise<DatabaseHandle>;
}

/**
 * Posting limits high enough that a test can post dozens of ideas and
 * comments as one new member. Files that test the limits themselves ask
 * for the real defaults.
 */
const RELAXED_LIMITS = {
  ideas_per_day_new: 1000, ideas_per_day: 10000, comments_per_day_new: 1000, comments_per_day: 10000,
  links_per_day_new: 1000, links_per_day: 10000, duplicate_window_minutes: 0, votes_per_hour: 100000, follows_per_hour: 100000,
};

/**
 * A fresh migrated database for one test file, copied from the run's
 * template, and dropped when the file's tests end.
 */
export async function useTestDatabase(options: { limits?: "relaxed" | "default" } = {}): Promise<TestDatabase> {
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

  if ((options.limits ?? "relaxed") === "relaxed") {
    await handle.db
      .insertInto("settings")
      .values(Object.entries(RELAXED_LIMITS).map(([key, value]) => ({ key, value: JSON.stringify(value) })))
      .execute();
  }
  const jobs = await startJobQueue(handle, JOBS, { work: false, schedule: false });
  queries.reset();

  afterAll(async () => {
    await jobs.stop();
    await handle.close();
    await cleanup();
  });
  return { ...handle, jobs, queries, openAnother };
}

export const onPostgres = () => targetDatabase().kind === "postgres";
