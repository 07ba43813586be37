import type { DB } from "../lib/db.server";

/** Every category, in the admin's order. */
export async function listCategories(db: DB) {
  return db
    .selectFrom("categories")
    .select(["id", "slug", "name", "description"])
    .orderBy("position")
    .orderBy("name")
    .execute();
}
