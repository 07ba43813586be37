import type { DB } from "../../lib/db.server";
import type { ReferenceReader } from "../../lib/reference-cache.server";
import { readCategories, readTags } from "../catalog/catalog.server";
import { followedCategorySlugs } from "../following/follows.server";
import type { Actor } from "../policy";
import { DomainError } from "../shared/errors";
import type { QueryBudgetOptions } from "../shared/query-budget.server";
import { listIdeas } from "./ideas.server";
import { listQuerySchema } from "./schemas.server";

/**
 * Everything the front page shows for its query string: one page of ideas (a list or a search),
 * the filters' categories and tags (as the process keeps them: `reference`), and whether the viewer follows the category shown. A query
 * that does not parse is a 400, an unknown category or tag a 404 (DomainErrors).
 *
 * One module for the route to import: each `.server` module a route imports becomes an empty
 * stand-in in the browser bundle, and one shared by several routes a script of its own.
 */
export async function frontPage(db: DB, viewer: Actor | null, url: URL, reference: ReferenceReader, options: QueryBudgetOptions = {}) {
  const raw = Object.fromEntries([...url.searchParams.entries()].filter(([, v]) => v !== ""));
  const parsed = listQuerySchema.safeParse(raw);
  if (!parsed.success) throw new DomainError(400, parsed.error.issues[0]?.message ?? "That list request is not valid.");
  const query = parsed.data;
  const [categories, tags] = await Promise.all([readCategories(db, reference), readTags(db, reference)]);
  if (query.category && !categories.some((c) => c.slug === query.category)) {
    throw new DomainError(404, "That category does not exist.");
  }
  if (query.tag && !tags.some((t) => t.slug === query.tag)) throw new DomainError(404, "That tag does not exist.");
  const [page, followed] = await Promise.all([
    listIdeas(db, viewer, query, options),
    // Only where the follow button shows: a category's list, signed in.
    query.category && viewer ? followedCategorySlugs(db, viewer.id) : Promise.resolve([]),
  ]);
  return {
    ideas: page.items,
    nextCursor: page.nextCursor,
    // The filters need only slugs and names: [slug, name] pairs, as the selects take their options.
    categories: categories.map((c): [slug: string, name: string] => [c.slug, c.name]),
    tags: tags.map((t): [slug: string, name: string] => [t.slug, t.name]),
    query,
    followingCategory: !!query.category && followed.includes(query.category),
    signedIn: !!viewer,
  };
}
