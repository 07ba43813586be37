import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, TimeAgo } from "../components/ui";
import { fail, orFail } from "../lib/http.server";
import { BADGE_LEVEL_LABELS } from "../models/engagement/badges";
import { getBadgeHolders } from "../models/engagement/badges.server";
import { plural } from "../models/shared/format";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data ? `${data.badge.name} · ${pageTitle(matches, "Badges")}` : pageTitle(matches, "Badge not found") }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,40}$/.test(slug)) fail(404, "That badge does not exist.");
  const after = new URL(request.url).searchParams.get("after");
  const found = await orFail(getBadgeHolders(context.db, slug, after));
  if (!found) fail(404, "That badge does not exist.");
  return { ...found, paged: !!after };
}

export default function BadgePage() {
  const t = useT();
  const { badge, holders, holderCount, nextCursor, paged } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-page">
      <p><Link to="/badges">{t("All badges")}</Link></p>
      <h1><span className={`badge-chip badge-${badge.level}`}>{badge.name}</span></h1>
      <p className="lead">{badge.description} <span className="muted">{BADGE_LEVEL_LABELS[badge.level]} · {plural(holderCount, "holder")}</span></p>
      <h2>{t("Holders")}</h2>
      {holders.length === 0 ? (
        <EmptyState title={paged ? "No more holders" : "Nobody yet"}><p>{t("Be the first to earn it.")}</p></EmptyState>
      ) : (
        <ul className="plain-list">
          {holders.map((h) => (
            <li key={h.id}><Link to={`/members/${h.handle}`}>{h.display_name}</Link> <span className="muted">earned <TimeAgo iso={h.awarded_at} /></span></li>
          ))}
        </ul>
      )}
      <nav className="pager" aria-label={t("More holders")}>
        {paged ? <Link to={`/badges/${badge.slug}`}>{t("Most recent")}</Link> : null}
        {nextCursor ? <Link to={`/badges/${badge.slug}?after=${encodeURIComponent(nextCursor)}`} rel="next">{t("Earlier holders")}</Link> : null}
      </nav>
    </div>
  );
}
