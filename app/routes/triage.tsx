import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { EmptyState, Prose, TimeAgo } from "../components/ui";
import { orFail, requireMember } from "../lib/http.server";
import { plural } from "../models/shared/format";
import { ideaPath } from "../models/ideas/idea";
import { listTriage } from "../models/triage/triage.server";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Triage") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const url = new URL(request.url);
  const order = url.searchParams.get("order") === "votes" ? "votes" : "oldest";
  const page = await orFail(listTriage(context.db, member, { order, cursor: url.searchParams.get("after") }));
  return { order, ideas: page.items, next: page.nextCursor };
}

export default function Triage() {
  const { order, ideas, next } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div>
      <section className="hero">
        <h1>Triage</h1>
        <p>New ideas nobody on the team has answered yet. Open one to set its status with a public response, tag it, assign it or merge it. <Link to="/manage/tags">Manage tags</Link></p>
      </section>
      <nav aria-label="Order" className="tabs">
        <Link to="/triage" className="tab" aria-current={order === "oldest" ? "page" : undefined}>Oldest first</Link>
        <Link to="/triage?order=votes" className="tab" aria-current={order === "votes" ? "page" : undefined}>Most voted first</Link>
      </nav>
      {ideas.length === 0 ? (
        <EmptyState title="All caught up">
          <p>Every idea has an answer. Nice work.</p>
        </EmptyState>
      ) : (
        <ol className="triage-list">
          {ideas.map((idea) => (
            <li key={idea.id} className="triage-card">
              <h2><Link to={`${ideaPath(idea)}#staff-heading`}>{idea.title}</Link></h2>
              <p className="meta">
                <span>#{idea.id}</span>
                {idea.category_name ? <span className="category-pill">{idea.category_name}</span> : null}
                <span>by {idea.author_name}</span>
                <span aria-hidden="true">·</span>
                <TimeAgo iso={idea.created_at} />
                <span aria-hidden="true">·</span>
                <span>{plural(idea.score, "vote")}</span>
                <span aria-hidden="true">·</span>
                <span>{plural(idea.comment_count, "comment")}</span>
                {idea.owner_name ? <span>· owner {idea.owner_name}</span> : null}
              </p>
              <div className="triage-excerpt"><Prose html={idea.body_html} /></div>
            </li>
          ))}
        </ol>
      )}
      <nav aria-label="Pages" className="pager">
        {params.get("after") ? <Link to={order === "votes" ? "/triage?order=votes" : "/triage"}>← First page</Link> : <span />}
        {next ? <Link to={`/triage?${order === "votes" ? "order=votes&" : ""}after=${next}`} rel="next">Next page →</Link> : null}
      </nav>
    </div>
  );
}
