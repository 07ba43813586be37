import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle, useRootData } from "../components/root-data";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { IDEA_STATUSES } from "../../db/schema";
import { IdeaCard } from "../components/idea-card";
import { EmptyState, useHydrated } from "../components/ui";
import { fail, orFail } from "../lib/http.server";
import { listCategories, listTags } from "../models/catalog/catalog.server";
import { PERIODS, PERIOD_LABELS, SORTS, SORT_LABELS, STATUS_LABELS } from "../models/ideas/idea";
import { listQuerySchema, type ListQuery } from "../models/ideas/schemas.server";
import { listIdeas } from "../models/ideas/ideas.server";
import { followedCategorySlugs } from "../models/following/follows.server";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data?.query.q ? pageTitle(matches, `“${data.query.q}”`) : `${pageTitle(matches)}: share and vote on ideas` },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const raw = Object.fromEntries([...url.searchParams.entries()].filter(([, v]) => v !== ""));
  const parsed = listQuerySchema.safeParse(raw);
  if (!parsed.success) fail(400, parsed.error.issues[0]?.message ?? "That list request is not valid.");
  const query = parsed.data;
  const [categories, tags] = await Promise.all([listCategories(context.db), listTags(context.db)]);
  if (query.category && !categories.some((c) => c.slug === query.category)) {
    fail(404, "That category does not exist.");
  }
  if (query.tag && !tags.some((t) => t.slug === query.tag)) fail(404, "That tag does not exist.");
  const [page, followed] = await Promise.all([
    orFail(listIdeas(context.db, context.member, query, { signal: request.signal })),
    // Only where the follow button shows: a category's list, signed in.
    query.category && context.member ? followedCategorySlugs(context.db, context.member.id) : Promise.resolve([]),
  ]);
  return {
    ideas: page.items,
    nextCursor: page.nextCursor,
    // The filters need only slugs and names.
    categories: categories.map((c) => ({ slug: c.slug, name: c.name })),
    tags: tags.map((t) => ({ slug: t.slug, name: t.name })),
    query,
    followingCategory: !!query.category && followed.includes(query.category),
    signedIn: !!context.member,
  };
}

function listHref(query: Partial<ListQuery>, change: Partial<ListQuery>) {
  const params = new URLSearchParams();
  const merged = { ...query, ...change };
  for (const key of ["q", "sort", "period", "category", "status", "tag", "cursor"] as const) {
    const value = merged[key];
    if (value === undefined || value === "") continue;
    if (key === "sort" && value === "trending") continue;
    if (key === "period" && (value === "all" || merged.sort !== "top")) continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `/?${s}` : "/";
}

/** One labelled select of the list filters; `empty` adds the "any" choice. */
function FilterSelect({ name, label, value, empty, options }: {
  name: string;
  label: string;
  value: string | undefined;
  empty?: string;
  options: [value: string, label: string][];
}) {
  return (
    <div className="filter">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""}>
        {empty ? <option value="">{empty}</option> : null}
        {options.map(([v, text]) => (
          <option key={v} value={v}>{text}</option>
        ))}
      </select>
    </div>
  );
}

/** Follow or unfollow the category the list shows (a plain form: it works without JavaScript). */
function CategoryFollow({ slug, name, following, signedIn }: { slug: string; name: string; following: boolean; signedIn: boolean }) {
  if (!signedIn) {
    return (
      <p className="category-follow">
        <Link to={`/login?redirectTo=${encodeURIComponent(`/?category=${slug}`)}`}>Sign in to follow {name}</Link> and hear about every new idea in it.
      </p>
    );
  }
  return (
    <Form method="post" action={`/categories/${slug}/follow`} className="category-follow">
      <p>
        {following
          ? <>You follow <strong>{name}</strong>: new ideas in it show in your notifications.</>
          : <>Follow <strong>{name}</strong> to hear about every new idea in it.</>}
      </p>
      <button type="submit" name="intent" value={following ? "unfollow" : "follow"} className="button button-secondary" aria-pressed={following}>
        {following ? `Unfollow ${name}` : `Follow ${name}`}
      </button>
    </Form>
  );
}

export default function IdeasIndex() {
  const { ideas, nextCursor, categories, tags, query, followingCategory, signedIn } = useLoaderData<typeof loader>();
  const categoryNames = Object.fromEntries(categories.map((c) => [c.slug, c.name]));
  const searching = !!query.q;
  const brand = useRootData()?.brand;
  const hydrated = useHydrated();
  const submit = useSubmit();
  const heading = searching ? `Ideas matching “${query.q}”` : `Ideas from the ${(brand?.siteName ?? "Harbor Ideas").replace(/ Ideas$/, "")} community`;

  return (
    <div className="list-page">
      <section className="hero" aria-labelledby="list-heading">
        <h1 id="list-heading">{heading}</h1>
        {searching ? (
          <p>
            Ranked by relevance, titles first. <Link to={listHref({ ...query, q: undefined, cursor: undefined }, {})}>Clear search</Link>
          </p>
        ) : (
          brand?.welcomeText ? <p>{brand.welcomeText}</p> : null
        )}
      </section>

      {searching ? null : (
        <nav aria-label="Sort ideas" className="tabs">
          {SORTS.map((sort) => (
            <Link
              key={sort}
              to={listHref(query, { sort, cursor: undefined })}
              className="tab"
              aria-current={query.sort === sort ? "page" : undefined}
            >
              {SORT_LABELS[sort]}
            </Link>
          ))}
        </nav>
      )}

      {/* Without JavaScript the button applies the filters. With it, a choice applies at once (the hint
          says so before the controls, as WCAG 3.2.2 asks), and the button goes. */}
      {hydrated ? <p className="field-hint filters-hint" id="filters-hint">The list updates as you choose.</p> : null}
      <Form method="get" className="filters" aria-label="Filter ideas" aria-describedby={hydrated ? "filters-hint" : undefined} preventScrollReset
        onChange={(e) => submit(e.currentTarget, { preventScrollReset: true, replace: true })}>
        {query.q ? <input type="hidden" name="q" value={query.q} /> : null}
        {query.sort !== "trending" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.sort === "top" && !searching ? (
          <FilterSelect name="period" label="Period" value={query.period} options={PERIODS.map((p) => [p, PERIOD_LABELS[p]])} />
        ) : null}
        <FilterSelect name="category" label="Category" value={query.category} empty="All categories"
          options={categories.map((c) => [c.slug, c.name])} />
        <FilterSelect name="status" label="Status" value={query.status} empty="Any status"
          options={IDEA_STATUSES.map((st) => [st, STATUS_LABELS[st]])} />
        <FilterSelect name="tag" label="Tag" value={query.tag} empty="Any tag" options={tags.map((t) => [t.slug, t.name])} />
        {hydrated ? null : <button type="submit" className="button button-secondary">Apply</button>}
      </Form>

      {query.category ? (
        <CategoryFollow slug={query.category} name={categoryNames[query.category] ?? query.category} following={followingCategory} signedIn={signedIn} />
      ) : null}

      {ideas.length === 0 ? (
        <EmptyState title={searching ? "No ideas match that search" : "No ideas here yet"}>
          <p>
            {searching
              ? "Try other words, or be the first to suggest it."
              : query.cursor
                ? "You have reached the end of the list."
                : "Be the first to share one."}
          </p>
          <Link to="/ideas/new" className="button button-primary">Post an idea</Link>
        </EmptyState>
      ) : (
        <ol className="idea-list" aria-label="Ideas" data-client-nav="">
          {ideas.map((idea) => (
            <IdeaCard key={idea.id} idea={idea} categoryNames={categoryNames} />
          ))}
        </ol>
      )}

      <nav aria-label="Pages" className="pager">
        {query.cursor ? <Link to={listHref(query, { cursor: undefined })}>← First page</Link> : <span />}
        {nextCursor ? (
          <Link to={listHref(query, { cursor: nextCursor })} rel="next">
            Older ideas →
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
