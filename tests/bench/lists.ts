// `npm run bench`: times the list queries on a large community and shows each plan.
// Uses BENCH_DATABASE_URL (a PostgreSQL server; a database gs_bench is created there)
// or, without it, a throwaway PGlite folder. BENCH_IDEAS sets the size (default 50,000).
import { rmSync } from "node:fs";
import { sql } from "kysely";
import pg from "pg";
import { migrateToLatest } from "../../db/migrate";
import { openDatabase } from "../../app/lib/db.server";
import { listIdeas } from "../../app/models/ideas/ideas.server";
import { listQuerySchema } from "../../app/models/ideas/idea";

const IDEAS = Number(process.env.BENCH_IDEAS ?? 50_000);
const url = process.env.BENCH_DATABASE_URL;

async function open() {
  if (!url) {
    const dir = "tests/.tmp/bench-pglite";
    rmSync(dir, { recursive: true, force: true });
    return openDatabase({ dataDir: dir });
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query("drop database if exists gs_bench with (force)");
  await admin.query("create database gs_bench");
  await admin.end();
  const u = new URL(url);
  u.pathname = "/gs_bench";
  return openDatabase({ url: u.toString(), poolSize: 4 });
}

const handle = await open();
const db = handle.db;
await migrateToLatest(db);
console.log(`database: ${handle.kind}; building ${IDEAS.toLocaleString("en")} ideas…`);
const t0 = Date.now();
await sql`insert into categories (slug, name) select 'c' || g, 'Category ' || g from generate_series(1, 8) g`.execute(db);
await sql`insert into members (handle, display_name, email) select 'member' || g, 'Member ' || g, 'm' || g || '@example.test' from generate_series(1, 2000) g`.execute(db);
await sql`
  insert into ideas (author_id, category_id, title, body, body_html, status, score, up_count, down_count, comment_count, trending, created_at)
  select 1 + (g % 2000), 1 + (g % 8),
         'Idea number ' || g || ' about ' || (array['oat milk','mobile app','rewards','cups','music','wifi'])[1 + g % 6],
         'A body that explains idea ' || g, '<p>A body</p>',
         (array['new','new','new','under_review','planned','adopted','declined'])[1 + g % 7],
         s, s, 0, g % 40,
         (case when s > 0 then log(s) else 0 end) + (extract(epoch from now() - (g || ' minutes')::interval) - 1700000000) / 604800,
         now() - (g || ' minutes')::interval
  from generate_series(1, ${IDEAS}) g, lateral (select (g * 7919) % 300 as s) x`.execute(db);
await sql`analyze`.execute(db);
console.log(`built in ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);

const cases: Record<string, Record<string, string>> = {
  "trending": {},
  "new": { sort: "new" },
  "top, all time": { sort: "top" },
  "top, this week": { sort: "top", period: "week" },
  "most discussed": { sort: "discussed" },
  "trending in a category": { category: "c3" },
  "trending, status planned": { status: "planned" },
  "search 'oat milk'": { q: "oat milk" },
};

for (const [name, raw] of Object.entries(cases)) {
  const query = listQuerySchema.parse(raw);
  const timings: number[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    // Every third run fetches the next page, to time keyset pagination too.
    const page = await listIdeas(db, null, { ...query, cursor: i % 3 === 2 && cursor ? cursor : undefined });
    timings.push(performance.now() - started);
    cursor = page.nextCursor;
  }
  timings.sort((a, b) => a - b);
  const p = (q: number) => timings[Math.floor(q * (timings.length - 1))]!.toFixed(2);
  console.log(`${name.padEnd(28)} p50 ${p(0.5)} ms   p95 ${p(0.95)} ms`);
}

const plan = await sql<{ "QUERY PLAN": string }>`explain select id from ideas where status <> 'duplicate' order by trending desc, id desc limit 21`.execute(db);
console.log(`\nplan of trending:\n  ${plan.rows.map((r) => r["QUERY PLAN"]).join("\n  ")}`);
await handle.close();
