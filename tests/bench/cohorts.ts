// The cohorts benchmark: how big typical cohorts are, and how long computing, paging and
// exporting them takes, on a generated database of members and votes. Short by design; not part
// of `npm test`, asserts nothing.
//
//   npx tsx tests/bench/cohorts.ts [--members 1000000] [--votes 10000000] [--rebuild]
//
// Needs a PostgreSQL server (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres);
// it creates and drops only the database gs_bench_cohorts, and reuses it while its marker matches.
// The data: --members members, ideas = members / 10 over 8 categories, each tagged with one of 20
// tags (a third with a second tag), 1% adopted; every member votes on votes/members distinct ideas
// (spread evenly by a hash, 90% up); members / 2 comments over the last 120 days. Counters on ideas
// are left at zero: cohorts never read them. Prints a table and writes tests/.tmp/bench-cohorts.md.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrateToLatest } from "../../db/migrate";
import { openDatabase } from "../../app/lib/db.server";
import { loadActor } from "../../app/models/members/members.server";
import { cohortMembers, cohortSize, exportCohortCsv } from "../../app/models/listening/cohorts.server";
import { csvRow, type CohortCriterion } from "../../app/models/listening/listening";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MEMBERS = opt("members", 1_000_000);
const VOTES = opt("votes", 10_000_000);
const REBUILD = args.includes("--rebuild");
const IDEAS = Math.max(100, Math.floor(MEMBERS / 10));
const PER_MEMBER = Math.max(1, Math.floor(VOTES / MEMBERS));
const COMMENTS = Math.floor(MEMBERS / 2);
const DATABASE = "gs_bench_cohorts";
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const url = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${DATABASE}`;
  return u.toString();
})();
const marker = JSON.stringify({ v: 2, MEMBERS, IDEAS, PER_MEMBER, COMMENTS });

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function build(): Promise<number> {
  const started = Date.now();
  await admin(async (c) => {
    await c.query(`drop database if exists ${DATABASE} with (force)`);
    await c.query(`create database ${DATABASE}`);
  });
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  await migrateToLatest(kysely);
  await kysely.destroy();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const step = async (label: string, text: string) => {
    const t = Date.now();
    await c.query(text);
    console.log(`  ${label}: ${seconds(Date.now() - t)}`);
  };
  try {
    // Foreign-key triggers off for the load (a superuser session), secondary indexes rebuilt after.
    await c.query(`set session_replication_role = replica`);
    await c.query(`set maintenance_work_mem = '256MB'`);
    await step("categories and tags", `
      insert into categories (slug, name) select 'category-' || g, 'Category ' || g from generate_series(1, 8) g;
      insert into tags (slug, name) select 'tag-' || g, 'Tag ' || g from generate_series(1, 20) g;`);
    await step(`${MEMBERS.toLocaleString("en")} members`, `
      insert into members (handle, display_name, email, created_at)
      select 'member_' || g, 'Member ' || g, 'member_' || g || '@example.test', now() - (g % 1000) * interval '1 day'
      from generate_series(1, ${MEMBERS}) g`);
    await step(`${IDEAS.toLocaleString("en")} ideas`, `
      insert into ideas (author_id, category_id, title, body, body_html, status, trending, created_at)
      select (g::bigint * 7919 % ${MEMBERS}) + 1, (g % 8) + 1, 'Idea ' || g, '', '',
             case when g % 100 = 0 then 'adopted' else 'new' end, 0, now() - (g % 365) * interval '1 day'
      from generate_series(1, ${IDEAS}) g`);
    await step("idea tags", `
      insert into idea_tags (idea_id, tag_id)
      select g, (g % 20) + 1 from generate_series(1, ${IDEAS}) g
      union all
      select g, ((g / 20) % 20) + 1 from generate_series(1, ${IDEAS}) g where g % 3 = 0 and (g / 20) % 20 <> g % 20`);
    await c.query(`alter table votes drop constraint votes_pkey`);
    await c.query(`drop index if exists votes_member_idx`);
    await c.query(`drop index if exists votes_logged_idx`);
    await c.query(`drop index if exists votes_idea_up_idx`);
    // Member m's j-th vote: a distinct idea for each j (104729 is prime, so j * 104729 differ mod IDEAS).
    await step(`${(MEMBERS * PER_MEMBER).toLocaleString("en")} votes`, `
      insert into votes (idea_id, member_id, value, created_at, updated_at)
      select ((m::bigint * 7919 + j::bigint * 104729) % ${IDEAS}) + 1, m, case when (m / 10) % 10 = 0 then -1 else 1 end, now(), now()
      from generate_series(1, ${MEMBERS}) m, generate_series(0, ${PER_MEMBER - 1}) j`);
    await step("votes primary key and indexes", `
      alter table votes add primary key (idea_id, member_id);
      create index votes_member_idx on votes (member_id, updated_at desc);
      create index votes_logged_idx on votes (idea_id) where logged_by is not null;
      create index votes_idea_up_idx on votes (idea_id, member_id) where value = 1;`);
    await step(`${COMMENTS.toLocaleString("en")} comments`, `
      insert into comments (idea_id, author_id, body, body_html, created_at)
      select (g::bigint * 31 % ${IDEAS}) + 1, (g::bigint * 104723 % ${MEMBERS}) + 1, 'A comment', '<p>A comment</p>', now() - (g % 120) * interval '1 day'
      from generate_series(1, ${COMMENTS}) g`);
    await step("analyze", `vacuum analyze`);
    await c.query(`create table bench_marker (value text)`);
    await c.query(`insert into bench_marker values ($1)`, [marker]);
  } finally {
    await c.end();
  }
  return Date.now() - started;
}

async function ready(): Promise<boolean> {
  const exists = await admin(async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [DATABASE])).rowCount === 1);
  if (!exists) return false;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`select value from bench_marker`).catch(() => null);
    return r?.rows[0]?.value === marker;
  } finally {
    await c.end();
  }
}

async function main() {
  console.log(`cohorts bench: ${MEMBERS.toLocaleString("en")} members, ${(MEMBERS * PER_MEMBER).toLocaleString("en")} votes, ${IDEAS.toLocaleString("en")} ideas, ${COMMENTS.toLocaleString("en")} comments`);
  let built = "reused";
  if (REBUILD || !(await ready())) built = `built in ${seconds(await build())}`;
  const handle = await openDatabase({ url, poolSize: 2 });
  const db = handle.db;
  const staff = await db.insertInto("members").values({ handle: "bench_pm", display_name: "Bench PM", email: "bench_pm@example.test", role: "product_manager" })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing()).returning("id").executeTakeFirst();
  const pmId = staff?.id ?? (await db.selectFrom("members").select("id").where("handle", "=", "bench_pm").executeTakeFirstOrThrow()).id;
  const pm = await loadActor(db, pmId);
  const popular = await sql<{ idea_id: number }>`select idea_id from votes where idea_id <= 1000 and value = 1 group by idea_id order by count(*) desc limit 1`.execute(db);
  const cases: { name: string; criteria: CohortCriterion[] }[] = [
    { name: "voted for ≥ 2 ideas tagged T", criteria: [{ kind: "voted_tag", tagId: 1, min: 2 }] },
    { name: "voted for ≥ 1 idea tagged T", criteria: [{ kind: "voted_tag", tagId: 2, min: 1 }] },
    { name: "commented in category C, last 30 days", criteria: [{ kind: "commented_category", categoryId: 1, days: 30 }] },
    { name: "supporters of idea X", criteria: [{ kind: "supporters", ideaId: popular.rows[0]!.idea_id }] },
    { name: "authors of adopted ideas", criteria: [{ kind: "adopted_authors" }] },
    { name: "≥ 2 tagged T AND commented in C (30 days)", criteria: [{ kind: "voted_tag", tagId: 1, min: 2 }, { kind: "commented_category", categoryId: 1, days: 30 }] },
    { name: "supporters of X AND authors of adopted ideas", criteria: [{ kind: "supporters", ideaId: popular.rows[0]!.idea_id }, { kind: "adopted_authors" }] },
  ];
  const time = async <T>(work: () => Promise<T>) => {
    const t = performance.now();
    const value = await work();
    return { value, ms: performance.now() - t };
  };
  const rows: string[] = [];
  for (const c of cases) {
    await cohortSize(db, pm, c.criteria); // warm the cache once
    const size = await time(() => cohortSize(db, pm, c.criteria));
    const page = await time(() => cohortMembers(db, pm, c.criteria));
    const exported = await time(async () => {
      let bytes = 0;
      for await (const chunk of exportCohortCsv(db, pm, c.criteria, (m) => csvRow([m.id, m.handle, m.display_name, m.email, m.created_at.toISOString(), m.staff_messages ? "yes" : "no"]))) bytes += chunk.length;
      return bytes;
    });
    const line = `| ${c.name} | ${size.value.toLocaleString("en")} | ${size.ms.toFixed(0)} | ${page.ms.toFixed(0)} | ${exported.ms.toFixed(0)} | ${(exported.value / 1e6).toFixed(1)} |`;
    console.log(line);
    rows.push(line);
  }
  await handle.close();
  const report = [
    `Cohorts benchmark, ${new Date().toISOString()}: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`,
    `data: ${MEMBERS.toLocaleString("en")} members, ${(MEMBERS * PER_MEMBER).toLocaleString("en")} votes, ${IDEAS.toLocaleString("en")} ideas, ${COMMENTS.toLocaleString("en")} comments (${built})`,
    "",
    "| cohort | members | size ms | first page ms | CSV export ms | CSV MB |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  mkdirSync("tests/.tmp", { recursive: true });
  writeFileSync("tests/.tmp/bench-cohorts.md", `${report}\n`);
  console.log(`\n${report}`);
}

await main();
