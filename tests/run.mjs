#!/usr/bin/env node
// `npm test`: every tier, in order. Unit, then integration on PGlite, then (when
// TEST_DATABASE_URL names a PostgreSQL server) integration on PostgreSQL, then a
// production build, the ops tests (real server processes on a private PostgreSQL
// cluster and on PGlite: lost connections, restarts, shutdown) and the end-to-end
// tests in Chromium on each database.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import pg from "pg";

const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(`Groundswell needs Node 24 or newer; this is ${process.version}. Run it through npm (npm test),
which puts the project's own Node (node_modules/.bin/node, from npm install) first on PATH.`);
  process.exit(2);
}

const pgUrl = process.env.TEST_DATABASE_URL;
const results = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
mkdirSync("tests/.tmp", { recursive: true });

/** Adds the counts a runner wrote to its JSON report. */
function tally(file, kind) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (kind === "vitest") {
    counts.passed += report.numPassedTests;
    counts.failed += report.numFailedTests;
    counts.skipped += report.numPendingTests + report.numTodoTests;
  } else {
    counts.passed += report.stats.expected + report.stats.flaky;
    counts.failed += report.stats.unexpected;
    counts.skipped += report.stats.skipped;
  }
  rmSync(file);
}

const vitest = (project, report) => [
  "vitest", "run", "--config", "tests/vitest.config.ts", "--project", project,
  "--reporter=default", "--reporter=json", `--outputFile.json=${report}`,
];
const playwright = ["playwright", "test", "--config", "tests/e2e/playwright.config.ts"];

function run(name, command, args, env = {}, report) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name, ok: r.status === 0, seconds });
  if (report) tally(report.file, report.kind);
  return r.status === 0;
}

/**
 * A fresh database for the end-to-end run, deployed as in production (README,
 * Deploying): owned by `<name>_owner`, which migrates, and served by the
 * unprivileged `<name>_app`. Returns both URLs and a function that drops all three.
 */
async function freshDeployment(url, name) {
  const roles = { owner: `${name}_owner`, app: `${name}_app` };
  const password = randomUUID();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const drop = async (client) => {
    await client.query(`drop database if exists "${name}" with (force)`);
    for (const role of Object.values(roles)) await client.query(`drop role if exists "${role}"`);
  };
  await drop(admin);
  for (const role of Object.values(roles)) await admin.query(`create role "${role}" login password '${password}'`);
  await admin.query(`create database "${name}" owner "${roles.owner}"`);
  await admin.end();
  const as = (role) => {
    const u = new URL(url);
    u.pathname = `/${name}`;
    u.username = role;
    u.password = password;
    return u.toString();
  };
  return {
    appUrl: as(roles.app),
    ownerUrl: as(roles.owner),
    async drop() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await drop(c).finally(() => c.end());
    },
  };
}

const only = process.argv[2]; // optional: unit | integration | ops | e2e
const want = (tier) => !only || only === tier;

const V = (file) => ({ file, kind: "vitest" });
const P = (file) => ({ file, kind: "playwright" });
// Playwright resolves a relative report path against its config's folder: pass it absolute.
const E2E_PGLITE_REPORT = resolve("tests/.tmp/e2e-pglite.json");
const E2E_PG_REPORT = resolve("tests/.tmp/e2e-pg.json");

if (want("unit")) run("unit", "npx", vitest("unit", "tests/.tmp/unit.json"), {}, V("tests/.tmp/unit.json"));
if (want("integration")) {
  run("integration (PGlite)", "npx", vitest("integration", "tests/.tmp/int-pglite.json"), { TEST_DATABASE_URL: "" }, V("tests/.tmp/int-pglite.json"));
  if (pgUrl) {
    run("integration (PostgreSQL)", "npx", vitest("integration", "tests/.tmp/int-pg.json"), {}, V("tests/.tmp/int-pg.json"));
  }
}
if ((want("ops") || want("e2e")) && run("build", "npx", ["remix", "build"])) {
  // The ops tier makes its own PostgreSQL cluster (it restarts it); it needs no TEST_DATABASE_URL.
  if (want("ops")) run("ops (server processes)", "npx", vitest("ops", "tests/.tmp/ops.json"), {}, V("tests/.tmp/ops.json"));
  if (want("e2e")) {
    rmSync("tests/.tmp/e2e-pglite", { recursive: true, force: true });
    run("e2e (PGlite)", "npx", playwright, { E2E_DATABASE_URL: "", E2E_MIGRATION_DATABASE_URL: "", PLAYWRIGHT_JSON_OUTPUT_NAME: E2E_PGLITE_REPORT }, P(E2E_PGLITE_REPORT));
    if (pgUrl) {
      // The server serves as an unprivileged app role and migrates as the owner, as deployed.
      // E2E_PG_DATABASE names the database (and its two roles): several people can share one server.
      const deployment = await freshDeployment(pgUrl, process.env.E2E_PG_DATABASE || "gs_e2e");
      run(
        "e2e (PostgreSQL, app role)",
        "npx",
        playwright,
        { E2E_DATABASE_URL: deployment.appUrl, E2E_MIGRATION_DATABASE_URL: deployment.ownerUrl, PLAYWRIGHT_JSON_OUTPUT_NAME: E2E_PG_REPORT },
        P(E2E_PG_REPORT),
      );
      await deployment.drop();
    }
  }
}

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds}s)`);
const failedTiers = results.filter((r) => !r.ok).length;
console.log(`${results.length - failedTiers} of ${results.length} steps passed; ${counts.skipped} tests skipped`);
// Every tier's test count, on the closing line (a failed step with no report still fails the run).
console.log(`${counts.passed} passed, ${counts.failed + (failedTiers && !counts.failed ? 1 : 0)} failed`);
process.exit(failedTiers ? 1 : 0);
