import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { DB } from "../../lib/db.server";
import { listCategories, listTags } from "../catalog/catalog.server";
import type { CommentNode } from "../discussion/comment";
import { getThread } from "../discussion/comments.server";
import { myOpenFlags } from "../moderation/flags.server";
import { findActiveMerge, findSimilarIdeas, mergedIntoQuery } from "../pipeline/merges.server";
import { responsesQuery } from "../pipeline/responses.server";
import { allowed, viewerData, type Actor } from "../policy";
import { isModerator } from "../members/roles";
import { listOwners, listStaffNotes } from "../triage/triage.server";
import { parseForm } from "../shared/schemas.server";
import { getIdea, type IdeaDetail } from "./ideas.server";
import { ideaPageIntents } from "./schemas.server";

/**
 * The idea's official responses and the ideas merged into it, in one statement (one round trip
 * fewer for every view of an idea: docs/decisions/022).
 */
async function responsesAndMerges(db: DB, ideaId: number) {
  const row = await db
    .selectNoFrom([jsonArrayFrom(responsesQuery(db, ideaId)).as("responses"), jsonArrayFrom(mergedIntoQuery(db, ideaId)).as("merged")])
    .executeTakeFirstOrThrow();
  // JSON carries a timestamp as text: back to a Date, as a row read on its own has it.
  return {
    responses: row.responses.map((r) => ({ ...r, created_at: new Date(r.created_at) })),
    mergedFrom: row.merged.map((m) => ({ ...m, created_at: new Date(m.created_at) })),
  };
}

function commentIds(nodes: CommentNode[]): number[] {
  return nodes.flatMap((n) => [n.id, ...commentIds(n.replies)]);
}

async function staffPanel(db: DB, viewer: Actor, idea: IdeaDetail) {
  const [categories, tags, owners, notes, similar, activeMerge] = await Promise.all([
    listCategories(db),
    listTags(db),
    listOwners(db),
    listStaffNotes(db, viewer, idea.id),
    idea.status === "duplicate" ? Promise.resolve([]) : findSimilarIdeas(db, { text: idea.title, excludeId: idea.id }),
    findActiveMerge(db, idea.id),
  ]);
  return {
    status: idea.status,
    categories,
    categorySlug: idea.category_slug,
    tags,
    tagSlugs: idea.tag_slugs,
    owners,
    ownerId: idea.owner_id,
    notes,
    similar,
    activeMergeId: activeMerge?.id ?? null,
  };
}

/**
 * Everything an idea's page shows, as this viewer may see it: the idea (or
 * only that moderation hid it), its discussion, official responses, merged
 * duplicates, the viewer's own open flags, and the product team's panel for
 * those allowed. A fixed number of queries, whatever the thread's size.
 */
export async function getIdeaPage(db: DB, viewer: Actor | null, ideaId: number) {
  const found = await getIdea(db, viewer, ideaId);
  if (!found.visible) return { hidden: { id: found.id, moderation: found.moderation, moderationReason: found.moderationReason } } as const;
  const idea = found.idea;
  const [thread, { responses, mergedFrom }] = await Promise.all([getThread(db, viewer, ideaId), responsesAndMerges(db, ideaId)]);
  const flags =
    viewer && !isModerator(viewer.role) ? await myOpenFlags(db, viewer.id, { idea: [idea.id], comment: commentIds(thread) }) : [];
  const staff = viewer && allowed(viewer, "staff_note.read", null) ? await staffPanel(db, viewer, idea) : null;
  const target = { authorId: idea.author_id, createdAt: new Date(idea.created_at) };
  return {
    hidden: null,
    idea,
    thread,
    responses,
    mergedFrom,
    myFlags: {
      idea: flags.find((f) => f.target_kind === "idea")?.id ?? null,
      comments: Object.fromEntries(flags.filter((f) => f.target_kind === "comment").map((f) => [f.target_id, f.id])) as Record<number, number>,
    },
    staff,
    viewer: viewerData(viewer),
    canEdit: allowed(viewer, "idea.edit", target),
    canSeeHistory: allowed(viewer, "idea.view_history", target) && idea.edited_at !== null,
  };
}

export type StaffPanelData = Awaited<ReturnType<typeof staffPanel>>;

/**
 * The idea page's forms (vote, comment, edit, delete, lock, follow), parsed by their intent. Here
 * so that the route imports one module of idea-page code: each `.server` module a route imports
 * is an empty stand-in in the browser bundle, and one shared by several routes a script of its own.
 */
export const parseIdeaPageForm = (form: FormData) => parseForm(ideaPageIntents, form);
