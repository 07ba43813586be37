import { fileURLToPath } from "node:url";

export const TMP_DIR = fileURLToPath(new URL("../.tmp/", import.meta.url));
export const PGLITE_TEMPLATE_DIR = `${TMP_DIR}pglite-template`;
export const POSTGRES_TEMPLATE = "gs_test_template";

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
