// The benchmark's data: every SQL statement that writes the bench databases lives in this file,
// so a schema change (db/migrations) means adapting one place.
//
// A bench database is created on the PostgreSQL server of BENCH_DATABASE_URL, migrated with the
// app's own migrator, then filled by one INSERT … SELECT per table from generate_series with a
// deterministic hash-based generator. Votes and comments are written before the ideas, so each
// idea's stored counters (up_count, down_count, score, comment_count, trending) are computed from the
// rows in the same statement that writes the idea. A marker table records what was built; a later
// run reuses a database whose marker matches (building 1,000,000 ideas takes minutes).
import { createHash, randomBytes } from "node:crypto";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { migrateToLatest } from "../../db/migrate";
import { migrations } from "../../db/migrations/index";
import { TRENDING_EPOCH_SECONDS, TRENDING_SECONDS_PER_DECADE, trendingKey } from "../../app/models/ideas/ranking";

export const DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** Our own databases on the shared server: the only ones this benchmark ever creates or drops. */
/** `reuse`: keep a matching database across runs (10k builds in seconds, so every run builds it anew). */
export const SIZES = {
  "10k": { ideas: 10_000, database: "gs_bench_10k", reuse: false },
  "1m": { ideas: 1_000_000, database: "gs_bench_1m", reuse: true },
} as const;
export type SizeName = keyof typeof SIZES;

const MEMBERS = 80_000;
const VIEWER_ID = 1; // signs in for the signed-in pages; has votes on recent ideas
const VOTER_ID = 2; // casts the votes of the vote load; starts every round with no votes
const SPAN_DAYS = 3 * 365; // ideas are spread over three years, oldest first by id
/** Votes per idea ~ floor(lognormal(0.98, 1.25)): mean about 5.3, median 2, a long tail. */
const VOTES_MU = 0.98;
const VOTES_SIGMA = 1.25;
/** Comments per idea ~ floor(lognormal(-0.23, 1.1)): mean about 1, most ideas none or one. */
const COMMENTS_MU = -0.23;
const COMMENTS_SIGMA = 1.1;
/** One idea in 4,999 is about sourdough (the rare word): 2 ideas at 10k, 200 at 1M. */
const RARE_EVERY = 4_999;

export const SEARCH_WORDS = { rare: "sourdough", common: "coffee", phrase: "oat milk" } as const;

// Word lists. 'coffee' appears only in COFFEE_LINES (half the bodies); 'sourdough' only in the
// rare title; 'oat' and 'milk' also apart from each other, so "oat milk" as a phrase and as two
// words find different sets.
const CATEGORIES: [slug: string, name: string][] = [
  ["drinks", "Drinks"], ["food", "Food and bakery"], ["app", "App and ordering"], ["rewards", "Rewards"],
  ["stores", "Stores and seating"], ["sustainability", "Sustainability"], ["delivery", "Delivery"], ["merch", "Merchandise"],
];
const TAGS = [
  "vegan", "seasonal", "accessibility", "kids", "students", "morning-rush", "weekend", "pricing", "packaging", "allergens",
  "drive-thru", "loyalty", "music", "wifi", "parking", "staff", "events", "local", "recycling", "late-night",
];
const FIRST = [
  "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Noor", "Owen",
  "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Carmen", "Dmitri",
];
const LAST = [
  "Andersen", "Baker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lopez",
  "Morita", "Nakamura", "Okafor", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka", "Urban", "Varga", "Weber", "Yilmaz", "Zhang",
];
const OPENERS = [
  "Add", "Offer", "Bring back", "Please add", "Introduce", "Let us order", "More", "Better", "Allow", "Start", "Try", "Consider",
  "We need", "How about", "Expand", "Improve",
];
const OBJECTS = [
  "oat milk", "almond milk", "cold brew", "decaf espresso", "pumpkin spice lattes", "reusable cups", "a stamp card",
  "mobile ordering", "vegan pastries", "gluten-free muffins", "chai tea", "iced matcha", "a seasonal menu", "outdoor seating",
  "faster wifi", "phone chargers", "quiet study corners", "drive-thru lanes", "recycling bins", "digital receipts",
  "a birthday reward", "group orders", "hot chocolate for kids", "sugar-free syrups", "bigger tables", "late opening hours",
  "dog treats", "local art on the walls", "live music nights", "compostable lids", "refill discounts", "a subscription plan",
  "gift cards", "delivery tracking", "allergen labels", "a tip option", "self-service kiosks", "barista workshops",
  "bike racks", "oat cookies",
];
const QUALIFIERS = [
  "at every store", "on weekends", "in the app", "for students", "before 7am", "in winter", "at the drive-thru",
  "for rewards members", "downtown", "near the station", "for families", "all year round", "at airport locations", "", "", "",
];
const INTROS = [
  "I visit almost every morning on my way to work.", "My whole team orders from the store next to our office.",
  "We come in as a family most weekends.", "I have been a rewards member for years.", "I study in the corner seat most afternoons.",
  "The staff are lovely but this keeps coming up.", "This would save me a lot of time.", "Other places nearby already do this.",
];
const COFFEE_LINES = [
  "The coffee is the reason I keep coming back.", "A good coffee should not need a twenty minute wait.",
  "I would happily pay a little more for my coffee if this happened.", "My coffee order is the same every day, so this matters to me.",
  "Coffee tastes better when the rest of the visit is easy.", "The house coffee deserves better than this.",
];
const DETAILS = [
  "The oat bars at the counter sell out before noon.", "Skim milk runs out on Saturdays.", "The queue reaches the door at eight.",
  "Parking is hard to find after five.", "The app crashes when I change my order.", "There is nowhere to put a pram.",
  "The music is too loud to take a call.", "The lids leak when I walk fast.", "It is freezing by the window in winter.",
  "My friend has a nut allergy and never knows what is safe.", "The receipt printer is always out of paper.",
];
const CLOSINGS = [
  "Thanks for listening!", "Happy to test it if you want volunteers.", "Please consider it for next season.",
  "I know others who feel the same.", "Would love to hear what the team thinks.",
];
const COMMENT_LINES = [
  "Yes please, I have wanted this for ages.", "Agreed, this would make a real difference.", "Not sure about this one, it sounds expensive.",
  "My local store tried something similar last year.", "Plus one from the downtown regulars.", "This is my most wanted change.",
  "Could this work in smaller stores too?", "I would use it every week.", "Maybe start with a trial in a few stores?",
  "The staff mentioned they would like this as well.", "Please do not raise prices to pay for it.", "Great idea, voted up.",
];
const RESPONSES = [
  "Thanks for the idea. We are looking at how this would work across our stores.",
  "We love this and have put it on the roadmap.", "Our team has started work on this.", "This is now live in every store. Thank you!",
  "We looked at this closely and it is not something we can do right now.",
];

/** The trending key in SQL, the same formula and rounding as app/models/ideas/ranking.ts `trendingKey`. */
function hotSql(score: string, createdAt: string) {
  return `round((sign(${score})::float8 * log(greatest(abs(${score}), 1)::float8)
    + (extract(epoch from ${createdAt})::float8 - ${TRENDING_EPOCH_SECONDS}) / ${TRENDING_SECONDS_PER_DECADE})::numeric, 7)::float8`;
}

/** Deterministic helpers for one seeding session (pg_temp: gone when the session ends). */
function helperFunctions(n: number, nowIso: string) {
  const span = SPAN_DAYS * 86_400;
  return [
    // A uniform number in [0, 1) from (i, salt): the same every build.
    `create function pg_temp.rnd(i bigint, salt int) returns float8 language sql immutable
       as $$ select ((hashint8extended(i, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$`,
    `create function pg_temp.pick(a text[], i bigint, salt int) returns text language sql immutable
       as $$ select a[1 + floor(pg_temp.rnd(i, salt) * cardinality(a))::int] $$`,
    `create function pg_temp.lognormal(i bigint, salt int, mu float8, sigma float8) returns float8 language sql immutable
       as $$ select exp(mu + sigma * sqrt(-2 * ln(1 - pg_temp.rnd(i, salt))) * cos(2 * pi() * pg_temp.rnd(i, salt + 1))) $$`,
    `create function pg_temp.now0() returns timestamptz language sql stable as $$ select timestamptz '${nowIso}' $$`,
    `create function pg_temp.idea_created(g bigint) returns timestamptz language sql stable
       as $$ select timestamptz '${nowIso}' - interval '${span} seconds' + interval '1 second' * (${span}::float8 * ((g - 1) + 0.9 * pg_temp.rnd(g, 7)) / ${n}) $$`,
    `create function pg_temp.later(g bigint, i bigint, salt int) returns timestamptz language sql stable
       as $$ select pg_temp.idea_created(g) + pg_temp.rnd(i, salt) * (timestamptz '${nowIso}' - pg_temp.idea_created(g)) $$`,
  ];
}

interface SeedPlan {
  n: number;
  benchIdea: number;
  statements: { table: string; sql: string; params?: unknown[] }[];
}

/** The seeding statements for n ideas, in order. Run with FK triggers off (session_replication_role). */
function seedPlan(n: number): SeedPlan {
  const M = MEMBERS;
  // The idea page of the benchmark: a planned idea with exactly 50 live comments.
  const benchIdea = Math.floor(n / 2) + 1;
  const voteCount = `least(floor(pg_temp.lognormal(g, 1, ${VOTES_MU}, ${VOTES_SIGMA}))::int, 5000)`;
  const commentCount = `case when g = ${benchIdea} then 50 else least(floor(pg_temp.lognormal(g, 21, ${COMMENTS_MU}, ${COMMENTS_SIGMA}))::int, 300) end`;
  const statements: SeedPlan["statements"] = [
    {
      table: "categories",
      sql: `insert into categories (id, slug, name, description, position) overriding system value
            select i, c[1], c[2], 'Ideas about ' || lower(c[2]) || '.', i
            from unnest($1::text[]) with ordinality as t(pair, i), lateral (select string_to_array(pair, '|') as c) x`,
      params: [CATEGORIES.map(([s, name]) => `${s}|${name}`)],
    },
    {
      table: "tags",
      sql: `insert into tags (id, slug, name) overriding system value
            select i, t, replace(t, '-', ' ') from unnest($1::text[]) with ordinality as u(t, i)`,
      params: [TAGS],
    },
    {
      table: "members",
      sql: `insert into members (id, handle, display_name, email, role, bio, created_at) overriding system value
            select g,
                   case g when ${VIEWER_ID} then 'bench_viewer' when ${VOTER_ID} then 'bench_voter' else 'member_' || g end,
                   case g when ${VIEWER_ID} then 'Bench Viewer' when ${VOTER_ID} then 'Bench Voter'
                          else pg_temp.pick($1, g, 1) || ' ' || pg_temp.pick($2, g, 2) end,
                   'member' || g || '@example.test',
                   case when g = 3 then 'admin' when g in (4, 5) then 'moderator' when g between 6 and 12 then 'product_manager' else 'member' end,
                   case when pg_temp.rnd(g, 3) < 0.2 then 'Regular at the ' || pg_temp.pick($3, g, 4) || ' store.' else '' end,
                   pg_temp.idea_created(1) - interval '60 days' + pg_temp.rnd(g, 5) * interval '${SPAN_DAYS} days'
            from generate_series(1, ${M}) g`,
      params: [FIRST, LAST, ["harbour front", "station", "old town", "campus", "airport", "market square"]],
    },
    {
      // Generic voters are members 3..M, distinct per idea (104729 is prime to M - 2); the viewer
      // has also voted on about a third of the newest 3,000 ideas and on the bench idea.
      table: "votes",
      sql: `insert into votes (idea_id, member_id, value, created_at, updated_at)
            select g, 3 + ((g * 7919 + j * 104729) % ${M - 2}),
                   case when pg_temp.rnd(g * 100003 + j, 13) < 0.55 + 0.4 * pg_temp.rnd(g, 12) then 1 else -1 end,
                   pg_temp.later(g, g * 100003 + j, 14), pg_temp.later(g, g * 100003 + j, 14)
            from generate_series(1, ${n}::bigint) g
            cross join lateral generate_series(0, ${voteCount} - 1) j
            union all
            select g, ${VIEWER_ID}, case when pg_temp.rnd(g, 41) < 0.85 then 1 else -1 end, pg_temp.later(g, g, 42), pg_temp.later(g, g, 42)
            from generate_series(1, ${n}::bigint) g
            where (g > ${n} - 3000 and pg_temp.rnd(g, 40) < 0.3) or g = ${benchIdea}`,
    },
    {
      // Threads: about 40% of later comments reply to an earlier comment on the same idea.
      table: "comments",
      sql: `insert into comments (id, idea_id, author_id, parent_id, body, body_html, created_at, deleted_at, moderation, moderation_reason)
            overriding system value
            select id, g, 3 + floor(pg_temp.rnd(id, 22) * ${M - 2})::int,
                   case when j > 0 and pg_temp.rnd(id, 23) < 0.4 then id - j + floor(pg_temp.rnd(id, 24) * j)::int end,
                   body, '<p>' || body || '</p>', created,
                   case when g <> ${benchIdea} and pg_temp.rnd(id, 25) < 0.02 then created + interval '1 hour' end,
                   case when g <> ${benchIdea} and pg_temp.rnd(id, 26) < 0.005 then 'hidden' else 'visible' end,
                   case when g <> ${benchIdea} and pg_temp.rnd(id, 26) < 0.005 then 'Off topic.' end
            from (
              select g, j, row_number() over (order by g, j) as id
              from generate_series(1, ${n}::bigint) g
              cross join lateral generate_series(0, ${commentCount} - 1) j
            ) c
            cross join lateral (select pg_temp.pick($1, id, 27) || case when pg_temp.rnd(id, 28) < 0.5 then ' ' || pg_temp.pick($1, id, 29) else '' end as body,
                                       pg_temp.later(g, id, 30) as created) x`,
      params: [COMMENT_LINES],
    },
    {
      // Counters straight from the rows written above; comment_count counts comments not deleted
      // (as addComment/deleteComment keep it), hot is the app's formula.
      table: "ideas",
      sql: `insert into ideas (id, author_id, category_id, title, body, body_html, status, duplicate_of_id,
                               status_changed_at, first_response_at, moderation, moderation_reason, moderated_at,
                               up_count, down_count, score, comment_count, trending, created_at, updated_at)
            overriding system value
            select g, 3 + floor(pg_temp.rnd(g, 5) ^ 2 * ${M - 2})::int, 1 + floor(pg_temp.rnd(g, 6) * ${CATEGORIES.length})::int,
                   title, body, '<p>' || body || '</p>', status,
                   case when status = 'duplicate' then g - 1 - floor(pg_temp.rnd(g, 8) * least(g - 1, 50))::int end,
                   case when status <> 'new' then responded end,
                   case when status not in ('new', 'duplicate') then responded end,
                   moderation, case when moderation <> 'visible' then 'Flagged as spam.' end,
                   case when moderation <> 'visible' then responded end,
                   up, down, up - down, coalesce(c.n, 0), ${hotSql("(up - down)", "created")}, created, created
            from generate_series(1, ${n}::bigint) g
            cross join lateral (
              select pg_temp.idea_created(g) as created,
                     pg_temp.idea_created(g) + pg_temp.rnd(g, 9) * least(interval '30 days', pg_temp.now0() - pg_temp.idea_created(g)) as responded,
                     case when g = ${benchIdea} then 'planned'
                          when g = 1 then 'new'
                          else (array['new','new','new','new','new','under_review','under_review','planned','planned',
                                      'in_progress','adopted','adopted','declined','declined','declined','new',
                                      'new','new','new','under_review','duplicate'])[1 + floor(pg_temp.rnd(g, 10) * 21)::int]
                     end as status,
                     case when g = ${benchIdea} then 'visible'
                          else (case when pg_temp.rnd(g, 11) < 0.98 then 'visible' when pg_temp.rnd(g, 11) < 0.99 then 'pending'
                                     when pg_temp.rnd(g, 11) < 0.997 then 'hidden' else 'deleted' end)
                     end as moderation,
                     left(pg_temp.pick($1, g, 31) || ' '
                          || case when g % ${RARE_EVERY} = 123 then 'sourdough toast' else pg_temp.pick($2, g, 32) end
                          || coalesce(nullif(' ' || pg_temp.pick($3, g, 33), ' '), ''), 150) as title,
                     concat_ws(' ', pg_temp.pick($4, g, 34),
                               case when pg_temp.rnd(g, 20) < 0.5 then pg_temp.pick($5, g, 35) else pg_temp.pick($6, g, 36) end,
                               pg_temp.pick($6, g, 37),
                               case when pg_temp.rnd(g, 38) < 0.5 then pg_temp.pick($7, g, 39) end) as body
            ) x
            left join (select idea_id, count(*) filter (where value = 1)::int as up_n, count(*) filter (where value = -1)::int as down_n
                       from votes group by idea_id) v on v.idea_id = g
            left join (select idea_id, count(*) filter (where deleted_at is null)::int as n from comments group by idea_id) c on c.idea_id = g
            cross join lateral (select coalesce(v.up_n, 0) as up, coalesce(v.down_n, 0) as down) k`,
      params: [OPENERS, OBJECTS, QUALIFIERS, INTROS, COFFEE_LINES, DETAILS, CLOSINGS],
    },
    {
      // Authors follow their own ideas and voting follows by default (as the app does); 15% unfollowed.
      table: "idea_follows",
      sql: `insert into idea_follows (idea_id, member_id, created_at)
            select idea_id, member_id, created_at from votes where pg_temp.rnd(idea_id::bigint * 100003 + member_id, 50) < 0.85
            union all
            select id, author_id, created_at from ideas
            on conflict do nothing`,
    },
    {
      table: "idea_tags",
      sql: `insert into idea_tags (idea_id, tag_id)
            select g, 1 + floor(pg_temp.rnd(g, 60) * ${TAGS.length})::int from generate_series(1, ${n}::bigint) g where pg_temp.rnd(g, 61) < 0.25
            union
            select g, 1 + floor(pg_temp.rnd(g, 62) * ${TAGS.length})::int from generate_series(1, ${n}::bigint) g where pg_temp.rnd(g, 63) < 0.08`,
    },
    {
      // One official answer for every idea that left "new" (except merged duplicates), by a product manager.
      table: "official_responses",
      sql: `insert into official_responses (idea_id, author_id, from_status, to_status, body, body_html, decline_reason, created_at)
            select id, 6 + id % 7, 'new', status, r, '<p>' || r || '</p>',
                   case when status = 'declined' then 'not_planned' end, first_response_at
            from ideas
            cross join lateral (select ($1::text[])[case status when 'under_review' then 1 when 'planned' then 2
                                        when 'in_progress' then 3 when 'adopted' then 4 else 5 end] as r) x
            where status not in ('new', 'duplicate')`,
      params: [RESPONSES],
    },
  ];
  return { n, benchIdea, statements };
}

/** Identifies what a build wrote: the statements, the lists and the constants (not the clock). */
function seedVersion(plan: SeedPlan) {
  return createHash("sha256")
    .update(JSON.stringify({ statements: plan.statements, helpers: helperFunctions(plan.n, "T"), MEMBERS, hot: hotSql("s", "c") }))
    .digest("hex")
    .slice(0, 16);
}

const MARKER = "bench_dataset";
const TABLES = ["members", "categories", "tags", "ideas", "votes", "comments", "idea_follows", "idea_tags", "official_responses"];

export interface Dataset {
  size: SizeName;
  ideas: number;
  database: string;
  url: string;
  viewerId: number;
  voterId: number;
  benchIdeaId: number;
  categorySlug: string;
  /** Whether this run built it (false: an existing database was reused). */
  built: boolean;
  seedSeconds: number;
  verifySeconds: number;
  verification: Verification;
  version: string;
}

export function databaseUrl(adminUrl: string, database: string) {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function readMarker(adminUrl: string, database: string): Promise<Record<string, any> | null> {
  const exists = await withClient(adminUrl, async (c) =>
    (await c.query("select 1 from pg_database where datname = $1", [database])).rowCount === 1);
  if (!exists) return null;
  return withClient(databaseUrl(adminUrl, database), async (c) => {
    const table = await c.query("select to_regclass($1) as t", [MARKER]);
    if (!table.rows[0]?.t) return null;
    return (await c.query(`select * from ${MARKER}`)).rows[0] ?? null;
  });
}

/**
 * Makes sure the bench database of a size exists and matches this seeding code; builds it if not
 * (or if `rebuild`). Prints what it does and the verification of the counters.
 */
export async function ensureDataset(
  adminUrl: string,
  size: SizeName,
  options: { rebuild: boolean; log: (line: string) => void },
): Promise<Dataset> {
  const { ideas: n, database, reuse } = SIZES[size];
  const plan = seedPlan(n);
  const version = seedVersion(plan);
  const migrationNames = Object.keys(migrations).sort().join(",");
  const url = databaseUrl(adminUrl, database);
  const base = { size, ideas: n, database, url, viewerId: VIEWER_ID, voterId: VOTER_ID, benchIdeaId: plan.benchIdea, categorySlug: "drinks", version };

  const marker = options.rebuild || !reuse ? null : await readMarker(adminUrl, database);
  if (marker && marker.seed_version === version && marker.migrations === migrationNames && marker.ideas === n) {
    options.log(`${database}: reusing the ${n.toLocaleString("en")}-idea dataset built ${new Date(marker.built_at).toISOString()} (seed ${version}); --rebuild forces a new one`);
    const t = performance.now();
    // References were checked when it was built; since then only the apps (with foreign keys on) wrote to it.
    const verification = await verifyDataset(url, plan.benchIdea, { references: false });
    const verifySeconds = (performance.now() - t) / 1000;
    options.log(formatVerification(verification, verifySeconds));
    if (verification.problems.length === 0) {
      return { ...base, built: false, seedSeconds: 0, verifySeconds, verification };
    }
    options.log(`${database}: the reused dataset is not consistent; rebuilding it`);
  } else if (marker) {
    options.log(`${database}: exists but was built by other seeding code or migrations; rebuilding`);
  }

  const seedSeconds = await buildDataset(adminUrl, database, plan, version, migrationNames, options.log);
  const t = performance.now();
  const verification = await verifyDataset(url, plan.benchIdea);
  const verifySeconds = (performance.now() - t) / 1000;
  options.log(formatVerification(verification, verifySeconds));
  if (verification.problems.length) throw new Error(`${database}: the seeded data is not consistent: ${verification.problems.join("; ")}`);
  await withClient(url, (c) => c.query(`update ${MARKER} set verification = $1`, [JSON.stringify(verification)]));
  return { ...base, built: true, seedSeconds, verifySeconds, verification };
}

async function buildDataset(
  adminUrl: string,
  database: string,
  plan: SeedPlan,
  version: string,
  migrationNames: string,
  log: (line: string) => void,
): Promise<number> {
  const started = performance.now();
  if (!/^gs_bench_[a-z0-9]+$/.test(database)) throw new Error(`refusing to (re)create ${database}: not a bench database name`);
  await withClient(adminUrl, async (c) => {
    await c.query(`drop database if exists ${database} with (force)`);
    await c.query(`create database ${database}`);
  });
  const url = databaseUrl(adminUrl, database);

  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  try {
    await migrateToLatest(kysely);
  } finally {
    await kysely.destroy();
  }

  await withClient(url, async (c) => {
    const nowIso = new Date().toISOString();
    // Bulk-load settings for this session only; the tables stay ordinary logged tables.
    await c.query("set synchronous_commit = off");
    await c.query("set work_mem = '256MB'");
    await c.query("set maintenance_work_mem = '1GB'");
    await c.query("set max_parallel_maintenance_workers = 1");
    // Skip per-row foreign-key triggers while loading (the data is consistent by construction and
    // verifyDataset checks every reference afterwards).
    await c.query("set session_replication_role = replica");
    for (const f of helperFunctions(plan.n, nowIso)) await c.query(f);

    // Secondary indexes are dropped during the load and rebuilt from their own definitions after.
    const indexes = (await c.query<{ name: string; def: string }>(
      `select ic.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
       where t.relname = any($1) and t.relnamespace = 'public'::regnamespace
         and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
      [TABLES],
    )).rows;
    for (const ix of indexes) await c.query(`drop index ${ix.name}`);

    for (const s of plan.statements) {
      const t = performance.now();
      const r = await c.query(s.sql, s.params);
      log(`  ${s.table.padEnd(15)} ${String(r.rowCount ?? 0).padStart(10)} rows  ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    for (const table of ["members", "categories", "tags", "ideas", "comments", "official_responses"]) {
      await c.query(`select setval(pg_get_serial_sequence('${table}', 'id'), greatest((select max(id) from ${table}), 1))`);
    }
    let t = performance.now();
    for (const ix of indexes) await c.query(ix.def);
    log(`  ${indexes.length} secondary indexes rebuilt  ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await c.query("reset session_replication_role");
    t = performance.now();
    for (const table of TABLES) await c.query(`vacuum (analyze) ${table}`);
    log(`  vacuum analyze  ${((performance.now() - t) / 1000).toFixed(1)} s`);

    await c.query(`create table ${MARKER} (
      ideas integer not null, seed_version text not null, migrations text not null, bench_idea_id integer not null,
      built_at timestamptz not null, build_seconds real not null, verification jsonb)`);
    await c.query(`insert into ${MARKER} values ($1, $2, $3, $4, now(), $5, null)`, [
      plan.n, version, migrationNames, plan.benchIdea, (performance.now() - started) / 1000,
    ]);
  });
  const seconds = (performance.now() - started) / 1000;
  log(`${database}: built ${plan.n.toLocaleString("en")} ideas in ${seconds.toFixed(1)} s`);
  return seconds;
}

export interface Verification {
  counts: Record<string, number>;
  averages: Record<string, number>;
  statuses: Record<string, number>;
  moderation: Record<string, number>;
  search: Record<string, number>;
  /** Ideas whose stored counters or trending key disagree with the rows; orphans; each must be 0. */
  checks: Record<string, number>;
  problems: string[];
}

/** Checks that every stored counter matches the rows, and that every reference resolves. */
export async function verifyDataset(url: string, benchIdea: number, options = { references: true }): Promise<Verification> {
  return withClient(url, async (c) => {
    await c.query("set work_mem = '256MB'");
    const one = async (sql: string, params?: unknown[]) => (await c.query(sql, params)).rows[0] as Record<string, string>;
    const num = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]));
    const counts = num(await one(`select
      (select count(*) from ideas) as ideas, (select count(*) from members) as members, (select count(*) from votes) as votes,
      (select count(*) from comments) as comments, (select count(*) from idea_follows) as follows,
      (select count(*) from idea_tags) as idea_tags, (select count(*) from official_responses) as responses`));
    const averages = num(await one(`select round(avg(up_count + down_count), 2) as votes_per_idea, max(up_count + down_count) as max_votes,
      round(percentile_cont(0.5) within group (order by up_count + down_count)::numeric, 1) as median_votes,
      round(avg(comment_count), 2) as comments_per_idea, max(comment_count) as max_comments,
      round(avg(score), 2) as mean_score from ideas`));
    const groups = async (column: string) =>
      Object.fromEntries((await c.query(`select ${column} as k, count(*)::int as n from ideas group by 1 order by 2 desc`)).rows.map((r) => [r.k, r.n]));
    const statuses = await groups("status");
    const moderation = await groups("moderation");
    const search = num(await one(`select
      (select count(*) from ideas where search @@ websearch_to_tsquery('english', $1)) as rare,
      (select count(*) from ideas where search @@ websearch_to_tsquery('english', $2)) as common,
      (select count(*) from ideas where search @@ websearch_to_tsquery('english', '"' || $3 || '"')) as phrase,
      (select count(*) from ideas where search @@ websearch_to_tsquery('english', $3)) as words`,
      [SEARCH_WORDS.rare, SEARCH_WORDS.common, SEARCH_WORDS.phrase]));
    search.common_share = Math.round((search.common! / counts.ideas!) * 1000) / 1000;

    const checks = num(await one(`select
      count(*) filter (where i.up_count <> coalesce(v.up, 0)) as up_count_wrong,
      count(*) filter (where i.down_count <> coalesce(v.down, 0)) as down_count_wrong,
      count(*) filter (where i.score <> i.up_count - i.down_count) as score_wrong,
      count(*) filter (where i.comment_count <> coalesce(k.n, 0)) as comment_count_wrong,
      count(*) filter (where abs(i.trending - ${hotSql("i.score", "i.created_at")}) > 1e-6) as hot_wrong
      from ideas i
      left join (select idea_id, count(*) filter (where value = 1) as up, count(*) filter (where value = -1) as down from votes group by idea_id) v on v.idea_id = i.id
      left join (select idea_id, count(*) filter (where deleted_at is null) as n from comments group by idea_id) k on k.idea_id = i.id`));
    if (options.references) Object.assign(checks, num(await one(`select
      (select count(*) from votes v where not exists (select 1 from ideas i where i.id = v.idea_id)
                                      or not exists (select 1 from members m where m.id = v.member_id)) as orphan_votes,
      (select count(*) from comments c where not exists (select 1 from ideas i where i.id = c.idea_id)
                                         or not exists (select 1 from members m where m.id = c.author_id)) as orphan_comments,
      (select count(*) from comments c where c.parent_id is not null and not exists
         (select 1 from comments p where p.id = c.parent_id and p.idea_id = c.idea_id)) as replies_off_idea,
      (select count(*) from idea_follows f where not exists (select 1 from ideas i where i.id = f.idea_id)
                                             or not exists (select 1 from members m where m.id = f.member_id)) as orphan_follows,
      (select count(*) from ideas i where not exists (select 1 from members m where m.id = i.author_id)
                                     or (i.duplicate_of_id is not null and not exists (select 1 from ideas d where d.id = i.duplicate_of_id))) as orphan_ideas,
      (select count(*) from idea_tags t where not exists (select 1 from ideas i where i.id = t.idea_id)) as orphan_idea_tags`)));
    // The SQL formula against the app's own hotScore, on a sample.
    const sample = await c.query<{ score: number; created_at: Date; hot: number }>(
      "select score, created_at, trending as hot from ideas tablesample system (1) limit 2000");
    checks.hot_differs_from_app = sample.rows.filter((r) => Math.abs(trendingKey(r.score, new Date(r.created_at)) - r.hot) > 1e-6).length;
    const bench = num(await one("select comment_count, status = 'planned' and moderation = 'visible' as ok from ideas where id = $1", [benchIdea]));
    checks.bench_idea_not_50_comments = bench.comment_count === 50 && bench.ok ? 0 : 1;

    const problems = Object.entries(checks).filter(([, v]) => v !== 0).map(([k, v]) => `${k}: ${v}`);
    return { counts, averages, statuses, moderation, search, checks, problems };
  });
}

function formatVerification(v: Verification, seconds: number) {
  const list = (o: Record<string, number>) => Object.entries(o).map(([k, n]) => `${k} ${n.toLocaleString("en")}`).join(", ");
  return [
    `  rows: ${list(v.counts)}`,
    `  per idea: ${list(v.averages)}`,
    `  statuses: ${list(v.statuses)}; moderation: ${list(v.moderation)}`,
    `  search: '${SEARCH_WORDS.rare}' ${v.search.rare}, '${SEARCH_WORDS.common}' ${v.search.common} (${(v.search.common_share! * 100).toFixed(1)}%), ` +
      `"${SEARCH_WORDS.phrase}" ${v.search.phrase}, ${SEARCH_WORDS.phrase} ${v.search.words}`,
    `  consistency (${seconds.toFixed(1)} s): ${v.problems.length ? `FAILED ${v.problems.join(", ")}` : `all counters match the rows (${list(v.checks)})`}`,
  ].join("\n");
}

// ---- State the load phase needs, and undoing what it wrote ----

/** A lucia-style session id (25 random bytes, base32 lower case, as lucia's generateIdFromEntropySize(25)). */
function sessionId() {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = randomBytes(25);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** A fresh 30-day session for a member, inserted the way lucia stores one; returns the Cookie header value. */
export async function createSession(db: pg.Pool, memberId: number): Promise<string> {
  const id = sessionId();
  await db.query("delete from sessions where member_id = $1", [memberId]);
  await db.query("insert into sessions (id, member_id, expires_at) values ($1, $2, now() + interval '30 days')", [id, memberId]);
  return `gs_session=${id}`;
}

/** Ideas the vote load votes on: open for voting, visible, away from the front page. */
export async function voteTargets(db: pg.Pool, dataset: Dataset, count = 400): Promise<number[]> {
  const r = await db.query<{ id: number }>(
    `select id from ideas where status in ('new', 'under_review', 'planned', 'in_progress') and moderation = 'visible'
       and id > $1 and id <> $2 order by id limit $3`,
    [Math.floor(dataset.ideas / 3), dataset.benchIdeaId, count],
  );
  return r.rows.map((x) => x.id);
}

/**
 * Takes back every vote and follow of a member and recounts the ideas they touched, so the next
 * vote round starts from "no vote" everywhere and the counters match the rows again.
 */
export async function resetVoter(db: pg.Pool, memberId: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await resetVoterOnce(db, memberId);
    } catch (error) {
      // A request still in flight from the last run may hold an idea's lock: try again.
      if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function resetVoterOnce(db: pg.Pool, memberId: number): Promise<number> {
  const client = await db.connect();
  try {
    await client.query("begin");
    // Lock the ideas first, in id order, as castVote locks an idea before its vote row.
    await client.query(
      "select id from ideas where id in (select idea_id from votes where member_id = $1) order by id for update",
      [memberId],
    );
    const gone = await client.query<{ idea_id: number }>("delete from votes where member_id = $1 returning idea_id", [memberId]);
    await client.query("delete from idea_follows where member_id = $1", [memberId]);
    // One bench member casts thousands of votes a minute: the site's per-member limit (a
    // setting, 300 an hour by default) is raised to its maximum for the bench database,
    // and the voter's window emptied, so the vote rows measure votes, not refusals.
    await client.query(
      `insert into settings (key, value) values ('votes_per_hour', '100000'::jsonb)
       on conflict (key) do update set value = excluded.value`,
    );
    await client.query("delete from rate_limits where key like $1", [`%:member:${memberId}`]);
    const ids = gone.rows.map((r) => r.idea_id);
    if (ids.length) {
      await client.query(
        `update ideas i set up_count = c.up, down_count = c.down, score = c.up - c.down, trending = ${hotSql("(c.up - c.down)", "i.created_at")}
         from (select x.id, count(*) filter (where v.value = 1)::int as up, count(*) filter (where v.value = -1)::int as down
               from unnest($1::int[]) as x(id) left join votes v on v.idea_id = x.id group by x.id) c
         where i.id = c.id`,
        [ids],
      );
    }
    await client.query("commit");
    return ids.length;
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}
