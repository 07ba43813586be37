// `npm run bench [-- --size 10k|1m|both] [--quick] [--rebuild] [--skip-load]`
//
// Measures Groundswell against a bare reference app (tests/bench/bare: the smallest Remix 2 +
// kysely + Express app shaped like ours) on the same PostgreSQL database, same machine, same run:
//   1. seeds (or reuses) 10,000 and 1,000,000 ideas on BENCH_DATABASE_URL and verifies the counters
//   2. builds both apps and starts each as `node <bundle>` in production mode
//   3. load: wrk -t2 -c32 in interleaved rounds (bare, Groundswell, bare, …) for the anonymous front
//      page (repeated, and uncached), the signed-in front page, the idea page and a vote POST,
//      with Node CPU per request, PostgreSQL backend CPU per request and resident memory
//   4. sizes: HTML (raw, gzip as sent, gzip -9) and the front page's JavaScript
//   5. queries: sequential p50/p99 of the lists, search and similar ideas through HTTP
// then prints one table of figures, ratios and goals (also tests/.tmp/bench-report.md and .json).
// Not part of `npm test`; it asserts no timing. It only creates and drops gs_bench_* databases.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { resolve } from "node:path";
import pg from "pg";
import {
  DEFAULT_ADMIN_URL, SEARCH_WORDS, SIZES, createSession, ensureDataset, resetVoter, verifyDataset, voteTargets,
  type Dataset, type SizeName,
} from "./dataset";
import { get, nextLink, pageSize, scriptSize, timeRequests, type PageSize, type ScriptSize, type Timing } from "./http";
import { CONNECTIONS, THREADS, ensureWrk, quiesce, scenario, type Request, type ScenarioResult } from "./load";
import { fmt, goalsLine, phasesTable, resultsTable, type Phase, type Row } from "./report";
import { ROOT, TMP, buildApps, startServer, type RunningServer, type Target } from "./servers";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(`The benchmark runs on the project's Node 24 (this is ${process.version}): use npm run bench.`);
  process.exit(2);
}

// ---- options ----
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const sizeArg = option("--size") ?? "both";
if (!["10k", "1m", "both"].includes(sizeArg)) {
  console.error("--size is 10k, 1m or both");
  process.exit(2);
}
const sizes: SizeName[] = sizeArg === "both" ? ["10k", "1m"] : [sizeArg as SizeName];
const quick = flag("--quick");
const rebuild = flag("--rebuild");
// Only sizes, queries and the side-by-side lists (no wrk load): a quick re-measure of the queries.
const skipLoad = flag("--skip-load");
const ROUNDS = Number(option("--rounds") ?? 4);
const SECONDS = Number(option("--seconds") ?? (quick ? 3 : 10));
const WARM_SECONDS = quick ? 1 : 3;
const QUERY = quick
  ? { count: 50, warmup: 2, budgetSeconds: 8, timeoutMs: 15_000 }
  : { count: 200, warmup: 5, budgetSeconds: 30, timeoutMs: 15_000 };
const adminUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
const basePort = Number(process.env.BENCH_PORT ?? 3201);

// Goals (from the issue), as ratios to the bare app where they are relative.
const GOALS = {
  anonCached: 2,
  anonUncached: 1,
  signedIn: 1,
  ideaPage: 1,
  vote: 1,
  frontPageKb: 25,
  ideaPageKb: 60,
  scriptKbGzip: 100,
  rssMb: 300,
  queryP99Ms: 50,
  /** Lists are "flat" when p50 at 1M is at most 1.5× p50 at 10k (or within 3 ms of it: noise). */
  flatFactor: 1.5,
  flatSlackMs: 3,
};

const log = (line: string) => console.log(line);
const phases: Phase[] = [];
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const loadStart = loadavg();
  const t = performance.now();
  log(`\n=== ${name} (load average ${loadStart.map((x) => x.toFixed(2)).join(" ")}) ===`);
  try {
    return await work();
  } finally {
    const seconds = (performance.now() - t) / 1000;
    phases.push({ name, seconds, loadStart, loadEnd: loadavg() });
    log(`--- ${name}: ${seconds.toFixed(1)} s`);
  }
}

interface SizeResult {
  dataset: Dataset;
  scenarios: Record<string, ScenarioResult & { goal: number; cpuGoal: boolean; versus: string }>;
  pages: Record<string, { bare?: PageSize; app: PageSize }>;
  scripts: Record<Target, ScriptSize>;
  queries: Timing[];
  afterLoad: { problems: string[] };
}

interface ScenarioSpec {
  key: string;
  name: string;
  goal: number;
  /** What the bare app serves for the comparison, when it is not the same page. */
  versus?: string;
  /** Whether Node CPU per request is judged against the bare page (pages, not the vote). */
  cpuGoal: boolean;
  requests: Record<Target, Request>;
  beforeEach?: () => Promise<void>;
}

async function expectStatus(what: string, work: Promise<{ status: number; body: Buffer }>, status: number, contains?: string) {
  const r = await work;
  if (r.status !== status) throw new Error(`preflight: ${what} answered ${r.status}, expected ${status}:\n${r.body.toString().slice(0, 500)}`);
  if (contains && !r.body.toString().includes(contains)) log(`  warning: ${what} does not show "${contains}"`);
}

async function runSize(size: SizeName): Promise<SizeResult> {
  const dataset = await phase(`seed ${size}`, () => ensureDataset(adminUrl, size, { rebuild, log }));
  const admin = new pg.Pool({ connectionString: dataset.url, max: 3 });
  const servers: Partial<Record<Target, RunningServer>> = {};
  try {
    const viewer = await createSession(admin, dataset.viewerId);
    const voter = await createSession(admin, dataset.voterId);
    const ideas = await voteTargets(admin, dataset);
    await resetVoter(admin, dataset.voterId);

    await phase(`start servers ${size}`, async () => {
      servers.app = await startServer("app", dataset.url, basePort);
      servers.bare = await startServer("bare", dataset.url, basePort + 1);
      log(`  Groundswell pid ${servers.app.pid} on ${servers.app.origin}, bare pid ${servers.bare.pid} on ${servers.bare.origin}`);
    });
    const app = servers.app!;
    const bare = servers.bare!;
    const ideaPath = `/ideas/${dataset.benchIdeaId}`;

    // Each target answers as the benchmark assumes before anything is timed.
    const vote = (s: RunningServer) =>
      get(`${s.origin}/ideas/${ideas[0]}`, {
        Cookie: voter, Origin: s.origin, "Content-Type": "application/x-www-form-urlencoded",
      }, 15_000, "POST", "intent=vote&value=up&returnTo=%2F");
    for (const s of [bare, app]) {
      await expectStatus(`${s.target} GET /`, get(`${s.origin}/`), 200);
      await expectStatus(`${s.target} GET /?nocache=1`, get(`${s.origin}/?nocache=1`, { "Cache-Control": "no-cache" }), 200);
      await expectStatus(`${s.target} GET / signed in`, get(`${s.origin}/`, { Cookie: viewer }), 200, s.target === "app" ? "Bench Viewer" : "Signed in.");
      await expectStatus(`${s.target} vote`, vote(s), 302);
      await resetVoter(admin, dataset.voterId);
    }
    await expectStatus(`app GET ${ideaPath} signed in`, get(`${app.origin}${ideaPath}`, { Cookie: viewer }), 200, "Bench Viewer");

    const front: Request = { path: "/", mode: "get" };
    const signedIn: Request = { path: "/", mode: "get", cookie: viewer };
    const specs: ScenarioSpec[] = [
      { key: "anon", name: "anonymous front page", goal: GOALS.anonCached, cpuGoal: true, requests: { bare: front, app: front } },
      {
        key: "anonUncached", name: "anonymous front page, uncached", goal: GOALS.anonUncached, cpuGoal: true,
        requests: { bare: { path: "/", mode: "unique" }, app: { path: "/", mode: "unique" } },
      },
      { key: "signedIn", name: "signed-in front page", goal: GOALS.signedIn, cpuGoal: true, requests: { bare: signedIn, app: signedIn } },
      {
        key: "idea", name: "idea page, 50 comments, signed in", versus: "bare signed-in front page", goal: GOALS.ideaPage, cpuGoal: true,
        requests: { bare: signedIn, app: { path: ideaPath, mode: "get", cookie: viewer } },
      },
      {
        key: "vote", name: "vote, POST → 302", goal: GOALS.vote, cpuGoal: false,
        requests: { bare: { path: "/", mode: "vote", cookie: voter, ideas }, app: { path: "/", mode: "vote", cookie: voter, ideas } },
        beforeEach: async () => void (await resetVoter(admin, dataset.voterId)),
      },
    ];
    const scenarios: SizeResult["scenarios"] = {};
    if (!skipLoad) await phase(`load ${size}`, async () => {
      log(`  wrk -t${THREADS} -c${CONNECTIONS}, ${ROUNDS} rounds of ${SECONDS} s per server, interleaved, after ${WARM_SECONDS} s of warm-up each`);
      for (const s of specs) {
        const result = await scenario(s.name, { bare, app }, s.requests, {
          rounds: ROUNDS, seconds: SECONDS, warmSeconds: WARM_SECONDS, admin, database: dataset.database, short: s.key.padEnd(12),
          beforeEach: s.beforeEach, log,
        });
        scenarios[s.key] = { ...result, goal: s.goal, cpuGoal: s.cpuGoal, versus: s.versus ?? "bare" };
      }
      await quiesce(admin, dataset.database);
      await resetVoter(admin, dataset.voterId);
    });

    const pages: SizeResult["pages"] = {};
    let scripts: SizeResult["scripts"] | undefined;
    await phase(`sizes ${size}`, async () => {
      pages.frontAnon = { bare: await pageSize(`${bare.origin}/`), app: await pageSize(`${app.origin}/`) };
      pages.frontSignedIn = { bare: await pageSize(`${bare.origin}/`, viewer), app: await pageSize(`${app.origin}/`, viewer) };
      pages.idea = { app: await pageSize(`${app.origin}${ideaPath}`, viewer) };
      const shown = (pages.idea.app.html.match(/\bid="comment-\d+"/g) ?? []).length;
      log(`  idea page ${ideaPath}: ${shown} elements with id="comment-…" (the idea has 50 comments)`);
      scripts = {
        bare: await scriptSize(bare.origin, pages.frontAnon.bare!.html),
        app: await scriptSize(app.origin, pages.frontAnon.app.html),
      };
      for (const [k, v] of Object.entries(pages)) {
        log(`  ${k}: ${v.bare ? `bare ${fmt.kb(v.bare.raw)} KB, ` : ""}Groundswell ${fmt.kb(v.app.raw)} KB raw, ${fmt.kb(v.app.gzipAsSent)} KB gzip as sent, ${fmt.kb(v.app.gzipBest)} KB gzip -9`);
      }
      log(`  front page JavaScript: bare ${scripts.bare.files} files ${fmt.kb(scripts.bare.gzipAsSent)} KB gzip, Groundswell ${scripts.app.files} files ${fmt.kb(scripts.app.gzipAsSent)} KB gzip`);
    });

    const queries: Timing[] = [];
    await phase(`queries ${size}`, async () => {
      const { rare, common, phrase } = SEARCH_WORDS;
      const q = (s: string) => `/?q=${encodeURIComponent(s)}`;
      const similar = (s: string) => `/ideas/similar?title=${encodeURIComponent(s)}`;
      const cases: [string, string | null][] = [
        ...listCases(dataset.categorySlug, pages.frontAnon!.app.html),
        [`search: rare word '${rare}'`, q(rare)],
        [`search: common word '${common}'`, q(common)],
        [`search: phrase '"${phrase}"'`, q(`"${phrase}"`)],
        [`search: words '${phrase}'`, q(phrase)],
        [`similar: rare word 'Sourdough toast please'`, similar("Sourdough toast please")],
        [`similar: common word 'Better coffee'`, similar("Better coffee")],
        [`similar: phrase 'Offer oat milk at every store'`, similar("Offer oat milk at every store")],
      ];
      for (const [name, path] of cases) {
        if (!path) {
          log(`  ${name}: no rel="next" link on the front page; skipped`);
          continue;
        }
        const [t] = await timeRequests(name, [{ origin: app.origin, path }], {
          ...QUERY, afterTimeout: () => quiesce(admin, dataset.database, 60_000),
        });
        if (!t) continue;
        queries.push(t);
        log(`  ${name.padEnd(48)} n ${String(t.n).padStart(3)}  p50 ${fmt.ms(t.p50).padStart(7)} ms  p99 ${fmt.ms(t.p99).padStart(7)} ms` +
          `${t.timeouts ? `  timeouts ${t.timeouts}` : ""}${t.badStatus ? `  unexpected status ${t.badStatus}` : ""}`);
      }
    });

    const afterLoad = await phase(`verify after ${size}`, async () => {
      const v = await verifyDataset(dataset.url, dataset.benchIdeaId, { references: false });
      log(`  counters ${v.problems.length ? `DO NOT match the rows: ${v.problems.join(", ")}` : "still match the rows"} after the vote load`);
      return { problems: v.problems };
    });
    return { dataset, scenarios, pages, scripts: scripts!, queries, afterLoad };
  } finally {
    await servers.app?.stop();
    await servers.bare?.stop();
    await admin.end();
  }
}

/** The list requests: each sort, a filter, and page 2 through the page's own rel="next" link. */
function listCases(categorySlug: string, frontPageHtml: string): [string, string | null][] {
  return [
    ["list: trending", "/"],
    ["list: top, all time", "/?sort=top"],
    ["list: top, this week", "/?sort=top&period=week"],
    ["list: new", "/?sort=new"],
    ["list: most discussed", "/?sort=discussed"],
    [`list: category '${categorySlug}'`, `/?category=${categorySlug}`],
    ["list: status planned", "/?status=planned"],
    ["list: trending, page 2 (cursor link)", nextLink(frontPageHtml)],
  ];
}

/**
 * The lists at 10k and at 1M, with a Groundswell process on each database, requests alternating
 * between them: whether the lists stay flat is then read from one stretch of time.
 */
async function listsSideBySide(small: Dataset, large: Dataset): Promise<[Timing, Timing][]> {
  const servers: RunningServer[] = [];
  try {
    servers.push(await startServer("app", small.url, basePort + 2));
    servers.push(await startServer("app", large.url, basePort + 3));
    const [a, b] = servers as [RunningServer, RunningServer];
    const casesA = listCases(small.categorySlug, (await get(`${a.origin}/`)).body.toString());
    const casesB = listCases(large.categorySlug, (await get(`${b.origin}/`)).body.toString());
    const out: [Timing, Timing][] = [];
    for (const [i, [name, pathA]] of casesA.entries()) {
      const pathB = casesB[i]![1];
      if (!pathA || !pathB) continue;
      const [ta, tb] = await timeRequests(name, [{ origin: a.origin, path: pathA }, { origin: b.origin, path: pathB }], QUERY);
      out.push([ta!, tb!]);
      log(`  ${name.padEnd(40)} 10k p50 ${fmt.ms(ta!.p50).padStart(6)} p99 ${fmt.ms(ta!.p99).padStart(6)} ms | ` +
        `1M p50 ${fmt.ms(tb!.p50).padStart(6)} p99 ${fmt.ms(tb!.p99).padStart(6)} ms`);
    }
    return out;
  } finally {
    for (const s of servers) await s.stop();
  }
}

// ---- the table ----
function rowsFor(size: SizeName, r: SizeResult): Row[] {
  const rows: Row[] = [];
  const sc = r.scenarios;
  for (const s of Object.values(sc)) {
    const b = s.summary.bare;
    const a = s.summary.app;
    const errors = b.errors + a.errors ? `, errors: bare ${b.errors}, Groundswell ${a.errors}` : "";
    const load = `load ${s.loadRange[0].toFixed(1)}–${s.loadRange[1].toFixed(1)}`;
    rows.push({
      size, measure: `${s.name}: requests/s (${load}${errors})`, bare: fmt.rps(b.rps), app: fmt.rps(a.rps), ratio: fmt.ratio(s.ratio),
      p50: `${fmt.ms(b.p50)} / ${fmt.ms(a.p50)}`, p99: `${fmt.ms(b.p99)} / ${fmt.ms(a.p99)}`,
      goal: `≥ ${s.goal}× ${s.versus}`, met: s.ratio >= s.goal,
    });
    rows.push({
      size, measure: `${s.name}: Node CPU ms/request (PostgreSQL backends)`,
      bare: `${b.cpuPerRequest.toFixed(2)} (${b.pgCpuPerRequest.toFixed(2)})`, app: `${a.cpuPerRequest.toFixed(2)} (${a.pgCpuPerRequest.toFixed(2)})`,
      ratio: fmt.ratio(s.cpuRatio), goal: s.cpuGoal ? `≤ 1× ${s.versus}` : "", met: s.cpuGoal ? s.cpuRatio <= 1 : null,
    });
  }
  const rssBare = Math.max(...Object.values(sc).map((s) => s.summary.bare.rssMaxMb));
  const rssApp = Math.max(...Object.values(sc).map((s) => s.summary.app.rssMaxMb));
  if (Object.keys(sc).length) rows.push({ size, measure: "RSS of one process under load, max MB", bare: rssBare.toFixed(0), app: rssApp.toFixed(0), ratio: fmt.ratio(rssApp / rssBare), goal: `≤ ${GOALS.rssMb} MB`, met: rssApp <= GOALS.rssMb });

  const sizeCell = (p: PageSize) => `${fmt.kb(p.raw)} / ${fmt.kb(p.gzipAsSent)} / ${fmt.kb(p.gzipBest)}`;
  const pageRow = (measure: string, p: { bare?: PageSize; app: PageSize }, goalKb: number) => ({
    size, measure: `${measure}, KB raw / gzip as sent / gzip -9`, bare: p.bare ? sizeCell(p.bare) : "", app: sizeCell(p.app),
    ratio: p.bare ? fmt.ratio(p.app.raw / p.bare.raw) : "", goal: `≤ ${goalKb} KB raw`, met: p.app.raw <= goalKb * 1024,
  });
  rows.push(pageRow("front page HTML, anonymous", r.pages.frontAnon!, GOALS.frontPageKb));
  rows.push(pageRow("front page HTML, signed in", r.pages.frontSignedIn!, GOALS.frontPageKb));
  rows.push(pageRow("idea page HTML, 50 comments, signed in", r.pages.idea!, GOALS.ideaPageKb));
  const js = (s: ScriptSize) => `${fmt.kb(s.gzipAsSent)} (${s.files} files, ${fmt.kb(s.raw)} raw)`;
  rows.push({
    size, measure: "front page JavaScript, KB gzip as sent", bare: js(r.scripts.bare), app: js(r.scripts.app),
    ratio: fmt.ratio(r.scripts.app.gzipAsSent / r.scripts.bare.gzipAsSent), goal: `≤ ${GOALS.scriptKbGzip} KB gzip`,
    met: r.scripts.app.gzipAsSent <= GOALS.scriptKbGzip * 1024,
  });

  for (const t of r.queries) {
    const judged = size === "1m" && (t.name.startsWith("search") || t.name.startsWith("similar"));
    const notes = [t.timeouts ? `${t.timeouts} timeouts` : "", t.badStatus ? `${t.badStatus} bad status` : ""].filter(Boolean).join(", ");
    rows.push({
      size, measure: `${t.name} (n ${t.n}${notes ? `, ${notes}` : ""})`, app: t.bytes ? `${fmt.kb(t.bytes)} KB` : "",
      p50: fmt.ms(t.p50), p99: fmt.ms(t.p99),
      goal: judged ? `p99 ≤ ${GOALS.queryP99Ms} ms` : "", met: judged ? t.p99 <= GOALS.queryP99Ms && t.badStatus === 0 : null,
    });
  }
  if (r.afterLoad.problems.length) {
    rows.push({ size, measure: `counters after the load: ${r.afterLoad.problems.join(", ")}`, goal: "match the rows", met: false });
  }
  return rows;
}

function flatRows(pairs: [Timing, Timing][]): Row[] {
  return pairs.map(([s, t]) => {
    const limit = Math.max(s.p50 * GOALS.flatFactor, s.p50 + GOALS.flatSlackMs);
    return {
      size: "10k → 1m", measure: `${t.name}, side by side (n ${s.n} + ${t.n}): p50 at 1M / p50 at 10k`, ratio: fmt.ratio(t.p50 / s.p50),
      p50: `${fmt.ms(s.p50)} → ${fmt.ms(t.p50)}`, p99: `${fmt.ms(s.p99)} → ${fmt.ms(t.p99)}`,
      goal: `flat (≤ ${GOALS.flatFactor}× or +${GOALS.flatSlackMs} ms)`, met: t.p50 <= limit && s.badStatus + t.badStatus === 0,
    } satisfies Row;
  });
}

function machine() {
  const git = (args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  };
  return {
    date: new Date().toISOString(),
    commit: `${git(["rev-parse", "--short", "HEAD"])} (${git(["rev-parse", "--abbrev-ref", "HEAD"])})${git(["status", "--porcelain", "--", "app", "db"]) ? ", app/ or db/ modified" : ""}`,
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}

// ---- main ----
const started = performance.now();
mkdirSync(TMP, { recursive: true });
ensureWrk(log);
const pgVersion = await (async () => {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return String((await c.query("show server_version")).rows[0].server_version);
  } finally {
    await c.end();
  }
})();
log(`Groundswell benchmark: sizes ${sizes.join(", ")}${quick ? " (quick)" : ""}; PostgreSQL ${pgVersion} at ${new URL(adminUrl).host}; databases ${sizes.map((s) => SIZES[s].database).join(", ")}`);
await phase("build", async () => buildApps(log));

const results: Partial<Record<SizeName, SizeResult>> = {};
for (const size of sizes) results[size] = await runSize(size);
const flat = results["10k"] && results["1m"]
  ? await phase("lists 10k vs 1m, side by side", () => listsSideBySide(results["10k"]!.dataset, results["1m"]!.dataset))
  : [];

const rows: Row[] = [];
for (const size of sizes) rows.push(...rowsFor(size, results[size]!));
rows.push(...flatRows(flat));

const info = machine();
const seeding = sizes.map((s) => {
  const d = results[s]!.dataset;
  return `${s}: ${d.built ? `built in ${d.seedSeconds.toFixed(0)} s` : "reused"}, verified in ${d.verifySeconds.toFixed(1)} s ` +
    `(${d.verification.counts.ideas!.toLocaleString("en")} ideas, ${d.verification.counts.votes!.toLocaleString("en")} votes, ` +
    `${d.verification.counts.comments!.toLocaleString("en")} comments, ${d.verification.counts.members!.toLocaleString("en")} members; counters match the rows)`;
});
const header = [
  `Groundswell benchmark, ${info.date}, commit ${info.commit}`,
  `machine: ${info.cpu}, ${info.memoryGb} GiB, Node ${info.node}, PostgreSQL ${pgVersion}; load ${quick ? "--quick: " : ""}wrk -t${THREADS} -c${CONNECTIONS}, ${ROUNDS} interleaved rounds of ${SECONDS} s per server (medians; ratio = median of per-round Groundswell/bare)`,
  `seeding: ${seeding.join("; ")}`,
  `total ${((performance.now() - started) / 60_000).toFixed(1)} min`,
].join("\n");
const table = resultsTable(rows);
const phaseTable = phasesTable(phases);
const legend = [
  "Load rows: p50/p99 are latency under load, bare / Groundswell (medians of the rounds); ratio is Groundswell / bare",
  "(median of the per-round ratios); load is the 1-minute load average at the start of the rounds. CPU rows: user + system",
  "CPU of the server process per request, PostgreSQL backend CPU per request in parentheses. Size rows: KB raw / gzip as",
  "sent (Accept-Encoding: gzip) / gzip -9 of the raw HTML. Query rows: one request at a time, anonymous, past the page cache (Cache-Control: no-cache), Groundswell only",
  "(its column: response size). 10k → 1m rows: a Groundswell process on each database, requests alternating between them.",
].join("\n");
const text = `${header}\n\n${table}\n\n${goalsLine(rows)}\n\n${legend}\n\n${phaseTable}\n`;
log(`\n${text}`);

const reportMd = resolve(TMP, "bench-report.md");
const reportJson = resolve(TMP, "bench-report.json");
writeFileSync(reportMd, text);
const json = {
  ...info, pgVersion, sizes, quick, rounds: ROUNDS, seconds: SECONDS, goals: GOALS, rows, phases, flat,
  results: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, {
    ...v,
    pages: Object.fromEntries(Object.entries(v.pages).map(([p, s]) => [p, {
      bare: s.bare && { ...s.bare, html: undefined }, app: { ...s.app, html: undefined },
    }])),
  }])),
};
writeFileSync(reportJson, JSON.stringify(json, null, 2));
log(`written: ${reportMd}, ${reportJson}`);
