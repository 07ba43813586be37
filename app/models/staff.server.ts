import { sql } from "kysely";
import type { DB } from "../lib/db.server";
import { renderMarkdown } from "../lib/markdown.server";
import { DomainError, forbidden, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { isProductTeam, type Actor } from "./permissions";
import { slugFromName } from "./staff";

function requireProductTeam(actor: Actor) {
  if (!isProductTeam(actor.role)) throw forbidden("Only product managers and admins can do that.");
}

async function lockIdea(db: DB, ideaId: number) {
  const idea = await db
    .selectFrom("ideas")
    .select(["id", "owner_id", "category_id"])
    .where("id", "=", ideaId)
    .forUpdate()
    .executeTakeFirst();
  if (!idea) throw notFound("That idea");
  return idea;
}

/** A private note on an idea, for staff eyes only. */
export async function addStaffNote(db: DB, actor: Actor, input: { ideaId: number; body: string }) {
  requireProductTeam(actor);
  return db.transaction().execute(async (trx) => {
    await lockIdea(trx, input.ideaId);
    const note = await trx
      .insertInto("staff_notes")
      .values({ idea_id: input.ideaId, author_id: actor.id, body: input.body, body_html: renderMarkdown(input.body) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await appendEvent(trx, {
      type: "staff_note.added",
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: input.ideaId,
      data: { noteId: note.id },
    });
    return note;
  });
}

export async function listStaffNotes(db: DB, actor: Actor, ideaId: number) {
  requireProductTeam(actor);
  return db
    .selectFrom("staff_notes")
    .innerJoin("members", "members.id", "staff_notes.author_id")
    .select(["staff_notes.id", "staff_notes.body_html", "staff_notes.created_at", "members.display_name as author_name"])
    .where("staff_notes.idea_id", "=", ideaId)
    .orderBy("staff_notes.id", "desc")
    .limit(100)
    .execute();
}

/** Staff who can own ideas: product managers and admins. */
export async function listOwners(db: DB) {
  return db
    .selectFrom("members")
    .select(["id", "display_name", "role"])
    .where("role", "in", ["product_manager", "admin"])
    .where("deleted_at", "is", null)
    .orderBy("display_name")
    .limit(200)
    .execute();
}

export async function assignOwner(db: DB, actor: Actor, input: { ideaId: number; ownerId: number | null }) {
  requireProductTeam(actor);
  return db.transaction().execute(async (trx) => {
    const idea = await lockIdea(trx, input.ideaId);
    if (input.ownerId !== null) {
      const owner = await trx
        .selectFrom("members")
        .select("id")
        .where("id", "=", input.ownerId)
        .where("role", "in", ["product_manager", "admin"])
        .where("deleted_at", "is", null)
        .executeTakeFirst();
      if (!owner) throw new DomainError(400, "Choose a product manager or admin as owner.", "ownerId");
    }
    if (idea.owner_id === input.ownerId) return;
    await trx.updateTable("ideas").set({ owner_id: input.ownerId }).where("id", "=", idea.id).execute();
    await appendEvent(trx, {
      type: "idea.assigned",
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: idea.id,
      data: { before: idea.owner_id, after: input.ownerId },
    });
  });
}

export async function setIdeaCategory(db: DB, actor: Actor, input: { ideaId: number; category: string }) {
  requireProductTeam(actor);
  return db.transaction().execute(async (trx) => {
    const idea = await lockIdea(trx, input.ideaId);
    const category = await trx.selectFrom("categories").select("id").where("slug", "=", input.category).executeTakeFirst();
    if (!category) throw new DomainError(400, "Choose one of the listed categories.", "category");
    if (idea.category_id === category.id) return;
    await trx.updateTable("ideas").set({ category_id: category.id }).where("id", "=", idea.id).execute();
    await appendEvent(trx, {
      type: "idea.categorised",
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: idea.id,
      data: { before: idea.category_id, after: category.id },
    });
  });
}

/** Replaces an idea's tags with the given ones (slugs of existing tags). */
export async function setIdeaTags(db: DB, actor: Actor, input: { ideaId: number; tags: string[] }) {
  requireProductTeam(actor);
  return db.transaction().execute(async (trx) => {
    await lockIdea(trx, input.ideaId);
    const tags = input.tags.length
      ? await trx.selectFrom("tags").select(["id", "slug"]).where("slug", "in", input.tags).execute()
      : [];
    if (tags.length !== input.tags.length) throw new DomainError(400, "Choose tags from the list.", "tags");
    const before = await trx
      .selectFrom("idea_tags")
      .innerJoin("tags", "tags.id", "idea_tags.tag_id")
      .select("tags.slug")
      .where("idea_tags.idea_id", "=", input.ideaId)
      .execute();
    const beforeSlugs = before.map((t) => t.slug).sort();
    const afterSlugs = tags.map((t) => t.slug).sort();
    if (beforeSlugs.join() === afterSlugs.join()) return;
    await trx.deleteFrom("idea_tags").where("idea_id", "=", input.ideaId).execute();
    if (tags.length) {
      await trx.insertInto("idea_tags").values(tags.map((t) => ({ idea_id: input.ideaId, tag_id: t.id }))).execute();
    }
    await appendEvent(trx, {
      type: "idea.tagged",
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: input.ideaId,
      data: { before: beforeSlugs, after: afterSlugs },
    });
  });
}

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

/** Creates a tag (product team). */
export async function createTag(db: DB, actor: Actor, input: { name: string }) {
  requireProductTeam(actor);
  const slug = slugFromName(input.name);
  if (!slug) throw new DomainError(400, "Use some letters or digits in the name.", "name");
  try {
    return await db.insertInto("tags").values({ slug, name: input.name }).returning(["id", "slug"]).executeTakeFirstOrThrow();
  } catch (error) {
    if (isUnique(error)) throw new DomainError(409, "A tag with that name already exists.", "name");
    throw error;
  }
}

/** Creates a category (admins only). */
export async function createCategory(db: DB, actor: Actor, input: { name: string; description: string }) {
  if (actor.role !== "admin") throw forbidden("Only admins manage categories.");
  const slug = slugFromName(input.name);
  if (!slug) throw new DomainError(400, "Use some letters or digits in the name.", "name");
  try {
    return await db
      .insertInto("categories")
      .values({
        slug,
        name: input.name,
        description: input.description,
        position: sql<number>`(select coalesce(max(position), 0) + 1 from categories)`,
      })
      .returning(["id", "slug"])
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUnique(error)) throw new DomainError(409, "A category with that name already exists.", "name");
    throw error;
  }
}

/** Renames a category (admins only); its slug, and so its links, stay. */
export async function renameCategory(db: DB, actor: Actor, input: { slug: string; name: string; description: string }) {
  if (actor.role !== "admin") throw forbidden("Only admins manage categories.");
  const row = await db
    .updateTable("categories")
    .set({ name: input.name, description: input.description })
    .where("slug", "=", input.slug)
    .returning("id")
    .executeTakeFirst();
  if (!row) throw notFound("That category");
}

export const TRIAGE_PAGE = 25;

/** The product team's queue: ideas nobody has answered yet, oldest or most-voted first. */
export async function listTriage(db: DB, input: { order: "oldest" | "votes"; after?: [number | string, number] | null }) {
  let q = db
    .selectFrom("ideas")
    .innerJoin("members as author", "author.id", "ideas.author_id")
    .leftJoin("categories", "categories.id", "ideas.category_id")
    .leftJoin("members as owner", "owner.id", "ideas.owner_id")
    .select([
      "ideas.id",
      "ideas.title",
      "ideas.score",
      "ideas.comment_count",
      "ideas.created_at",
      "ideas.body_html",
      "author.display_name as author_name",
      "author.handle as author_handle",
      "categories.slug as category_slug",
      "categories.name as category_name",
      "owner.display_name as owner_name",
      sql<string>`to_char(ideas.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as("created_key"),
    ])
    .where("ideas.status", "=", "new");
  if (input.order === "oldest") {
    if (input.after) q = q.where(sql<boolean>`(ideas.created_at, ideas.id) > (${String(input.after[0])}::timestamptz, ${input.after[1]})`);
    q = q.orderBy("ideas.created_at").orderBy("ideas.id");
  } else {
    if (input.after) q = q.where(sql<boolean>`(ideas.score, ideas.id) < (${Number(input.after[0])}::int, ${input.after[1]})`);
    q = q.orderBy("ideas.score", "desc").orderBy("ideas.id", "desc");
  }
  const rows = await q.limit(TRIAGE_PAGE + 1).execute();
  const more = rows.length > TRIAGE_PAGE;
  return { items: more ? rows.slice(0, TRIAGE_PAGE) : rows, more };
}
