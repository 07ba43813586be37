import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { clearReferenceCache, type ReferenceReader } from "../../lib/reference-cache.server";
import { emit } from "../events/events.server";
import { assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { slugFromName } from "./catalog";

/** Every category, in the admin's order. */
export async function listCategories(db: DB) {
  return db
    .selectFrom("categories")
    .select(["id", "slug", "name", "description"])
    .orderBy("position")
    .orderBy("name")
    .execute();
}

/** A category's id by slug, or a 400 on the field (it came from a form). */
export async function findCategoryId(db: DB, slug: string): Promise<number> {
  const row = await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new DomainError(400, "Choose one of the listed categories.", "category");
  return row.id;
}

/** The tags, for the product team's page that manages them. */
export async function listTagsForManaging(db: DB, actor: Actor) {
  assertCan(actor, "tag.create", null);
  return listTags(db);
}

/** The categories, for the admins' page that manages them. */
export async function listCategoriesForManaging(db: DB, actor: Actor) {
  assertCan(actor, "category.manage", null);
  return listCategories(db);
}

/** The categories as the process keeps them (reference-cache.server.ts): for pages that only show them. */
export const readCategories = (db: DB, reference: ReferenceReader) => reference.get("categories", () => listCategories(db));

/** The tags as the process keeps them, likewise. */
export const readTags = (db: DB, reference: ReferenceReader) => reference.get("tags", () => listTags(db));

export async function listTags(db: DB) {
  return db.selectFrom("tags").select(["id", "slug", "name"]).orderBy("name").limit(500).execute();
}

/** Tags of several ideas in one query (for lists). */
export async function tagsForIdeas(db: DB, ideaIds: number[]) {
  if (!ideaIds.length) return new Map<number, { slug: string; name: string }[]>();
  const rows = await db
    .selectFrom("idea_tags")
    .innerJoin("tags", "tags.id", "idea_tags.tag_id")
    .select(["idea_tags.idea_id", "tags.slug", "tags.name"])
    .where("idea_tags.idea_id", "in", ideaIds)
    .orderBy("tags.name")
    .execute();
  const map = new Map<number, { slug: string; name: string }[]>();
  for (const r of rows) map.set(r.idea_id, [...(map.get(r.idea_id) ?? []), { slug: r.slug, name: r.name }]);
  return map;
}

const isUnique = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: string }).code === "23505";

/** Creates a tag (product team), with its event. */
export async function createTag(db: DB, actor: Actor | null, input: { name: string }) {
  const slug = slugFromName(input.name);
  try {
    return await db.transaction().execute(async (trx) => {
      assertCan(actor, "tag.create", null);
      if (!slug) throw new DomainError(400, "Use some letters or digits in the name.", "name");
      const tag = await trx.insertInto("tags").values({ slug, name: input.name }).returning(["id", "slug"]).executeTakeFirstOrThrow();
      await emit(trx, { type: "tag.created", actor, payload: { tagId: tag.id } });
      return tag;
    });
  } catch (error) {
    if (isUnique(error)) throw new DomainError(409, "A tag with that name already exists.", "name");
    throw error;
  } finally {
    clearReferenceCache();
  }
}

/** Creates a category (admins only), with its event. */
export async function createCategory(db: DB, actor: Actor | null, input: { name: string; description: string }) {
  const slug = slugFromName(input.name);
  try {
    return await db.transaction().execute(async (trx) => {
      assertCan(actor, "category.manage", null);
      if (!slug) throw new DomainError(400, "Use some letters or digits in the name.", "name");
      const category = await trx
        .insertInto("categories")
        .values({
          slug,
          name: input.name,
          description: input.description,
          position: sql<number>`(select coalesce(max(position), 0) + 1 from categories)`,
        })
        .returning(["id", "slug"])
        .executeTakeFirstOrThrow();
      await emit(trx, { type: "category.created", actor, payload: { categoryId: category.id } });
      return category;
    });
  } catch (error) {
    if (isUnique(error)) throw new DomainError(409, "A category with that name already exists.", "name");
    throw error;
  } finally {
    clearReferenceCache();
  }
}

/** Renames a category (admins only); its slug, and so its links, stay. */
export async function renameCategory(db: DB, actor: Actor | null, input: { slug: string; name: string; description: string }) {
  await db.transaction().execute(async (trx) => {
    assertCan(actor, "category.manage", null);
    const category = await trx
      .selectFrom("categories")
      .select(["id", "name", "description"])
      .where("slug", "=", input.slug)
      .forUpdate()
      .executeTakeFirst();
    if (!category) throw notFound("That category");
    if (category.name === input.name && category.description === input.description) return;
    await trx.updateTable("categories").set({ name: input.name, description: input.description }).where("id", "=", category.id).execute();
    await emit(trx, {
      type: "category.renamed",
      actor,
      payload: {
        categoryId: category.id,
        before: { name: category.name, description: category.description },
        after: { name: input.name, description: input.description },
      },
    });
  });
  clearReferenceCache();
}
