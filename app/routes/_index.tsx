import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle, useRootData } from "../components/root-data";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { IDEA_STATUSES } from "../../db/schema";
import { IdeaCard } from "../components/idea-card";
import { EmptyState, useHydrated } from "../components/ui";
import { orFail } from "../lib/http.server";
import { PERIODS, PERIOD_LABELS, SORTS, SORT_LABELS, STATUS_LABELS } from "../models/ideas/idea";
import { frontPage } from "../models/ideas/front-page.server";
import type { ListQuery } from "../models/ideas/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { localeOf, translate, useT } from "../i18n";
import { rich } from "../i18n/rich";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data?.query.q ? `“${data.query.q}” · ${pageTitle(matches)}` : translate(localeOf(matches), "{site}: share and vote on ideas", { site: pageTitle(matches) }) },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return orFail(frontPage(context.db, context.member, new URL(request.url), context.reference, { signal: request.signal }));
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
  const t = useT();
  if (!signedIn) {
    return (
      <p className="category-follow">
        {rich(t("<0>Sign in to follow {name}</0> and hear about every new idea in it.", { name }), [<Link to={`/login?redirectTo=${encodeURIComponent(`/?category=${slug}`)}`} />])}
      </p>
    );
  }
  return (
    <Form method="post" action={`/categories/${slug}/follow`} className="category-follow">
      <p>
        {following
          ? rich(t("You follow <0>{name}</0>: new ideas in it show in your notifications.", { name }), [<strong />])
          : rich(t("Follow <0>{name}</0> to hear about every new idea in it.", { name }), [<strong />])}
      </p>
      <button type="submit" name="intent" value={following ? "unfollow" : "follow"} className="button button-secondary" aria-pressed={following}>
        {following ? t("Unfollow {name}", { name }) : t("Follow {name}", { name })}
      </button>
    </Form>
  );
}

export default function IdeasIndex() {
  const { ideas, nextCursor, categories, tags, query, followingCategory, signedIn } = useLoaderData<typeof loader>();
  const categoryNames = Object.fromEntries(categories);
  const searching = !!query.q;
  const brand = useRootData()?.brand;
  const hydrated = useHydrated();
  const submit = useSubmit();
  const t = useT();
  const heading = searching
    ? t("Ideas matching “{q}”", { q: query.q })
    : t("Ideas from the {name} community", { name: (brand?.siteName ?? "Harbor Ideas").replace(/ Ideas$/, "") });

  return (
    <div className="list-page">
      <section className="hero" aria-labelledby="list-heading">
        <h1 id="list-heading">{heading}</h1>
        {searching ? (
          <p>
            {t("Ranked by relevance, titles first.")} <Link to={listHref({ ...query, q: undefined, cursor: undefined }, {})}>{t("Clear search")}</Link>
          </p>
        ) : (
          brand?.welcomeText ? <p>{brand.welcomeText}</p> : null
        )}
      </section>

      {searching ? null : (
        <nav aria-label={t("Sort ideas")} className="tabs">
          {SORTS.map((sort) => (
            <Link
              key={sort}
              to={listHref(query, { sort, cursor: undefined })}
              className="tab"
              aria-current={query.sort === sort ? "page" : undefined}
            >
              {t(SORT_LABELS[sort])}
            </Link>
          ))}
        </nav>
      )}

      {/* Without JavaScript the button applies the filters. With it, a choice applies at once (the hint
          says so before the controls, as WCAG 3.2.2 asks), and the button goes. */}
      {hydrated ? <p className="field-hint filters-hint" id="filters-hint">{t("The list updates as you choose.")}</p> : null}
      <Form method="get" className="filters" aria-label={t("Filter ideas")} aria-describedby={hydrated ? "filters-hint" : undefined} preventScrollReset
        onChange={(e) => submit(e.currentTarget, { preventScrollReset: true, replace: true })}>
        {query.q ? <input type="hidden" name="q" value={query.q} /> : null}
        {query.sort !== "trending" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        {query.sort === "top" && !searching ? (
          <FilterSelect name="period" label={t("Period")} value={query.period} options={PERIODS.map((p) => [p, t(PERIOD_LABELS[p])])} />
        ) : null}
        <FilterSelect name="category" label={t("Category")} value={query.category} empty={t("All categories")}
          options={categories} />
        <FilterSelect name="status" label={t("Status")} value={query.status} empty={t("Any status")}
          options={IDEA_STATUSES.map((st) => [st, t(STATUS_LABELS[st])])} />
        <FilterSelect name="tag" label={t("Tag")} value={query.tag} empty={t("Any tag")} options={tags} />
        {hydrated ? null : <button type="submit" className="button button-secondary">{t("Apply")}</button>}
      </Form>

      {query.category ? (
        <CategoryFollow slug={query.category} name={categoryNames[query.category] ?? query.category} following={followingCategory} signedIn={signedIn} />
      ) : null}

      {ideas.length === 0 ? (
        <EmptyState title={searching ? t("No ideas match that search") : t("No ideas here yet")}>
          <p>
            {searching
              ? t("Try other words, or be the first to suggest it.")
              : query.cursor
                ? t("You have reached the end of the list.")
                : t("Be the first to share one.")}
          </p>
          <Link to="/ideas/new" className="button button-primary">{t("Post an idea")}</Link>
        </EmptyState>
      ) : (
        <ol className="idea-list" aria-label={t("Ideas")} data-client-nav="">
          {ideas.map((idea) => (
            <IdeaCard key={idea.id} idea={idea} categoryNames={categoryNames} />
          ))}
        </ol>
      )}

      <nav aria-label={t("Pages")} className="pager">
        {query.cursor ? <Link to={listHref(query, { cursor: undefined })}>{t("← First page")}</Link> : <span />}
        {nextCursor ? (
          <Link to={listHref(query, { cursor: nextCursor })} rel="next">
            {t("Older ideas →")}
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
