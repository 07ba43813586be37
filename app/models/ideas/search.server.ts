import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";

/**
 * Full-text search over a million ideas in a bounded time (docs/decisions/016-fast-pages-and-bounded-queries.md).
 *
 * Ranking every match is what made "coffee" (half the ideas) take seconds, and
 * the planner cannot be trusted to pick between the two good plans (it walked
 * the whole trending index for a word in 200 ideas). So the work is bounded
 * by construction: the candidates are the K most trending matches, found
 *  A. by walking the trending index over at most SCAN_ROWS ideas (fast when
 *     the words are common: matches come early), or, when that finds fewer
 *     than K,
 *  B. through the full-text index (fast when the words are rare: few
 *     matches), ordered by the trending key in memory.
 * The candidates are then ranked by relevance. A rare word's matches are all
 * ranked; a common word's are the K most active ones, ranked.
 */
export const SEARCH_CANDIDATES = 100;
export const SCAN_ROWS = 10_000;

// Any query over `ideas` with filters (the list's, or similar ideas'), before its selections.
type IdeasQuery = SelectQueryBuilder<any, any, any>;

/**
 * The ids of up to `k` candidate ideas matching `tsquery` among those `base`
 * selects (its filters: visibility, status, category, tag), most trending
 * first. `base` must select from ideas with its filters and nothing else.
 */
export function searchCandidates(
  base: IdeasQuery,
  tsquery: RawBuilder<unknown>,
  k = SEARCH_CANDIDATES,
  options: { indexPath?: boolean; scanRows?: number } = {},
): RawBuilder<{ id: number }> {
  const top = base
    .select(["ideas.id", sql`ideas.search`.as("search")])
    .orderBy("ideas.trending", "desc")
    .orderBy("ideas.id", "desc")
    .limit(options.scanRows ?? SCAN_ROWS);
  // (B is left out for queries of any of many words, where one common word makes the index path slow.)
  // `trending + 0` keeps the planner off the trending index in B: it must use the full-text index.
  const rare = base
    .select(["ideas.id", "ideas.trending"])
    .where(sql<boolean>`ideas.search @@ ${tsquery}`)
    .orderBy(sql`ideas.trending + 0`, "desc")
    .orderBy("ideas.id", "desc")
    .limit(k);
  if (options.indexPath === false) {
    return sql<{ id: number }>`(select id from (${top}) top where top.search @@ ${tsquery} limit ${k})`;
  }
  return sql<{ id: number }>`(
    with a as (select id from (${top}) top where top.search @@ ${tsquery} limit ${k}),
         b as (select id from (${rare}) rare where (select count(*) from a) < ${k})
    select id from a union select id from b
  )`;
}
