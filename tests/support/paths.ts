import { fileURLToPath } from "node:url";

export const TMP_DIR = fileURLToPath(new URL("../.tmp/", import.meta.url));
export const PGLITE_TEMPLATE_DIR = `${TMP_DIR}pglite-template`;
/**
 * The run's PostgreSQL template database. Named after the run (GS_TEST_RUN, set by the
 * global setup) so runs by several people on one shared server never drop each other's,
 * and the run's teardown (which drops gs_test_<run>_*) removes it.
 */
export const postgresTemplate = () => `gs_test_${process.env.GS_TEST_RUN ?? "adhoc"}_template`;

/** Integration tests run on PGlite, or on PostgreSQL when TEST_DATABASE_URL is set. */
export function targetDatabase(): { kind: "pglite" } | { kind: "postgres"; url: string } {
  const url = process.env.TEST_DATABASE_URL;
  return url ? { kind: "postgres", url } : { kind: "pglite" };
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
