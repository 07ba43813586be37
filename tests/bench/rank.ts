// The rank benchmark: `npx tsx tests/bench/rank.ts [members]` (default 1,000,000).
// Creates its own database (gs_bench_rank) on BENCH_DATABASE_URL's server, migrates it, fills
// member_scores and the points histogram for N members with a long-tailed spread of points
// (most members have a few, a few have tens of thousands), times the app's own rank lookup
// (getStanding) for random members and the leaderboard pages (first page and deep pages by
// keyset), and the write side (bumpScores, the reactors' update of totals and histogram),
// then drops the database. Figures go to the closing note / decision record 015.
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { openDatabase } from "../../app/lib/db.server";
import { bumpScores } from "../../app/models/engagement/points.server";
import { getStanding, listLeaderboard } from "../../app/models/engagement/rank.server";
import { encodeCursor } from "../../app/models/shared/keyset";
import { migrateToLatest } from "../../db/migrate";
import { DEFAULT_ADMIN_URL } from "./dataset";

const N = Number(process.argv[2] ?? 1_000_000);
const NAME = "gs_bench_rank";
const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
const url = (() => { const u = new URL(adminUrl); u.pathname = `/${NAME}`; return u.toString(); })();

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`drop database if exists ${NAME} with (force)`);
await admin.query(`create database ${NAME}`);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p95 ${pct(xs, 95).toFixed(2)} ms, p99 ${pct(xs, 99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms (n=${xs.length})`;

try {
  const raw = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  await migrateToLatest(raw);
  const t0 = performance.now();
  await sql`insert into members (handle, display_name, email)
            select 'bench_' || g, 'Bench member ' || g, 'bench' || g || '@example.test' from generate_series(1, ${N}) g`.execute(raw);
  // Long tail: points = floor(40000 * u^6) for a hash-uniform u; half the members at 0..1.
  await sql`insert into member_scores (scope, member_id, points)
            select 'all', id, floor(40000 * power(((hashtext(id::text) & 2147483647)::float8 / 2147483647), 6))::int from members`.execute(raw);
  // This month: a fifth of the members earned something.
  await sql`insert into member_scores (scope, member_id, points)
            select 'month:' || to_char(now() at time zone 'UTC', 'YYYY-MM'), id, 1 + (hashtext('m' || id) & 2147483647) % 400
            from members where id % 5 = 0`.execute(raw);
  await sql`insert into points_histogram (scope, points, members) select scope, points, count(*) from member_scores group by 1, 2`.execute(raw);
  await sql`delete from points_buckets`.execute(raw);
  await sql`insert into points_buckets (scope, bucket, members) select scope, floor(points / 256.0)::int, count(*) from member_scores group by 1, 2`.execute(raw);
  await sql`analyze`.execute(raw);
  const built = performance.now() - t0;
  const stats = (await sql<{ scope: string; rows: string }>`select scope, count(*)::text as rows from points_histogram group by scope`.execute(raw)).rows;
  await raw.destroy();

  const handle = await openDatabase({ url, poolSize: 4 });
  const db = handle.db;
  // Warm up, then time the app's own lookup for random members, one at a time.
  for (let i = 0; i < 200; i++) await getStanding(db, 1 + Math.floor(Math.random() * N));
  const rankAll: number[] = [];
  const rankMonth: number[] = [];
  const monthScope = `month:${new Date().toISOString().slice(0, 7)}`;
  for (let i = 0; i < 2000; i++) {
    const id = 1 + Math.floor(Math.random() * N);
    let s = performance.now();
    await getStanding(db, id);
    rankAll.push(performance.now() - s);
    s = performance.now();
    await getStanding(db, id, monthScope);
    rankMonth.push(performance.now() - s);
  }
  // Correctness spot check against a count (slow, a few members only).
  for (const id of [1, 2, Math.floor(N / 2), N]) {
    const mine = await getStanding(db, id);
    const counted = await sql<{ n: string }>`select count(*)::text as n from member_scores where scope = 'all' and points > ${mine.points}`.execute(db);
    if (mine.rank !== 1 + Number(counted.rows[0]!.n)) throw new Error(`rank of ${id} is ${mine.rank}, count says ${1 + Number(counted.rows[0]!.n)}`);
  }
  // The naive way, for comparison: count the members above (O(rank) index scan).
  const naive: number[] = [];
  for (let i = 0; i < 50; i++) {
    const id = 1 + Math.floor(Math.random() * N);
    const s = performance.now();
    await sql`select 1 + count(*) from member_scores where scope = 'all' and points > (select points from member_scores where scope = 'all' and member_id = ${id})`.execute(db);
    naive.push(performance.now() - s);
  }
  // Leaderboard pages: the first page, then 40 pages deep by following the cursor, then a deep jump.
  const first: number[] = [];
  for (let i = 0; i < 100; i++) {
    const s = performance.now();
    await listLeaderboard(db, { period: "all" });
    first.push(performance.now() - s);
  }
  const following: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 40; i++) {
    const s = performance.now();
    const page: Awaited<ReturnType<typeof listLeaderboard>> = await listLeaderboard(db, { period: "all", cursor });
    following.push(performance.now() - s);
    cursor = page.nextCursor;
  }
  const mid = (await sql<{ points: number; member_id: number }>`select points, member_id from member_scores where scope = 'all' order by points desc, member_id desc offset ${Math.floor(N / 2)} limit 1`.execute(db)).rows[0]!;
  const deepCursor = encodeCursor({ key: String(mid.points), id: mid.member_id });
  const deep: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    await listLeaderboard(db, { period: "all", cursor: deepCursor });
    deep.push(performance.now() - s);
  }
  const monthBoard: number[] = [];
  for (let i = 0; i < 100; i++) {
    const s = performance.now();
    await listLeaderboard(db, { period: "month" });
    monthBoard.push(performance.now() - s);
  }
  // The write side: what a vote's reactor does to the totals (all, month), in its own transaction.
  const writes: number[] = [];
  for (let i = 0; i < 500; i++) {
    const id = 1 + Math.floor(Math.random() * N);
    const s = performance.now();
    await db.transaction().execute((trx) => bumpScores(trx, [{ scope: "all", memberId: id, delta: 2 }, { scope: monthScope, memberId: id, delta: 2 }]));
    writes.push(performance.now() - s);
  }
  await handle.close();
  console.log(`members: ${N.toLocaleString("en")}; built in ${(built / 1000).toFixed(1)} s; histogram rows: ${stats.map((s) => `${s.scope} ${s.rows}`).join(", ")}`);
  console.log(`rank lookup, all time (getStanding: rank, of, next): ${fmt(rankAll)}`);
  console.log(`rank lookup, this month:                            ${fmt(rankMonth)}`);
  console.log(`naive count of members above (for comparison):      ${fmt(naive)}`);
  console.log(`leaderboard first page (25 rows + ranks):           ${fmt(first)}`);
  console.log(`leaderboard next pages by cursor (pages 1-40):      ${fmt(following)}`);
  console.log(`leaderboard page at the middle (rank ~${(N / 2).toLocaleString("en")}):      ${fmt(deep)}`);
  console.log(`leaderboard this month, first page:                 ${fmt(monthBoard)}`);
  console.log(`totals + histogram update (one member, 2 scopes):   ${fmt(writes)}`);
} finally {
  await admin.query(`drop database if exists ${NAME} with (force)`);
  await admin.end();
}
