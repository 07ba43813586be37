import { mkdirSync } from "node:fs";
import { Kysely, PostgresDialect, type LogConfig } from "kysely";
import pg from "pg";
import type { Database } from "../../db/schema";
import { env } from "./env.server";

export type DB = Kysely<Database>;

// A DATE is a calendar day, not an instant: keep it as "YYYY-MM-DD" rather
// than a Date at the server's local midnight.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface DatabaseHandle {
  db: DB;
  kind: "postgres" | "pglite";
  /** The pool under `db`, for the job queue (which must share PGlite's single connection). */
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Opens the database: PostgreSQL when a URL is given, otherwise embedded
 * PGlite in a data folder. Both go through one pg.Pool and one Kysely
 * dialect, so every query and migration is the same on both.
 */
export async function openDatabase(
  options: { url?: string; dataDir?: string; poolSize?: number; log?: LogConfig } = {},
): Promise<DatabaseHandle> {
  const url = options.url ?? (options.dataDir ? undefined : env().DATABASE_URL);
  if (url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? env().DATABASE_POOL_SIZE,
      idleTimeoutMillis: 30_000,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
    return { db, kind: "postgres", pool, close: () => db.destroy() };
  }

  const dataDir = options.dataDir ?? env().DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
  const pglite = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  // PGlite is one connection: a pool of one keeps transactions from interleaving.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: options.log });
  return {
    db,
    kind: "pglite",
    pool,
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
