import { sql, type RawBuilder } from "kysely";
import type { DB } from "../../lib/db.server";
import { keysetPage } from "../shared/keyset.server";
import { scopeOf, type BoardPeriod } from "./points";
import { BUCKET } from "./points.server";

/**
 * Ranks and leaderboards, answered from member_scores and the points
 * histogram (docs/decisions/015-points-rank-badges.md): a rank is 1 + the
 * members with more points, a sum over the histogram's rows above a value
 * (as many rows as distinct scores above, never as many as members).
 */

export interface Standing {
  points: number;
  rank: number;
  /** Every member (the ranking's size). */
  of: number;
  /** The next rank up and the points still needed to reach it (null at the top). */
  next: { rank: number; gap: number } | null;
}

/**
 * Where a member stands in a scope. A member without points in a month or a
 * category has 0 there, level with every member who has none.
 */
export async function getStanding(db: DB, memberId: number, scope = "all"): Promise<Standing> {
  // One statement (one round trip): the member's points, the next score up, and the members above each.
  const row = await sql<{ points: number; above: string; of: string; in_scope: string; next_points: number | null; next_above: string | null }>`
    with mine as (
      select coalesce((select points from member_scores where scope = ${scope} and member_id = ${memberId}), 0) as p
    ),
    nxt as (
      select (select min(points) from points_histogram where scope = ${scope} and points > mine.p and members > 0) as np from mine
    )
    select mine.p as points,
      ${above(scope, sql`mine.p`)}::text as above,
      (select coalesce(sum(members), 0) from points_buckets where scope = 'all')::text as of,
      (select coalesce(sum(members), 0) from points_buckets where scope = ${scope})::text as in_scope,
      nxt.np as next_points,
      case when nxt.np is null then null else ${above(scope, sql`nxt.np`)}::text end as next_above
    from mine, nxt`.execute(db);
  const r = row.rows[0]!;
  const points = r.points;
  const of = Number(r.of);
  // Members with no row in a month or category are at 0: above anyone below 0 there.
  const implicitZeros = points < 0 ? Math.max(0, of - Number(r.in_scope)) : 0;
  const rank = 1 + Number(r.above) + implicitZeros;
  let next: Standing["next"] = null;
  if (r.next_points !== null) {
    next = { rank: 1 + Number(r.next_above ?? 0) + (r.next_points < 0 ? implicitZeros : 0), gap: r.next_points - points };
  } else if (points < 0 && implicitZeros > 0) {
    next = { rank: 1 + Number(r.above), gap: -points };
  }
  return { points, rank, of: Math.max(of, rank), next };
}

/**
 * How many members of a scope have more than `points`: the buckets above the
 * one `points` falls in, plus the values above it within its bucket. At most
 * (highest score / 256) + 256 index rows, whatever the number of members.
 */
function above(scope: string, points: RawBuilder<unknown>): RawBuilder<string> {
  const bucket = sql`floor(${points} / ${sql.raw(`${BUCKET}.0`)})::int`;
  return sql<string>`(
    (select coalesce(sum(members), 0) from points_buckets where scope = ${scope} and bucket > ${bucket})
    + (select coalesce(sum(members), 0) from points_histogram where scope = ${scope} and points > ${points}
         and points < (${bucket} + 1) * ${sql.raw(String(BUCKET))}))`;
}

/** A member's all-time and this month's standing (the member page and the header menu). */
export async function getStandings(db: DB, memberId: number, now = new Date()) {
  const [all, month] = await Promise.all([getStanding(db, memberId, "all"), getStanding(db, memberId, scopeOf({ period: "month" }, now))]);
  return { all, month };
}

export const LEADERBOARD_PAGE = 25;

export interface BoardRow {
  memberId: number;
  handle: string;
  displayName: string;
  points: number;
  rank: number;
}

/**
 * One page of a leaderboard (all time, this month, or a category), highest
 * first, by keyset over the (scope, points, member) index, each row with its
 * rank (ties share one), read from the histogram for the page's few distinct
 * scores.
 */
export async function listLeaderboard(
  db: DB,
  board: { period: BoardPeriod; categoryId?: number | null; cursor?: string | null },
  now = new Date(),
): Promise<{ scope: string; rows: BoardRow[]; nextCursor: string | null }> {
  const scope = scopeOf(board, now);
  const q = db
    .selectFrom("member_scores")
    .innerJoin("members", "members.id", "member_scores.member_id")
    .select(["member_scores.member_id", "member_scores.points", "members.handle", "members.display_name"])
    .where("member_scores.scope", "=", scope)
    .where("members.deleted_at", "is", null)
    // A month or category board lists members who earned something there.
    .$if(scope !== "all", (w) => w.where("member_scores.points", "<>", 0));
  const page = await keysetPage(q, {
    key: { expr: sql`member_scores.points`, type: "int" },
    id: "member_scores.member_id",
    direction: "desc",
    cursor: board.cursor,
    limit: LEADERBOARD_PAGE,
  });
  const values = [...new Set(page.items.map((r) => r.points))];
  const ranks = new Map<number, number>();
  if (values.length) {
    const counted = await sql<{ points: number; above: string }>`
      select v.points, ${above(scope, sql`v.points`)}::text as above
      from unnest(${values}::int[]) as v(points)`.execute(db);
    for (const a of counted.rows) ranks.set(a.points, 1 + Number(a.above));
  }
  return {
    scope,
    rows: page.items.map((r) => ({ memberId: r.member_id, handle: r.handle, displayName: r.display_name, points: r.points, rank: ranks.get(r.points) ?? 1 })),
    nextCursor: page.nextCursor,
  };
}

/** A member's points by reason (the member page's breakdown). */
export async function pointsBreakdown(db: DB, memberId: number) {
  const rows = await db
    .selectFrom("points_ledger")
    .select(["reason", (eb) => eb.fn.sum<string>("points").as("points")])
    .where("member_id", "=", memberId)
    .groupBy("reason")
    .execute();
  return rows.map((r) => ({ reason: r.reason, points: Number(r.points) })).filter((r) => r.points !== 0);
}
