import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData } from "@remix-run/react";
import { BADGE_LEVEL_LABELS } from "../models/engagement/badges";
import { listBadges } from "../models/engagement/badges.server";
import { plural } from "../models/shared/format";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Badges") }];

export async function loader({ context }: LoaderFunctionArgs) {
  return { badges: await listBadges(context.db) };
}

export default function Badges() {
  const t = useT();
  const { badges } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-page">
      <section className="hero">
        <h1>{t("Badges")}</h1>
        <p>{t("Earned by taking part. Each one is awarded once, the moment it is earned, and stays.")}</p>
      </section>
      <ul className="plain-list">
        {badges.map((b) => (
          <li key={b.slug}>
            <h2><Link to={`/badges/${b.slug}`} className={`badge-chip badge-${b.level}`}>{b.name}</Link></h2>
            <p>{b.description}</p>
            <p className="meta"><span>{BADGE_LEVEL_LABELS[b.level]}</span><span aria-hidden="true">·</span><span>{plural(b.holders, "holder")}</span></p>
          </li>
        ))}
      </ul>
    </div>
  );
}
