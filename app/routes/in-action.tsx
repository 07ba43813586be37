import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Prose, TimeAgo } from "../components/ui";
import { orFail } from "../lib/http.server";
import { useT } from "../i18n";
import { rich } from "../i18n/rich";
import { ideaPath } from "../models/ideas/idea";
import { listIdeasInAction } from "../models/pipeline/roadmap.server";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Ideas in Action") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const raw = new URL(request.url).searchParams.get("before");
  const page = await orFail(listIdeasInAction(context.db, raw));
  return { ideas: page.ideas, next: page.nextCursor, paged: !!raw };
}

export default function IdeasInAction() {
  const { ideas, next, paged } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="narrow-page wide">
      <section className="hero">
        <h1>{t("Ideas in Action")}</h1>
        <p>{t("Ideas from our members that Harbor adopted, and the people who made them happen.")}</p>
      </section>
      {ideas.length === 0 ? (
        <EmptyState title={t("Nothing adopted yet")}>
          <p>{t("When we adopt an idea, it appears here with everyone who helped.")}</p>
        </EmptyState>
      ) : (
        <ol className="in-action-list">
          {ideas.map((idea) => (
            <li key={idea.id} className="in-action-card">
              <h2><Link to={ideaPath(idea)}>{idea.title}</Link></h2>
              <p className="meta">
                {idea.category_name ? <span className="category-pill">{idea.category_name}</span> : null}
                <span>{t("adopted")} {idea.status_changed_at ? <TimeAgo iso={idea.status_changed_at} /> : null}</span>
                <span aria-hidden="true">·</span>
                <span>{t("{count, plural, one {# vote} other {# votes}}", { count: idea.score })}</span>
              </p>
              {idea.response ? (
                <div className="official-response official-adopted">
                  <Prose html={idea.response.body_html} />
                  {idea.response.author_name ? <p className="meta">— {idea.response.author_name}, Harbor</p> : null}
                </div>
              ) : null}
              <p className="credits">
                {rich(t("<0>Credit:</0> idea by <1>{name}</1>", { name: idea.author_name }), [<strong />, <Link to={`/members/${idea.author_handle}`} />])}
                {idea.mergedAuthors.length ? (
                  <>
                    {t("; also suggested by")}{" "}
                    {idea.mergedAuthors.map((a, i) => (
                      <span key={a.handle}>{i ? ", " : ""}<Link to={`/members/${a.handle}`}>{a.name}</Link></span>
                    ))}
                  </>
                ) : null}
                {idea.firstSupporters.length ? (
                  <>
                    {t("; first supporters")}{" "}
                    {idea.firstSupporters.map((a, i) => (
                      <span key={a.handle}>{i ? ", " : ""}<Link to={`/members/${a.handle}`}>{a.name}</Link></span>
                    ))}
                  </>
                ) : null}
                .
              </p>
            </li>
          ))}
        </ol>
      )}
      <nav aria-label={t("Pages")} className="pager">
        {paged ? <Link to="/in-action">{t("← Latest")}</Link> : <span />}
        {next ? <Link to={`/in-action?before=${next}`} rel="next">{t("Earlier →")}</Link> : null}
      </nav>
    </div>
  );
}
