import { sql } from "kysely";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { listIdeas } from "../../app/models/ideas/ideas.server";
import { listQuerySchema } from "../../app/models/ideas/schemas.server";
import { findSimilarIdeas } from "../../app/models/pipeline/merges.server";
import {
  QUERY_TIMEOUT_MS,
  QueryBudgetExceeded,
  configureQueryBudget,
  queryBudgetState,
  withQueryBudget,
} from "../../app/models/shared/query-budget.server";
import { onPostgres, useTestDatabase, type TestDatabase } from "../support/db";
import { makeIdea, makeMember } from "../support/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
  configureQueryBudget({ concurrent: t.poolSize / 2, cancel: t.cancelBackend });
});
afterEach(() => configureQueryBudget({ concurrent: t.poolSize / 2 }));

// A transaction held open for a while from JavaScript (PGlite's pg_sleep does not wait).
const holdFor = (ms: number) => async (trx: TestDatabase["db"]) => {
  await sql`select 1`.execute(trx);
  await new Promise((r) => setTimeout(r, ms));
  return queryBudgetState();
};

const sleeping = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(%' and state = 'active' and pid <> pg_backend_pid()`.execute(t.db)).rows[0]!.n;

describe("queries on a budget (search, similar ideas)", () => {
  it("runs the work in a transaction with the kind's statement timeout", async () => {
    const setting = await withQueryBudget(t.db, "search", {}, async (trx) =>
      (await sql<{ s: string }>`select current_setting('statement_timeout') as s`.execute(trx)).rows[0]!.s,
    );
    expect(setting).toBe(`${QUERY_TIMEOUT_MS.search / 1000}s`);
    // Only inside: the pool's connections keep their own setting.
    const outside = (await sql<{ s: string }>`select current_setting('statement_timeout') as s`.execute(t.db)).rows[0]!.s;
    expect(outside).not.toBe(`${QUERY_TIMEOUT_MS.search / 1000}s`);
  });

  it.runIf(onPostgres())("turns a statement that outlives its timeout into a 503, not a 500", async () => {
    const started = Date.now();
    const error = await withQueryBudget(t.db, "similar", {}, (trx) => sql`select pg_sleep(5)`.execute(trx)).catch((e) => e);
    expect(error).toBeInstanceOf(QueryBudgetExceeded);
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/took too long/);
    expect(Date.now() - started).toBeLessThan(QUERY_TIMEOUT_MS.similar + 1_500);
  });

  it.runIf(onPostgres())("cancels the statement in PostgreSQL when the visitor goes away", async () => {
    const abort = new AbortController();
    const started = Date.now();
    const running = withQueryBudget(t.db, "search", { signal: abort.signal }, (trx) => sql`select pg_sleep(1.5)`.execute(trx)).catch((e) => e);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sleeping()).toBe(1);
    abort.abort();
    const error = await running;
    expect(error).toBeInstanceOf(QueryBudgetExceeded);
    expect(error.message).toMatch(/cancelled/);
    // Well before the statement would have ended by itself (1.5 s) or timed out (2 s).
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(await sleeping()).toBe(0);
  });

  it("refuses at once when the visitor has already gone", async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(withQueryBudget(t.db, "search", { signal: abort.signal }, async () => 1)).rejects.toBeInstanceOf(QueryBudgetExceeded);
    expect(queryBudgetState().running).toBe(0);
  });

  it("holds at most its share of the pool: the rest wait for a slot", async () => {
    configureQueryBudget({ concurrent: 2 });
    let peak = 0;
    const work = () =>
      withQueryBudget(t.db, "search", {}, async (trx) => {
        peak = Math.max(peak, queryBudgetState().running);
        return holdFor(200)(trx);
      });
    const states = await Promise.all([work(), work(), work(), work(), work()]);
    expect(peak).toBe(2);
    expect(states.some((s) => s.waiting > 0)).toBe(true);
    expect(queryBudgetState()).toMatchObject({ running: 0, waiting: 0 });
    // Meanwhile the rest of the pool stays free for other pages.
  });

  it("gives up waiting for a slot after the kind's timeout, with a 503", async () => {
    configureQueryBudget({ concurrent: 1 });
    const hold = withQueryBudget(t.db, "search", {}, holdFor(1_300));
    const started = Date.now();
    const error = await withQueryBudget(t.db, "similar", {}, async () => 1).catch((e) => e);
    expect(error).toBeInstanceOf(QueryBudgetExceeded);
    expect(error.message).toMatch(/busy/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS.similar - 50);
    await hold;
    expect(queryBudgetState()).toMatchObject({ running: 0, waiting: 0 });
  });

  it("a waiting visitor who leaves frees their place in the queue", async () => {
    configureQueryBudget({ concurrent: 1 });
    const hold = withQueryBudget(t.db, "search", {}, holdFor(400));
    const abort = new AbortController();
    const waiting = withQueryBudget(t.db, "search", { signal: abort.signal }, async () => 1).catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    expect(queryBudgetState().waiting).toBe(1);
    abort.abort();
    expect(await waiting).toBeInstanceOf(QueryBudgetExceeded);
    expect(queryBudgetState().waiting).toBe(0);
    await hold;
  });

  it("search and similar ideas go through it and still answer", async () => {
    const author = await makeMember(t.db);
    await makeIdea(t.db, author, { title: "Sourdough toast at breakfast" });
    const page = await listIdeas(t.db, null, listQuerySchema.parse({ q: "sourdough" }));
    expect(page.items.map((i) => i.title)).toContain("Sourdough toast at breakfast");
    expect((await findSimilarIdeas(t.db, { text: "Sourdough toast please" })).map((i) => i.title)).toContain("Sourdough toast at breakfast");
    // Similar ideas are a hint: a visitor who left gets none, without an error.
    const abort = new AbortController();
    abort.abort();
    expect(await findSimilarIdeas(t.db, { text: "Sourdough toast please" }, { signal: abort.signal })).toEqual([]);
  });
});
