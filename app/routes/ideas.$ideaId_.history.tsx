import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData } from "@remix-run/react";
import { TimeAgo } from "../components/ui";
import { idParam, orFail, requireMember } from "../lib/http.server";
import { ideaPath } from "../models/ideas/idea";
import { listRevisions } from "../models/ideas/ideas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Idea history") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const ideaId = idParam(params.ideaId, "That idea");
  return orFail(listRevisions(context.db, member, ideaId));
}

export default function IdeaHistory() {
  const t = useT();
  const { idea, revisions } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-page">
      <p className="breadcrumb"><Link to={ideaPath(idea)}>{t("← Back to the idea")}</Link></p>
      <h1>{t("History of “{title}”", { title: idea.title })}</h1>
      {revisions.length === 0 ? (
        <p className="muted">{t("This idea has not been edited.")}</p>
      ) : (
        <ol className="revisions">
          {revisions.map((r) => (
            <li key={r.id} className="revision">
              <p className="meta">
                Version replaced <TimeAgo iso={r.created_at} /> by <Link to={`/members/${r.editor_handle}`}>{r.editor_name}</Link>
              </p>
              <h2>{r.title}</h2>
              <pre className="revision-body">{r.body || "(no description)"}</pre>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
