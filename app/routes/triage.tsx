import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { EmptyState, Prose, TimeAgo } from "../components/ui";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { listOpenProposals, rejectProposal } from "../models/engagement/proposals.server";
import { rejectProposalSchema } from "../models/engagement/schemas.server";
import { parseForm } from "../models/shared/schemas.server";
import { plural } from "../models/shared/format";
import { ideaPath } from "../models/ideas/idea";
import { listTriage } from "../models/triage/triage.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Triage") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const url = new URL(request.url);
  const order = url.searchParams.get("order") === "votes" ? "votes" : "oldest";
  const [page, proposals] = await Promise.all([
    orFail(listTriage(context.db, member, { order, cursor: url.searchParams.get("after") })),
    orFail(listOpenProposals(context.db, member)),
  ]);
  return { order, ideas: page.items, next: page.nextCursor, proposals };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const parsed = parseForm(rejectProposalSchema, await readForm(request));
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    await rejectProposal(context.db, member, parsed.data.proposalId);
    return redirectWithFlash("/triage", "Proposal rejected.");
  } catch (error) {
    return domainError(error);
  }
}

export default function Triage() {
  const t = useT();
  const { order, ideas, next, proposals } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div>
      <section className="hero">
        <h1>{t("Triage")}</h1>
        <p>{t("New ideas nobody on the team has answered yet. Open one to set its status with a public response, tag it, assign it or merge it.")}{" "}<Link to="/manage/tags">{t("Manage tags")}</Link></p>
      </section>
      {proposals.length ? (
        <section aria-labelledby="proposals-heading">
          <h2 id="proposals-heading">{t("Proposed duplicates")}</h2>
          <ul className="plain-list">
            {proposals.map((p) => (
              <li key={p.id}>
                <p>
                  <Link to={ideaPath({ id: p.source_id, title: p.source_title })}>{p.source_title}</Link> duplicates{" "}
                  <Link to={ideaPath({ id: p.target_id, title: p.target_title })}>{p.target_title}</Link>, says{" "}
                  <Link to={`/members/${p.proposer_handle}`}>{p.proposer_name}</Link> <span className="muted"><TimeAgo iso={p.created_at} /></span>
                </p>
                <div className="idea-actions">
                  <Form method="post" action={`/ideas/${p.source_id}/staff`}>
                    <input type="hidden" name="intent" value="merge" />
                    <input type="hidden" name="targetId" value={p.target_id} />
                    <button type="submit" className="button button-secondary">{t("Accept: merge #{source} into #{target}", { source: p.source_id, target: p.target_id })}</button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="reject-proposal" />
                    <input type="hidden" name="proposalId" value={p.id} />
                    <button type="submit" className="button button-quiet">{t("Reject")}</button>
                  </Form>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <nav aria-label={t("Order")} className="tabs">
        <Link to="/triage" className="tab" aria-current={order === "oldest" ? "page" : undefined}>{t("Oldest first")}</Link>
        <Link to="/triage?order=votes" className="tab" aria-current={order === "votes" ? "page" : undefined}>{t("Most voted first")}</Link>
      </nav>
      {ideas.length === 0 ? (
        <EmptyState title={t("All caught up")}>
          <p>{t("Every idea has an answer. Nice work.")}</p>
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
                {idea.owner_name ? <span>{t("· owner {name}", { name: idea.owner_name })}</span> : null}
              </p>
              <div className="triage-excerpt"><Prose html={idea.body_html} /></div>
            </li>
          ))}
        </ol>
      )}
      <nav aria-label={t("Pages")} className="pager">
        {params.get("after") ? <Link to={order === "votes" ? "/triage?order=votes" : "/triage"}>{t("← First page")}</Link> : <span />}
        {next ? <Link to={`/triage?${order === "votes" ? "order=votes&" : ""}after=${next}`} rel="next">{t("Next page →")}</Link> : null}
      </nav>
    </div>
  );
}
