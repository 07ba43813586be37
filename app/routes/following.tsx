import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Prose, TimeAgo } from "../components/ui";
import { fail, requireMember } from "../lib/http.server";
import { listFollowingFeed } from "../models/following/members.server";
import { ideaPath } from "../models/ideas/idea";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";
import { rich } from "../i18n/rich";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Following") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const before = new URL(request.url).searchParams.get("before");
  if (before !== null && !/^\d{1,18}$/.test(before)) fail(400, "That page link is not valid. Start again from the first page.");
  const feed = await listFollowingFeed(context.db, member, before);
  return { ...feed, paged: before !== null };
}

export default function Following() {
  const t = useT();
  const { items, next, follows, paged } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-page">
      <section className="hero">
        <h1>{t("Following")}</h1>
        <p>{t("New ideas and comments from the members you follow. Follow someone from their member page.")}</p>
      </section>
      {items.length === 0 ? (
        <EmptyState title={follows === 0 ? t("You follow nobody yet") : paged ? t("Nothing older") : t("Nothing yet")}>
          <p>{follows === 0 ? rich(t("Find people worth following on the <0>leaderboard</0>."), [<Link to="/leaderboard" />]) : t("When they post, it shows up here.")}</p>
        </EmptyState>
      ) : (
        <ol className="plain-list">
          {items.map((item) => (
            <li key={item.eventId}>
              <p className="meta">
                <Link to={`/members/${item.authorHandle}`}>{item.authorName}</Link>
                <span>{item.kind === "idea" ? "posted an idea" : "commented on"}</span>
                <Link to={`${ideaPath({ id: item.ideaId, title: item.ideaTitle })}${item.commentId ? `#comment-${item.commentId}` : ""}`}>{item.ideaTitle}</Link>
                <span aria-hidden="true">·</span>
                <TimeAgo iso={item.at} />
              </p>
              {item.bodyHtml ? <Prose html={item.bodyHtml} /> : null}
            </li>
          ))}
        </ol>
      )}
      <nav className="pager" aria-label={t("Older posts")}>
        {paged ? <Link to="/following">{t("Newest")}</Link> : null}
        {next ? <Link to={`/following?before=${next}`} rel="next">{t("Older")}</Link> : null}
      </nav>
    </div>
  );
}
