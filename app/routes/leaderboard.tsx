import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState } from "../components/ui";
import { fail, orFail } from "../lib/http.server";
import { readCategories } from "../models/catalog/catalog.server";
import { scopeOf } from "../models/engagement/points";
import { getStanding, listLeaderboard } from "../models/engagement/rank.server";
import { leaderboardQuery } from "../models/engagement/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useLocale, useT } from "../i18n";
import { formatNumber } from "../models/shared/format";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Leaderboard") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = leaderboardQuery.safeParse(params);
  if (!parsed.success) fail(400, "That leaderboard does not exist.");
  const { period, category, after } = parsed.data;
  const categories = await readCategories(context.db, context.reference);
  const chosen = category ? categories.find((c) => c.slug === category) : null;
  if (category && !chosen) fail(404, "That category does not exist.");
  const board = { period: chosen ? ("all" as const) : period, categoryId: chosen?.id ?? null };
  const [page, mine] = await Promise.all([
    orFail(listLeaderboard(context.db, { ...board, cursor: after ?? null })),
    context.member ? getStanding(context.db, context.member.id, scopeOf(board)) : Promise.resolve(null),
  ]);
  return {
    period: board.period,
    category: chosen ? { slug: chosen.slug, name: chosen.name } : null,
    categories: categories.map((c) => ({ slug: c.slug, name: c.name })),
    rows: page.rows,
    next: page.nextCursor,
    paged: !!after,
    viewerId: context.member?.id ?? null,
    mine,
  };
}



export default function Leaderboard() {
  const t = useT();
  const { period, category, categories, rows, next, paged, viewerId, mine } = useLoaderData<typeof loader>();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const onPage = rows.some((r) => r.memberId === viewerId);
  const title = category ? t("{name}, all time", { name: category.name }) : period === "month" ? t("This month") : t("All time");
  const query = (extra: Record<string, string>) => {
    const p = new URLSearchParams();
    if (category) p.set("category", category.slug);
    else if (period === "month") p.set("period", "month");
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : "";
  };
  return (
    <div className="narrow-page">
      <section className="hero">
        <h1>{t("Leaderboard")}</h1>
        <p>{t("Points come from taking part: posting ideas, the up-votes they receive, comments and replies, ideas the product team plans and adopts, flags moderators uphold.")}</p>
      </section>
      <nav aria-label={t("Leaderboards")} className="board-tabs">
        <Link to="/leaderboard" aria-current={!category && period === "all" ? "page" : undefined}>{t("All time")}</Link>
        <Link to="/leaderboard?period=month" aria-current={!category && period === "month" ? "page" : undefined}>{t("This month")}</Link>
        <Form method="get" className="inline-field">
          <label htmlFor="board-category">{t("Category")}</label>
          <select id="board-category" name="category" defaultValue={category?.slug ?? ""}>
            <option value="" disabled>{t("Choose…")}</option>
            {categories.map((c) => <option key={c.slug} value={c.slug}>{c.name}</option>)}
          </select>
          <button type="submit" className="button button-secondary">{t("Show")}</button>
        </Form>
      </nav>
      <h2>{title}</h2>
      {mine && !onPage ? (
        <p className="board-you" role="note">
          {mine.next
            ? t("You are #{rank, number} of {of, number} with {points, plural, one {# point} other {# points}}, {gap, plural, one {# point} other {# points}} from #{next, number}.", { rank: mine.rank, of: mine.of, points: mine.points, gap: mine.next.gap, next: mine.next.rank })
            : t("You are #{rank, number} of {of, number} with {points, plural, one {# point} other {# points}}.", { rank: mine.rank, of: mine.of, points: mine.points })}
        </p>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title={paged ? t("No more members") : t("No points here yet")}>
          <p>{period === "month" && !category ? t("Nobody has earned points this month yet: post an idea or vote to be first.") : t("Points earned here will show up on this board.")}</p>
        </EmptyState>
      ) : (
        <table className="board">
          <thead>
            <tr><th scope="col">{t("Rank")}</th><th scope="col">{t("Member")}</th><th scope="col" className="num">{t("Points")}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.memberId} className={r.memberId === viewerId ? "board-mine" : undefined} aria-current={r.memberId === viewerId ? "true" : undefined}>
                <td>#{n(r.rank)}</td>
                <td><Link to={`/members/${r.handle}`}>{r.displayName}</Link>{r.memberId === viewerId ? <span className="board-you-mark">{" "}{t("(you)")}</span> : null}</td>
                <td className="num">{n(r.points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label={t("More members")}>
        {paged ? <Link to={`/leaderboard${query({})}`}>{t("Back to the top")}</Link> : null}
        {next ? <Link to={`/leaderboard${query({ after: next })}`} rel="next">{t("Next members")}</Link> : null}
      </nav>
    </div>
  );
}
