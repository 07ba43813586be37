import { sql, type SelectQueryBuilder } from "kysely";
import type { DB } from "../lib/db.server";
import { renderMarkdown } from "../lib/markdown.server";
import { DomainError, forbidden, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { followIdea } from "./follows.server";
import type { IdeaForm, ListQuery } from "./idea";
import { canEditIdea, type Actor } from "./permissions";
import { hotScore } from "./ranking";

/** Posts a new idea with its rendered body, and records the event. */
export async function postIdea(db: DB, authorId: number, input: IdeaForm, createdAt = new Date()) {
  return db.transaction().execute(async (trx) => {
    const category = await findCategoryId(trx, input.category);
    const idea = await trx
      .insertInto("ideas")
      .values({
        author_id: authorId,
        category_id: category,
        title: input.title,
        body: input.body,
        body_html: renderMarkdown(input.body),
        hot: hotScore(0, createdAt),
        created_at: createdAt,
        updated_at: createdAt,
      })
      .returning(["id", "title"])
      .executeTakeFirstOrThrow();
    await appendEvent(trx, { type: "idea.posted", actorId: authorId, ideaId: idea.id, at: createdAt });
    // Authors follow their own ideas, so they hear what happens to them.
    await followIdea(trx, { ideaId: idea.id, memberId: authorId }, false);
    return idea;
  });
}

async function findCategoryId(db: DB, slug: string): Promise<number> {
  const row = await db.selectFrom("categories").select("id").where("slug", "=", slug).executeTakeFirst();
  if (!row) throw new DomainError(400, "Choose one of the listed categories.", "category");
  return row.id;
}

/**
 * Edits an idea's title, body and category. The author may edit for a while
 * after posting, staff always; the previous version is kept as a revision.
 */
export async function editIdea(db: DB, actor: Actor, ideaId: number, input: IdeaForm) {
  return db.transaction().execute(async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "author_id", "title", "body", "category_id", "created_at"])
      .where("id", "=", ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) throw notFound("That idea");
    if (!canEditIdea(actor, { authorId: idea.author_id, createdAt: new Date(idea.created_at) })) {
      throw forbidden(
        actor.id === idea.author_id
          ? "The time for editing this idea has passed. Add a comment to say what changed."
          : "Only the author or staff can edit this idea.",
      );
    }
    const categoryId = await findCategoryId(trx, input.category);
    if (idea.title === input.title && idea.body === input.body && idea.category_id === categoryId) {
      return { id: idea.id, title: idea.title, changed: false };
    }
    await trx
      .insertInto("idea_revisions")
      .values({ idea_id: idea.id, editor_id: actor.id, title: idea.title, body: idea.body })
      .execute();
    const now = new Date();
    await trx
      .updateTable("ideas")
      .set({
        title: input.title,
        body: input.body,
        body_html: renderMarkdown(input.body),
        category_id: categoryId,
        edited_at: now,
        updated_at: now,
      })
      .where("id", "=", idea.id)
      .execute();
    await appendEvent(trx, {
      type: "idea.edited",
      actorId: actor.id,
      // Staff editing a member's idea is a staff action (the audit log shows it).
      actorRole: actor.id === idea.author_id ? null : actor.role,
      ideaId: idea.id,
      data: { previousTitle: idea.title },
    });
    return { id: idea.id, title: input.title, changed: true };
  });
}

/** The columns every idea card shows, with its author, category and the viewer's vote. */
function ideaCardQuery(db: DB, viewerId: number | null) {
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
      "ideas.hot",
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

export type IdeaCard = Awaited<ReturnType<ReturnType<typeof ideaCardQuery>["execute"]>>[number];

/** One idea's page data. */
export async function getIdea(db: DB, ideaId: number, viewerId: number | null) {
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
      "duplicate_of.title as duplicate_of_title",
      "owner.display_name as owner_name",
      eb
        .selectFrom("idea_follows")
        .select((f) => f.fn.countAll<number>().as("n"))
        .whereRef("idea_follows.idea_id", "=", "ideas.id")
        .as("follower_count"),
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
  return { ...idea, follower_count: Number(idea.follower_count ?? 0), tag_slugs: idea.tag_slugs ?? [] };
}

/** The earlier versions of an idea, newest first. */
export async function listRevisions(db: DB, ideaId: number) {
  return db
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
}

type CursorValue = number | string;

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
/** A real UTC timestamp in ISO form (Feb 30 and hour 25 are refused, not rolled over). */
const isTimestamp = (v: string) => {
  if (!ISO_TIMESTAMP.test(v)) return false;
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === v.slice(0, 19);
};

/** Opaque keyset cursor: the last row's sort key and id. */
export function encodeCursor(key: CursorValue, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString("base64url");
}

export function decodeCursor(cursor: string): [CursorValue, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) && value.length === 2 &&
      (typeof value[0] === "number" || typeof value[0] === "string") &&
      Number.isInteger(value[1]) && value[1] > 0 && value[1] <= 2_147_483_647 &&
      (typeof value[0] === "string" || Number.isFinite(value[0]))
    ) {
      // A string key is a timestamp as listIdeas writes it, nothing looser.
      if (typeof value[0] === "string" && !isTimestamp(value[0])) throw new Error("bad date");
      return [value[0], value[1] as number];
    }
  } catch {
    // fall through
  }
  throw new DomainError(400, "That page link is not valid. Start again from the first page.", "cursor");
}

const PERIOD_DAYS = { week: 7, month: 30 } as const;

/**
 * A page of ideas for the lists (trending, top, new, most discussed, search),
 * with filters and keyset pagination: one query, served by an index per sort.
 */
export async function listIdeas(db: DB, query: ListQuery, viewerId: number | null) {
  let q = ideaCardQuery(db, viewerId);

  q = q.where("ideas.moderation", "=", "visible");
  if (query.status) q = q.where("ideas.status", "=", query.status);
  else q = q.where("ideas.status", "<>", "duplicate");
  if (query.category) q = q.where("categories.slug", "=", query.category);
  if (query.tag) {
    const tag = query.tag;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("idea_tags")
          .innerJoin("tags", "tags.id", "idea_tags.tag_id")
          .select("idea_tags.idea_id")
          .whereRef("idea_tags.idea_id", "=", "ideas.id")
          .where("tags.slug", "=", tag),
      ),
    );
  }

  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const limit = query.limit;

  if (query.q) {
    const tsquery = sql`websearch_to_tsquery('english', ${query.q})`;
    const rank = sql<number>`ts_rank(ideas.search, ${tsquery})`;
    let s = q.select(rank.as("rank")).where(sql<boolean>`ideas.search @@ ${tsquery}`);
    if (cursor) {
      const [key, id] = cursor;
      if (typeof key !== "number") throw new DomainError(400, "That page link is not valid.", "cursor");
      s = s.where(sql<boolean>`(${rank}, ideas.id) < (${Number(key)}::real, ${id})`);
    }
    const rows = await s.orderBy(sql`rank`, "desc").orderBy("ideas.id", "desc").limit(limit + 1).execute();
    return page(rows, limit, (r) => encodeCursor(r.rank, r.id));
  }

  switch (query.sort) {
    case "trending":
      return keyset(q, sql.ref("ideas.hot"), "float8", cursor, limit, (r) => r.hot);
    case "new": {
      // Microsecond text, so rows posted within the same millisecond are not skipped.
      const key = sql<string>`to_char(ideas.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
      const rows = await keyset(q.select(key.as("created_key")), sql.ref("ideas.created_at"), "timestamptz", cursor, limit, (r) => (r as unknown as { created_key: string }).created_key);
      return rows;
    }
    case "discussed":
      return keyset(q, sql.ref("ideas.comment_count"), "int", cursor, limit, (r) => r.comment_count);
    case "top": {
      if (query.period !== "all") {
        q = q.where("ideas.created_at", ">=", sql<Date>`now() - make_interval(days => ${PERIOD_DAYS[query.period]})`);
      }
      return keyset(q, sql.ref("ideas.score"), "int", cursor, limit, (r) => r.score);
    }
  }
}

async function keyset<Q extends SelectQueryBuilder<any, any, IdeaCard>>(
  q: Q,
  column: ReturnType<typeof sql.ref>,
  cast: "timestamptz" | "float8" | "int",
  cursor: [CursorValue, number] | null,
  limit: number,
  keyOf: (row: IdeaCard) => CursorValue,
) {
  let query = q as SelectQueryBuilder<any, any, IdeaCard>;
  if (cursor) {
    const [key, id] = cursor;
    const valid =
      cast === "timestamptz" ? typeof key === "string"
      : cast === "int" ? Number.isInteger(key) && Math.abs(key as number) < 2 ** 31
      : typeof key === "number";
    if (!valid) throw new DomainError(400, "That page link is not valid.", "cursor");
    query = query.where(sql<boolean>`(${column}, ideas.id) < (${key}::${sql.raw(cast)}, ${id})`);
  }
  const rows = await query.orderBy(column, "desc").orderBy("ideas.id", "desc").limit(limit + 1).execute();
  return page(rows, limit, (r) => encodeCursor(keyOf(r), r.id));
}

function page<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? cursorOf(last) : null };
}
