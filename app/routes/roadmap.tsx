import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "../components/ui";
import { useT } from "../i18n";
import { STATUS_LABELS, ideaPath } from "../models/ideas/idea";
import { ROADMAP_COLUMNS } from "../models/pipeline/roadmap";
import { getResponsiveness, getRoadmap } from "../models/pipeline/roadmap.server";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Roadmap") }];

export async function loader({ context }: LoaderFunctionArgs) {
  const [roadmap, responsiveness] = await Promise.all([getRoadmap(context.db), getResponsiveness(context.db)]);
  return { roadmap, responsiveness };
}

const COLUMN_TITLES = {
  under_review: "Under review",
  planned: "Planned",
  in_progress: "In progress",
  adopted: "Recently adopted",
} as const;

export default function Roadmap() {
  const { roadmap, responsiveness } = useLoaderData<typeof loader>();
  const share = responsiveness.share === null ? null : Math.round(responsiveness.share * 100);
  const t = useT();
  return (
    <div>
      <section className="hero">
        <h1>{t("Roadmap")}</h1>
        <p>{t("What Harbor is looking at, planning and building from your ideas, and what has already shipped.")}</p>
      </section>
      <section className="responsiveness" aria-labelledby="responsiveness-heading">
        <h2 id="responsiveness-heading" className="visually-hidden">{t("How we answer")}</h2>
        <div className="figure">
          <p className="figure-number">{share === null ? "–" : t("{share}%", { share })}</p>
          <p>{t("of ideas with {min}+ votes have an official answer ({answered} of {total})", { min: responsiveness.minVotes, answered: responsiveness.answered, total: responsiveness.total })}</p>
        </div>
        <div className="figure">
          <p className="figure-number">
            {responsiveness.medianDays === null ? "–" : responsiveness.medianDays < 1 ? "< 1" : Math.round(responsiveness.medianDays)}
          </p>
          <p>{t("median days from posting to our first answer")}</p>
        </div>
      </section>
      <div className="roadmap">
        {ROADMAP_COLUMNS.map((status) => {
          const ideas = roadmap[status];
          return (
            <section key={status} className={`roadmap-column column-${status}`} aria-labelledby={`col-${status}`}>
              <h2 id={`col-${status}`}>
                {t(COLUMN_TITLES[status])} <span className="count">{ideas.length}</span>
              </h2>
              {ideas.length === 0 ? (
                <p className="muted">{t("Nothing {status} right now.", { status: t(STATUS_LABELS[status]).toLowerCase() })}</p>
              ) : (
                <ul>
                  {ideas.map((idea) => (
                    <li key={idea.id} className="roadmap-card">
                      <Link to={ideaPath(idea)}>{idea.title}</Link>
                      <p className="meta">
                        {idea.category_name ? <span>{idea.category_name}</span> : null}
                        <span>{t("{count, plural, one {# vote} other {# votes}}", { count: idea.score })}</span>
                      </p>
                    </li>
                  ))}
                </ul>
              )}
              {status === "adopted" ? <Link to="/in-action">{t("All Ideas in Action →")}</Link> : <Link to={`/?status=${status}`}>{t("See all")} <StatusBadge status={status} /></Link>}
            </section>
          );
        })}
      </div>
    </div>
  );
}
