import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import type { DB } from "../../lib/db.server";

/**
 * Full-text search over a million ideas in a bounded time (docs/decisions/016-fast-pages-and-bounded-queries.md).
 *
 * Ranking every match is what made "coffee" (half the ideas) take seconds, and
 * the planner cannot be trusted to pick between the two good plans (it walked
 * the whole trending index for a word in 200 ideas). So the work is bounded
 * by construction: the candidates are the K most trending matches, found
 *  A. when every word is common, by walking the trending index over at most
 *     SCAN_ROWS ideas (matches come early), or
 *  B. when some word is rare, through the full-text index, looking up only the rare words
 *     (few matches, read in milliseconds; common words and prefixes are
 *     checked on the rows found), ordered by the trending key in memory.
 * The candidates are then ranked by relevance. A rare word's matches are all
 * ranked; a query of only common words ranks its matches among the SCAN_ROWS
 * most active ideas.
 */
export const SEARCH_CANDIDATES = 100;
export const SCAN_ROWS = 10_000;

// Any query over `ideas` with filters (the list's, or similar ideas'), before its selections.
type IdeasQuery = SelectQueryBuilder<any, any, any>;

/** A lexeme in at least this share of ideas is "common": the full-text index is slow to find it. */
export const COMMON_SHARE = 0.01;
const COMMON_TTL_MS = 10 * 60_000;
let common: { at: number; lexemes: Set<string> } | null = null;

/**
 * The lexemes PostgreSQL's statistics (ANALYZE's most common elements of `ideas.search`)
 * say are in at least COMMON_SHARE of ideas, read at most every ten minutes. Without
 * statistics (a new database) nothing is common.
 */
async function commonLexemes(db: DB): Promise<Set<string>> {
  if (common && Date.now() - common.at < COMMON_TTL_MS) return common.lexemes;
  const row = await sql<{ elems: string[] | null; freqs: number[] | null }>`
    select most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs
    from pg_stats where schemaname = current_schema() and tablename = 'ideas' and attname = 'search'`
    .execute(db)
    .then((r) => r.rows[0]);
  const lexemes = new Set<string>();
  // The frequencies array carries three more figures after one per element (min, max, nulls).
  (row?.elems ?? []).forEach((lexeme, i) => {
    if ((row?.freqs?.[i] ?? 0) >= COMMON_SHARE) lexemes.add(lexeme);
  });
  common = { at: Date.now(), lexemes };
  return lexemes;
}

/**
 * The lexemes of `words` that few ideas contain: what the full-text index finds in a few
 * milliseconds. A common word's posting list (half the ideas say "coffee") takes the index
 * hundreds of milliseconds to read at a million ideas, and a prefix (`pleas:*`, the word
 * being typed) far longer; those are only checked on the rows found, never looked up.
 */
export async function rareLexemes(db: DB, words: string): Promise<string[]> {
  if (!words.trim()) return [];
  const known = await commonLexemes(db);
  const found = await sql<{ lexeme: string }>`select lexeme from unnest(to_tsvector('english', ${words}))`.execute(db);
  return found.rows.map((r) => r.lexeme).filter((lexeme) => !known.has(lexeme));
}

/**
 * The ids of up to `k` candidate ideas matching `tsquery` among those `base`
 * selects (its filters: visibility, status, category, tag), most trending
 * first. `base` must select from ideas with its filters and nothing else.
 * `indexLexemes` are the rare lexemes the index path B looks up (`rareLexemes`);
 * without any, path A runs.
 */
export function searchCandidates(
  base: IdeasQuery,
  tsquery: RawBuilder<unknown>,
  k = SEARCH_CANDIDATES,
  options: { indexLexemes?: string[]; scanRows?: number } = {},
): RawBuilder<{ id: number }> {
  const top = base
    .select(["ideas.id", sql`ideas.search`.as("search")])
    .orderBy("ideas.trending", "desc")
    .orderBy("ideas.id", "desc")
    .limit(options.scanRows ?? SCAN_ROWS);
  if (!options.indexLexemes?.length) {
    return sql<{ id: number }>`(select id from (${top}) top where top.search @@ ${tsquery} limit ${k})`;
  }
  // B looks up only the rare lexemes (the subquery's own limit keeps the planner from also
  // looking up the rest of the query in the index, and bounds the rows read when a word
  // the statistics do not know is commoner than they suggest), then checks the whole query
  // on the rows it found.
  const rare = base
    .select(["ideas.id", "ideas.trending", sql`ideas.search`.as("search")])
    .where(sql<boolean>`ideas.search @@ plainto_tsquery('simple', ${options.indexLexemes.join(" ")})`)
    .limit(options.scanRows ?? SCAN_ROWS);
  return sql<{ id: number }>`(
    select id from (${rare}) rare where rare.search @@ ${tsquery}
    order by rare.trending desc, rare.id desc limit ${k}
  )`;
}
