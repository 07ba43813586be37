import { sql } from "kysely";
import type { IdeaStatus } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { keysetPage } from "../shared/keyset.server";
import { ROADMAP_COLUMNS } from "./roadmap";

const COLUMN_SIZE = 12;

/**
 * The public roadmap: what is under review, planned and in progress (most
 * wanted first), and what was adopted most recently. Four small indexed queries.
 */
export async function getRoadmap(db: DB) {
  const column = (status: IdeaStatus) =>
    db
      .selectFrom("ideas")
      .leftJoin("categories", "categories.id", "ideas.category_id")
      .select(["ideas.id", "ideas.title", "ideas.score", "ideas.comment_count", "ideas.status_changed_at", "categories.name as category_name"])
      .where("ideas.status", "=", status)
      .where("ideas.moderation", "=", "visible")
      .orderBy(status === "adopted" ? "ideas.status_changed_at" : "ideas.trending", "desc")
      .orderBy("ideas.id", "desc")
      .limit(COLUMN_SIZE)
      .execute();
  const [under_review, planned, in_progress, adopted] = await Promise.all(ROADMAP_COLUMNS.map(column));
  return { under_review: under_review!, planned: planned!, in_progress: in_progress!, adopted: adopted! };
}

/** Ideas with at least this many up-votes count towards the responsiveness figure. */
export const RESPONSIVENESS_MIN_VOTES = 3;

/**
 * How well the company answers: the share of ideas with at least N up-votes
 * that have an official response, and the median days from posting to the
 * first response.
 */
export async function getResponsiveness(db: DB) {
  const row = await sql<{ total: number; answered: number; median_days: number | null }>`
    select count(*)::int as total,
           count(first_response_at)::int as answered,
           percentile_cont(0.5) within group (order by extract(epoch from first_response_at - created_at) / 86400)
             filter (where first_response_at is not null) as median_days
    from ideas
    where up_count >= ${RESPONSIVENESS_MIN_VOTES} and status <> 'duplicate'`.execute(db);
  const r = row.rows[0]!;
  return {
    minVotes: RESPONSIVENESS_MIN_VOTES,
    total: r.total,
    answered: r.answered,
    share: r.total ? r.answered / r.total : null,
    medianDays: r.median_days === null ? null : Number(r.median_days),
  };
}

const IN_ACTION_PAGE = 12;
const FIRST_SUPPORTERS = 5;

/**
 * "Ideas in Action": adopted ideas, newest adoption first, each with the
 * adopting response and the people to credit (the author, authors of merged
 * duplicates, and the first supporters). A fixed four queries per page.
 */
export async function listIdeasInAction(db: DB, cursor?: string | null) {
  const q = db
    .selectFrom("ideas")
    .innerJoin("members as author", "author.id", "ideas.author_id")
    .leftJoin("categories", "categories.id", "ideas.category_id")
    .select([
      "ideas.id",
      "ideas.title",
      "ideas.score",
      "ideas.created_at",
      "ideas.status_changed_at",
      "author.display_name as author_name",
      "author.handle as author_handle",
      "categories.name as category_name",
    ])
    .where("ideas.status", "=", "adopted")
    .where("ideas.moderation", "=", "visible");
  const page = await keysetPage(q, {
    key: { expr: sql`ideas.status_changed_at`, type: "timestamptz" },
    id: "ideas.id",
    direction: "desc",
    cursor,
    limit: IN_ACTION_PAGE,
  });
  const ideas = page.items;
  const ids = ideas.map((i) => i.id);
  if (!ids.length) return { ideas: [], nextCursor: null };

  const [responses, merged, supporters] = await Promise.all([
    db
      .selectFrom("official_responses")
      .leftJoin("members", "members.id", "official_responses.author_id")
      .select(["official_responses.idea_id", "official_responses.body_html", "official_responses.created_at", "members.display_name as author_name"])
      .distinctOn("official_responses.idea_id")
      .where("official_responses.idea_id", "in", ids)
      .where("official_responses.to_status", "=", "adopted")
      .where("official_responses.from_status", "<>", "adopted")
      .orderBy("official_responses.idea_id")
      .orderBy("official_responses.id", "desc")
      .execute(),
    db
      .selectFrom("merges")
      .innerJoin("ideas", "ideas.id", "merges.source_id")
      .innerJoin("members", "members.id", "ideas.author_id")
      .select(["merges.target_id", "members.display_name", "members.handle"])
      .where("merges.target_id", "in", ids)
      .where("merges.undone_at", "is", null)
      .execute(),
    sql<{ idea_id: number; display_name: string; handle: string }>`
      select v.idea_id, m.display_name, m.handle
      from (
        select idea_id, member_id, row_number() over (partition by idea_id order by created_at, member_id) as n
        from votes where idea_id in (${sql.join(ids)}) and value = 1
      ) v
      join members m on m.id = v.member_id and m.deleted_at is null
      where v.n <= ${FIRST_SUPPORTERS}
      order by v.idea_id, v.n`.execute(db).then((r) => r.rows),
  ]);

  return {
    ideas: ideas.map((idea) => ({
      ...idea,
      response: responses.find((r) => r.idea_id === idea.id) ?? null,
      mergedAuthors: merged.filter((m) => m.target_id === idea.id).map((m) => ({ name: m.display_name, handle: m.handle })),
      firstSupporters: supporters.filter((s) => s.idea_id === idea.id).map((s) => ({ name: s.display_name, handle: s.handle })),
    })),
    nextCursor: page.nextCursor,
  };
}
