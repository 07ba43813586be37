// Losing the database: two app processes under steady load while their
// connections are terminated and the PostgreSQL server is restarted or stopped.
// Figures are printed (ops: ...) for the record.
import { afterEach, describe, expect, it } from "vitest";
import { poll, sleep, startApp, steadyLoad, tallyStatuses, get, type AppProcess, type Answer } from "../support/app-process";
import { opsDatabase } from "../support/ops";

const PAGES = ["/", "/roadmap", "/?sort=new", "/in-action"];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function twoApps() {
  const database = await opsDatabase();
  cleanup.push(database.drop);
  const apps = await Promise.all([startApp(database.env), startApp(database.env)]);
  for (const app of apps) cleanup.push(app.kill);
  return { database, apps };
}

/** Milliseconds until every process answers a page with 200 again. */
async function untilServing(apps: AppProcess[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  await Promise.all(
    apps.map(async (app) => {
      for (;;) {
        const r = await get(app.base, "/", { timeoutMs: 5_000 });
        if (r.status === 200) return;
        if (Date.now() - started > timeoutMs) throw new Error(`not serving ${timeoutMs} ms after the database came back`);
        await sleep(50);
      }
    }),
  );
  return Date.now() - started;
}

const slowest = (answers: Answer[]) => Math.max(0, ...answers.map((a) => a.ms));
const figure = (line: string) => console.log(`ops: ${line}`);

function expectOnly200or503(answers: Answer[]) {
  const bad = answers.filter((a) => a.status !== 200 && a.status !== 503);
  expect(bad.map((a) => `${a.status || a.error} after ${a.ms} ms`), JSON.stringify(tallyStatuses(answers))).toEqual([]);
}

function expectFriendly503s(answers: Answer[]) {
  for (const a of answers.filter((x) => x.status === 503)) {
    expect(a.headers["retry-after"]).toMatch(/^\d+$/);
    expect(a.headers["content-type"]).toMatch(/text\/html/);
    expect(a.body).toContain("reach its database right now");
    expect(a.body).not.toMatch(/at .*\.js:\d+|Error:/); // no stack trace
  }
}

describe("losing database connections", () => {
  it("keeps both processes serving when every app connection is terminated (pg_terminate_backend)", async () => {
    const { database, apps } = await twoApps();
    const load = steadyLoad(apps, PAGES, 3);
    await sleep(1_500);
    let terminated = 0;
    for (let i = 0; i < 3; i++) {
      terminated += await database.terminateAppConnections();
      await sleep(700);
    }
    const lastTermination = Date.now();
    await sleep(3_000);
    const answers = await load.stop();

    expect(terminated).toBeGreaterThan(0);
    expect(apps.map((a) => a.alive())).toEqual([true, true]);
    expectOnly200or503(answers);
    expectFriendly503s(answers);
    // A second after the last termination, everything is served again, by both.
    const after = answers.filter((a) => a.started > lastTermination + 1_000);
    expect(after.length).toBeGreaterThan(20);
    expect(tallyStatuses(after)).toEqual({ 200: after.length });
    expect(new Set(after.map((a) => a.app))).toEqual(new Set([0, 1]));
    figure(`terminate: ${terminated} connections ended; ${answers.length} answers, ${answers.filter((a) => a.status === 503).length} were 503; slowest ${slowest(answers)} ms`);
  });

  it("answers 503 quickly during `pg_ctl restart -m fast` and serves again within seconds", async () => {
    const { database, apps } = await twoApps();
    const load = steadyLoad(apps, PAGES, 3);
    const health = poll(apps[0]!, "/healthz", 100);
    await sleep(1_500);
    const restartStarted = Date.now();
    await database.cluster.restart();
    const back = Date.now();
    const servingAfter = await untilServing(apps, 10_000);
    await sleep(1_000);
    const answers = await load.stop();
    const healthAnswers = await health.stop();

    expect(apps.map((a) => a.alive())).toEqual([true, true]);
    expectOnly200or503(answers);
    expectFriendly503s(answers);
    const duringOutage = answers.filter((a) => a.started >= restartStarted - 500 && a.started <= back + servingAfter);
    expect(slowest(duringOutage)).toBeLessThan(3_500);
    expect(servingAfter).toBeLessThan(5_000);
    expect(tallyStatuses(healthAnswers)).toEqual({ 200: healthAnswers.length });
    figure(
      `restart -m fast: server down and back in ${back - restartStarted} ms; slowest answer meanwhile ${slowest(duringOutage)} ms; ` +
        `${duringOutage.filter((a) => a.status === 503).length} of ${duringOutage.length} were 503; both serving 200 again ${servingAfter} ms after it was back`,
    );
  });

  it("answers 503 (readiness 503, liveness 200) while PostgreSQL is stopped for 5 s, then serves again within seconds", async () => {
    const { database, apps } = await twoApps();
    const load = steadyLoad(apps, PAGES, 3);
    const health = poll(apps[1]!, "/healthz", 100);
    const ready = poll(apps[1]!, "/readyz", 100);
    await sleep(1_500);
    const stopStarted = Date.now();
    await database.cluster.stop();
    const stopped = Date.now();
    await sleep(5_000);
    const startStarted = Date.now();
    await database.cluster.start();
    const back = Date.now();
    const servingAfter = await untilServing(apps, 10_000);
    await sleep(1_000);
    const answers = await load.stop();
    const [healthAnswers, readyAnswers] = await Promise.all([health.stop(), ready.stop()]);

    expect(apps.map((a) => a.alive())).toEqual([true, true]);
    expectOnly200or503(answers);
    expectFriendly503s(answers);
    // While it is down (give the processes a second to notice), every page is a 503, answered at once.
    const down = answers.filter((a) => a.started >= stopped + 1_000 && a.started + a.ms <= startStarted);
    expect(down.length).toBeGreaterThan(50);
    expect(tallyStatuses(down)).toEqual({ 503: down.length });
    expect(slowest(down)).toBeLessThan(1_000);
    const outage = answers.filter((a) => a.started >= stopStarted - 500 && a.started <= back + servingAfter);
    expect(slowest(outage)).toBeLessThan(3_500);
    expect(servingAfter).toBeLessThan(5_000);
    // Liveness never depends on the database; readiness says 503 while it is away.
    expect(tallyStatuses(healthAnswers)).toEqual({ 200: healthAnswers.length });
    const readyWhileDown = readyAnswers.filter((a) => a.started >= stopped + 1_000 && a.started + a.ms <= startStarted);
    expect(readyWhileDown.length).toBeGreaterThan(10);
    expect(tallyStatuses(readyWhileDown)).toEqual({ 503: readyWhileDown.length });
    expect(readyAnswers.at(-1)!.status).toBe(200);
    figure(
      `stop 5 s + start: ${down.length} answers while down, all 503, slowest ${slowest(down)} ms; slowest over the whole outage ${slowest(outage)} ms; ` +
        `both serving 200 again ${servingAfter} ms after the server was back (start took ${back - startStarted} ms)`,
    );
  });
});
