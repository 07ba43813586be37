import { sql, type SelectQueryBuilder } from "kysely";
import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";
import { findCategoryId } from "../catalog/catalog.server";
import { emit } from "../events/events.server";
import { followIdea } from "../following/follows.server";
import { holdFirstPost } from "../moderation/approval.server";
import { applyPostingLimits } from "../moderation/limits.server";
import { allowed, assertCan, type Actor } from "../policy";
import { notFound } from "../shared/errors";
import { excerpt, isoSeconds } from "../shared/format";
import { decodeCursor } from "../shared/keyset";
import { keysetPage } from "../shared/keyset.server";
import type { IdeaForm, ListQuery } from "./schemas.server";
import { trendingKey } from "./ranking";
import { rareLexemes, searchCandidates } from "./search.server";
import { withQueryBudget, type QueryBudgetOptions } from "../shared/query-budget.server";

/** Posts a new idea: rendered, limited, recorded, and followed by its author, in one transaction. */
export async function postIdea(db: DB, actor: Actor | null, input: IdeaForm, options: { at?: Date } = {}) {
  const at = options.at ?? new Date();
  // Rendering happens before the transaction: no lock is held while Markdown renders.
  const bodyHtml = await renderMarkdown(input.body);
  return db.transaction().execute(async (trx) => {
    assertCan(actor, "idea.post", null, at);
    const categoryId = await findCategoryId(trx, input.category);
    await applyPostingLimits(trx, actor, { kind: "idea", title: input.title, text: input.body });
    const idea = await trx
      .insertInto("ideas")
      .values({
        author_id: actor.id,
        category_id: categoryId,
        title: input.title,
        body: input.body,
        body_html: bodyHtml,
        trending: trendingKey(0, at),
        created_at: at,
        updated_at: at,
      })
      .returning(["id", "title"])
      .executeTakeFirstOrThrow();
    // Held before its event, so whatever reacts to the posting sees it waiting.
    const held = await holdFirstPost(trx, actor, { kind: "idea", id: idea.id, at });
    await emit(trx, { type: "idea.posted", actor, ideaId: idea.id, payload: {}, at });
    // Authors follow their own ideas, so they hear what happens to them.
    await followIdea(trx, actor, idea.id, "posting", at);
    return { ...idea, held };
  });
}

/**
 * Edits an idea's title, body and category. The author may edit for a while
 * after posting, staff always; the previous version is kept as a revision,
 * which the event references.
 */
export async function editIdea(db: DB, actor: Actor | null, input: IdeaForm & { ideaId: number }) {
  const bodyHtml = await renderMarkdown(input.body);
  return db.transaction().execute(async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "author_id", "title", "body", "category_id", "created_at"])
      .where("id", "=", input.ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) throw notFound("That idea");
    assertCan(actor, "idea.edit", { authorId: idea.author_id, createdAt: new Date(idea.created_at) });
    const categoryId = await findCategoryId(trx, input.category);
    if (idea.title === input.title && idea.body === input.body && idea.category_id === categoryId) {
      return { id: idea.id, title: idea.title, changed: false };
    }
    const revision = await trx
      .insertInto("idea_revisions")
      .values({ idea_id: idea.id, editor_id: actor.id, title: idea.title, body: idea.body })
      .returning("id")
      .executeTakeFirstOrThrow();
    const now = new Date();
    await trx
      .updateTable("ideas")
      .set({ title: input.title, body: input.body, body_html: bodyHtml, category_id: categoryId, edited_at: now, updated_at: now })
      .where("id", "=", idea.id)
      .execute();
    await emit(trx, {
      type: "idea.edited",
      actor,
      ideaId: idea.id,
      ownerId: idea.author_id,
      payload: { revisionId: revision.id },
    });
    return { id: idea.id, title: input.title, changed: true };
  });
}

/** The columns every idea card shows, with its author, category and the viewer's vote. */
export function ideaCardQuery(db: DB, viewerId: number | null) {
  return db
    .selectFrom("ideas")
    .innerJoin("members as author", "author.id", "ideas.author_id")
    .leftJoin("categories", "categories.id", "ideas.category_id")
    .leftJoin("votes as my_vote", (join) =>
      join.onRef("my_vote.idea_id", "=", "ideas.id").on("my_vote.member_id", "=", viewerId ?? 0),
    )
    .select([
      "ideas.id",
      "ideas.title",
      "ideas.status",
      "ideas.score",
      "ideas.up_count",
      "ideas.down_count",
      "ideas.comment_count",
      "ideas.created_at",
      sql<string>`left(ideas.body, 240)`.as("excerpt"),
      "author.handle as author_handle",
      "author.display_name as author_name",
      "author.role as author_role",
      "categories.slug as category_slug",
      "categories.name as category_name",
      "my_vote.value as my_vote",
    ]);
}

export type IdeaCardRow = Awaited<ReturnType<ReturnType<typeof ideaCardQuery>["execute"]>>[number];

/**
 * A list card: only what the card shows, with the excerpt cut here rather than in every browser,
 * and the usual values (a member author, no vote, no category, no comment) left out: the page sends every
 * card twice, as HTML and as the data React hydrates from.
 */
export function toIdeaCard(row: IdeaCardRow) {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    score: row.score,
    ...(row.comment_count ? { comment_count: row.comment_count } : {}),
    created_at: isoSeconds(row.created_at),
    excerpt: excerpt(row.excerpt, 120),
    author_handle: row.author_handle,
    author_name: row.author_name,
    ...(row.author_role !== "member" ? { author_role: row.author_role } : {}),
    ...(row.category_slug ? { category_slug: row.category_slug } : {}),
    ...(row.my_vote ? { my_vote: row.my_vote } : {}),
  };
}

/**
 * One idea as the viewer may see it: the whole idea, or (when moderation hid
 * it and the viewer is neither its author nor a moderator) only that it is hidden.
 */
export async function getIdea(db: DB, viewer: Actor | null, ideaId: number) {
  const viewerId = viewer?.id ?? null;
  const idea = await ideaCardQuery(db, viewerId)
    .leftJoin("members as owner", "owner.id", "ideas.owner_id")
    .leftJoin("ideas as duplicate_of", "duplicate_of.id", "ideas.duplicate_of_id")
    .select((eb) => [
      "ideas.body",
      "ideas.body_html",
      "ideas.author_id",
      "ideas.edited_at",
      "ideas.category_id",
      "ideas.owner_id",
      "ideas.revisit_on",
      "ideas.duplicate_of_id",
      "ideas.moderation",
      "ideas.moderation_reason",
      "ideas.lock_reason",
      "ideas.locked_at",
      "ideas.awaiting_approval_since",
      "duplicate_of.title as duplicate_of_title",
      // A profile moderation hid shows no photo (its initial instead).
      sql<string | null>`case when author.moderation = 'visible' then author.avatar_version end`.as("author_avatar"),
      "owner.display_name as owner_name",
      eb
        .selectFrom("idea_follows")
        .select((f) => f.fn.countAll<number>().as("n"))
        .whereRef("idea_follows.idea_id", "=", "ideas.id")
        .as("follower_count"),
      // Votes staff recorded for members from other channels (partial index votes_logged_idx).
      eb
        .selectFrom("votes")
        .select((v) => v.fn.countAll<number>().as("n"))
        .whereRef("votes.idea_id", "=", "ideas.id")
        .where("votes.logged_by", "is not", null)
        .as("logged_votes"),
      eb
        .exists(
          eb
            .selectFrom("idea_follows")
            .select("idea_follows.member_id")
            .whereRef("idea_follows.idea_id", "=", "ideas.id")
            .where("idea_follows.member_id", "=", viewerId ?? 0),
        )
        .as("following"),
      eb
        .selectFrom("idea_tags")
        .innerJoin("tags", "tags.id", "idea_tags.tag_id")
        .select(sql<string[]>`coalesce(array_agg(tags.slug order by tags.name), '{}')`.as("slugs"))
        .whereRef("idea_tags.idea_id", "=", "ideas.id")
        .as("tag_slugs"),
    ])
    .where("ideas.id", "=", ideaId)
    .executeTakeFirst();
  if (!idea) throw notFound("That idea");
  if (idea.moderation !== "visible" && !allowed(viewer, "idea.view_hidden", { authorId: idea.author_id })) {
    return { visible: false as const, id: idea.id, moderation: idea.moderation, moderationReason: idea.moderation_reason };
  }
  return {
    visible: true as const,
    idea: { ...idea, follower_count: Number(idea.follower_count ?? 0), logged_votes: Number(idea.logged_votes ?? 0), tag_slugs: idea.tag_slugs ?? [] },
  };
}

export type IdeaDetail = Extract<Awaited<ReturnType<typeof getIdea>>, { visible: true }>["idea"];

/** An idea's current text for its edit form, for those who may edit it (a 403 or 404 otherwise). */
export async function getIdeaForEditing(db: DB, actor: Actor | null, ideaId: number) {
  const idea = await db
    .selectFrom("ideas")
    .leftJoin("categories", "categories.id", "ideas.category_id")
    .select(["ideas.id", "ideas.title", "ideas.body", "ideas.author_id", "ideas.created_at", "categories.slug as category"])
    .where("ideas.id", "=", ideaId)
    .executeTakeFirst();
  if (!idea) throw notFound("That idea");
  assertCan(actor, "idea.edit", { authorId: idea.author_id, createdAt: new Date(idea.created_at) });
  return { id: idea.id, title: idea.title, body: idea.body, category: idea.category ?? "" };
}

/** The earlier versions of an idea, newest first: for its author and staff. */
export async function listRevisions(db: DB, viewer: Actor | null, ideaId: number) {
  const idea = await db.selectFrom("ideas").select(["id", "title", "body", "author_id"]).where("id", "=", ideaId).executeTakeFirst();
  if (!idea) throw notFound("That idea");
  assertCan(viewer, "idea.view_history", { authorId: idea.author_id });
  const revisions = await db
    .selectFrom("idea_revisions")
    .innerJoin("members", "members.id", "idea_revisions.editor_id")
    .select([
      "idea_revisions.id",
      "idea_revisions.title",
      "idea_revisions.body",
      "idea_revisions.created_at",
      "members.display_name as editor_name",
      "members.handle as editor_handle",
    ])
    .where("idea_revisions.idea_id", "=", ideaId)
    .orderBy("idea_revisions.id", "desc")
    .limit(100)
    .execute();
  return { idea: { id: idea.id, title: idea.title, body: idea.body }, revisions };
}

const PERIOD_DAYS = { week: 7, month: 30 } as const;

/**
 * A page of ideas for the lists (trending, top, new, most discussed, search),
 * with filters and keyset pagination: one query, served by an index per sort.
 * Only what everyone may see: visible ideas, duplicates left out unless asked for.
 */
export async function listIdeas(db: DB, viewer: Actor | null, query: ListQuery, options: QueryBudgetOptions = {}) {
  // A search's cost depends on its words: it runs on a budget (query-budget.server.ts).
  const page = query.q
    ? await withQueryBudget(db, "search", options, (trx) => listIdeaRows(trx, viewer, query))
    : await listIdeaRows(db, viewer, query);
  return { items: page.items.map(toIdeaCard), nextCursor: page.nextCursor };
}

/** The list's filters, on any query over ideas: what everyone may see, by status, category and tag. */
function filtered<Q extends SelectQueryBuilder<any, "ideas", any>>(q: Q, query: ListQuery): Q {
  let f = q.where("ideas.moderation", "=", "visible") as Q;
  f = (query.status ? f.where("ideas.status", "=", query.status) : f.where("ideas.status", "<>", "duplicate")) as Q;
  if (query.category) {
    const slug = query.category;
    f = f.where("ideas.category_id", "=", (eb: any) => eb.selectFrom("categories").select("categories.id").where("categories.slug", "=", slug)) as Q;
  }
  if (query.tag) {
    const tag = query.tag;
    f = f.where(({ exists, selectFrom }: any) =>
      exists(
        selectFrom("idea_tags")
          .innerJoin("tags", "tags.id", "idea_tags.tag_id")
          .select("idea_tags.idea_id")
          .whereRef("idea_tags.idea_id", "=", "ideas.id")
          .where("tags.slug", "=", tag),
      ),
    ) as Q;
  }
  return f;
}

/**
 * The words of a search every match must contain (what the index may look up): none when
 * the search has an "or" (a match may have either side), never a word it excludes ("-tea").
 */
function wordsToLookUp(q: string): string {
  if (/(^|\s)or(\s|$)/i.test(q)) return "";
  return q.split(/\s+/).filter((word) => !word.startsWith("-")).join(" ").replace(/"/g, " ");
}

/**
 * The ideas "top, this week" ranks: the best (limit + 1) after the cursor of each of the
 * week's eight UTC days, read in score order from ideas_day_top_idx (migration 0013). The
 * page is then ranked among at most 8 × (limit + 1) rows, however many ideas a week brings,
 * where walking the all-time score index would first pass every older, better-voted idea.
 * Days 0–6 lie wholly inside the last 7 × 24 hours; only the eighth is cut at that instant
 * (compared as UTC timestamps, which no index serves, so the day's index stays the one used).
 */
function topOfWeekCandidates(db: DB, query: ListQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor, "int") : null;
  const days = Array.from({ length: PERIOD_DAYS.week + 1 }, (_, day) => {
    let q = filtered(db.selectFrom("ideas"), query)
      .select("ideas.id")
      .where(sql<boolean>`((ideas.created_at at time zone 'UTC')::date) = (now() at time zone 'UTC')::date - ${day}::int`);
    if (day === PERIOD_DAYS.week) {
      q = q.where(sql<boolean>`(ideas.created_at at time zone 'UTC') >= (now() - make_interval(days => ${PERIOD_DAYS.week})) at time zone 'UTC'`);
    }
    if (cursor) q = q.where(sql<boolean>`(ideas.score, ideas.id) < (${cursor.key}::int, ${cursor.id}::int)`);
    return sql`(${q.orderBy("ideas.score", "desc").orderBy("ideas.id", "desc").limit(query.limit + 1)})`;
  });
  return sql.join(days, sql` union all `);
}

async function listIdeaRows(db: DB, viewer: Actor | null, query: ListQuery) {
  let q = filtered(ideaCardQuery(db, viewer?.id ?? null), query);
  const page = { id: "ideas.id", direction: "desc" as const, cursor: query.cursor, limit: query.limit };

  if (query.q) {
    // Relevance among a bounded set of candidates (search.server.ts): never a rank of every match.
    const tsquery = sql`websearch_to_tsquery('english', ${query.q})`;
    const candidates = searchCandidates(filtered(db.selectFrom("ideas"), query), tsquery, undefined, {
      indexLexemes: await rareLexemes(db, wordsToLookUp(query.q)),
    });
    const rank = sql<number>`ts_rank(ideas.search, ${tsquery})::float8`;
    return keysetPage(q.where("ideas.id", "in", (eb) => eb.selectFrom(candidates.as("c")).select("c.id")), {
      ...page,
      key: { expr: rank, type: "float8" },
    });
  }
  switch (query.sort) {
    case "trending":
      return keysetPage(q, { ...page, key: { expr: sql`ideas.trending`, type: "float8" } });
    case "new":
      return keysetPage(q, { ...page, key: { expr: sql`ideas.created_at`, type: "timestamptz" } });
    case "discussed":
      return keysetPage(q, { ...page, key: { expr: sql`ideas.comment_count`, type: "int" } });
    case "top":
      if (query.period === "week") {
        q = q.where(sql<boolean>`ideas.id in (${topOfWeekCandidates(db, query)})`);
      } else if (query.period === "month") {
        // A month holds enough of the best-voted ideas that the walk down ideas_top_idx
        // meets a page of them early (about limit × ideas / ideas of the month rows).
        q = q.where("ideas.created_at", ">=", sql<Date>`now() - make_interval(days => ${PERIOD_DAYS.month})`);
      }
      return keysetPage(q, { ...page, key: { expr: sql`ideas.score`, type: "int" } });
  }
}
