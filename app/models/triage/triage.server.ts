import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";
import { emit } from "../events/events.server";
import { assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { keysetPage } from "../shared/keyset.server";

async function lockIdea(trx: DB, ideaId: number) {
  const idea = await trx
    .selectFrom("ideas")
    .select(["id", "owner_id", "category_id"])
    .where("id", "=", ideaId)
    .forUpdate()
    .executeTakeFirst();
  if (!idea) throw notFound("That idea");
  return idea;
}

/** A private note on an idea, for the product team's eyes only. */
export async function addStaffNote(db: DB, actor: Actor | null, input: { ideaId: number; body: string }) {
  const bodyHtml = await renderMarkdown(input.body);
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "staff_note.add", null);
    await lockIdea(trx, input.ideaId);
    const note = await trx
      .insertInto("staff_notes")
      .values({ idea_id: input.ideaId, author_id: actor.id, body: input.body, body_html: bodyHtml })
      .returning("id")
      .executeTakeFirstOrThrow();
    await emit(trx, { type: "staff_note.added", actor, ideaId: input.ideaId, payload: { noteId: note.id } });
    return note;
  });
}

export async function listStaffNotes(db: DB, actor: Actor | null, ideaId: number) {
  assertCan(actor, "staff_note.read", null);
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

export async function assignOwner(db: DB, actor: Actor | null, input: { ideaId: number; ownerId: number | null }) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "idea.assign", null);
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
    await emit(trx, { type: "idea.assigned", actor, ideaId: idea.id, payload: { from: idea.owner_id, to: input.ownerId } });
  });
}

export async function setIdeaCategory(db: DB, actor: Actor | null, input: { ideaId: number; category: string }) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "idea.categorise", null);
    const idea = await lockIdea(trx, input.ideaId);
    const category = await trx.selectFrom("categories").select("id").where("slug", "=", input.category).executeTakeFirst();
    if (!category) throw new DomainError(400, "Choose one of the listed categories.", "category");
    if (idea.category_id === category.id) return;
    await trx.updateTable("ideas").set({ category_id: category.id }).where("id", "=", idea.id).execute();
    await emit(trx, { type: "idea.categorised", actor, ideaId: idea.id, payload: { from: idea.category_id, to: category.id } });
  });
}

/** Replaces an idea's tags with the given ones (slugs of existing tags). */
export async function setIdeaTags(db: DB, actor: Actor | null, input: { ideaId: number; tags: string[]; at?: Date }) {
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "idea.tag", null);
    await lockIdea(trx, input.ideaId);
    const tags = input.tags.length
      ? await trx.selectFrom("tags").select(["id", "slug"]).where("slug", "in", input.tags).execute()
      : [];
    if (tags.length !== input.tags.length) throw new DomainError(400, "Choose tags from the list.", "tags");
    const before = await trx.selectFrom("idea_tags").select("tag_id").where("idea_id", "=", input.ideaId).execute();
    const beforeIds = new Set(before.map((t) => t.tag_id));
    const afterIds = new Set(tags.map((t) => t.id));
    const added = [...afterIds].filter((id) => !beforeIds.has(id)).sort((a, b) => a - b);
    const removed = [...beforeIds].filter((id) => !afterIds.has(id)).sort((a, b) => a - b);
    if (!added.length && !removed.length) return;
    if (removed.length) await trx.deleteFrom("idea_tags").where("idea_id", "=", input.ideaId).where("tag_id", "in", removed).execute();
    if (added.length) await trx.insertInto("idea_tags").values(added.map((tagId) => ({ idea_id: input.ideaId, tag_id: tagId }))).execute();
    await emit(trx, { type: "idea.tagged", actor, ideaId: input.ideaId, payload: { added, removed }, at: input.at });
  });
}

export const TRIAGE_PAGE = 25;

/** The product team's queue: ideas nobody has answered yet, oldest or most-voted first. */
export async function listTriage(db: DB, actor: Actor | null, input: { order: "oldest" | "votes"; cursor?: string | null }) {
  assertCan(actor, "triage.read", null);
  const q = db
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
    ])
    .where("ideas.status", "=", "new");
  return input.order === "oldest"
    ? keysetPage(q, { key: { expr: sql`ideas.created_at`, type: "timestamptz" }, id: "ideas.id", direction: "asc", cursor: input.cursor, limit: TRIAGE_PAGE })
    : keysetPage(q, { key: { expr: sql`ideas.score`, type: "int" }, id: "ideas.id", direction: "desc", cursor: input.cursor, limit: TRIAGE_PAGE });
}
