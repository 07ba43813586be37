// Hostile Markdown: rendering happens off this thread, within a time budget,
// and always answers with safe HTML. These are correctness properties of the
// design (docs/decisions/010), with generous margins, not benchmarks.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  closeMarkdownRenderer,
  configureMarkdownRenderer,
  renderMarkdown,
  renderPlainText,
  startMarkdownRenderer,
  type MarkdownFallback,
} from "../../app/lib/markdown.server";
import { WORKER_ROLE, type WorkerMessage } from "../../app/lib/markdown-render.server";
import { RenderWorkerPool, WALL_CAP } from "../../app/lib/markdown-workers.server";
import { ALLOWED_TAGS, assertOnlyAllowedMarkup } from "./markdown-corpus";

const BUDGET_MS = 300;
/** Text that surely takes marked longer than the budget (48,000 characters of `_a`, about 1 s on these machines; 20,000 now take about 0.2 s). */
const OVER_BUDGET = "_a".repeat(24_000);
/** An interval timer's worst lateness while a bomb renders, beyond the time the OS kept this thread waiting for a CPU. */
const MAX_LAG_MS = 200;
/** Time to notice an overrun, end the worker and answer. */
const MARGIN_MS = 500;
/** This machine, now: how long a pool takes to start (shared machines get very crowded). */
const machine = { startMs: 0 };

const BOMBS: [string, string][] = [
  ["20,000 characters of `[](`", "[](".repeat(6_667)],
  ["20,000 characters of `_a`", "_a".repeat(10_000)],
  ["20,000 characters of `*a`", "*a".repeat(10_000)],
  ["20,000 characters of `` `a ``", "`a".repeat(10_000)],
  ["5,000 `>`", ">".repeat(5_000)],
  ["5,000 nested list markers", `${"- ".repeat(5_000)}x`],
  ["5,000 nested numbered list markers", `${"1. ".repeat(5_000)}x`],
  ["5,000 nested quotes and lists", `${"> - ".repeat(2_500)}x`],
  ["a 10,000-character table row", `${"|a".repeat(5_000)}|\n${"|-".repeat(5_000)}|\n|b|`],
  ["20,000 `<`", "<".repeat(20_000)],
  ["20,000 characters of `a_`", "a_".repeat(10_000)],
  ["20,000 characters of `__a`", "__a".repeat(6_667)],
  ["a wide table header with many short rows", `${"|a".repeat(1_000)}|\n${"|-".repeat(1_000)}|\n${"b\n".repeat(3_000)}`],
  ["one long reference link used 2,600 times", `[a]: https://e.example/${"y".repeat(2_000)}\n\n${"[a]".repeat(2_600)}`],
  ["a script after 20,000 characters of `_a`", `${"_a".repeat(10_000)}<script>alert(1)</script><img src=x onerror=alert(1)>`],
];

const ALLOWED_TAG = new RegExp(`</?(?:${[...ALLOWED_TAGS].join("|")})(?:\\s[^<>]*)?/?>`, "g");

/** What must hold for any HTML we put in a page: allowed tags only, no raw markup. */
function assertSafe(html: string) {
  const markup = (html.match(/<[^>]*>/g) ?? []).join("");
  expect(markup).not.toMatch(/<script|<img|\son\w+=|javascript:/i);
  assertOnlyAllowedMarkup(html);
  // Every "<" left over after removing the allowed tags would be raw HTML.
  expect(html.replace(ALLOWED_TAG, "")).not.toMatch(/[<>]/);
}

/** Time (ms) this thread has spent runnable but waiting for a CPU (Linux), or 0 where unknown. */
function waitedForCpu(): number {
  try {
    const [, waitNs] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ");
    return Number(waitNs) / 1e6 || 0;
  } catch {
    return 0;
  }
}

/**
 * Watches this thread while something renders elsewhere: how late a 10 ms
 * interval timer runs (its longest stall), how long the OS kept the thread
 * waiting for a CPU meanwhile (other processes' doing, not ours), and how much
 * CPU time the thread used (rendering here would show as its full cost).
 */
function watchEventLoop() {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  const cpu = process.threadCpuUsage();
  const waited = waitedForCpu();
  return () => {
    clearInterval(timer);
    const used = process.threadCpuUsage(cpu);
    return {
      lag: Math.max(worst, performance.now() - last - 10),
      osWaitMs: waitedForCpu() - waited,
      cpuMs: (used.user + used.system) / 1000,
    };
  };
}

/** CPU time this thread may use in all while a bomb renders in a worker. */
const MAX_CPU_MS = 100;

const fallbacks: MarkdownFallback[] = [];
beforeAll(async () => {
  await configureMarkdownRenderer({ budgetMs: BUDGET_MS, onFallback: (f) => fallbacks.push(f) });
  const started = performance.now();
  expect(await startMarkdownRenderer()).toBe(true);
  machine.startMs = performance.now() - started;
});
beforeEach(() => {
  fallbacks.length = 0;
});
afterAll(() => closeMarkdownRenderer());

describe("renderMarkdown on hostile text", { timeout: 30_000 }, () => {
  it.each(BOMBS)("%s: answers within the budget with safe HTML, and this thread stays responsive", async (_name, source) => {
    // Workers ended by the previous bomb are replaced first: this measures the render.
    await startMarkdownRenderer();
    const stop = watchEventLoop();
    const started = performance.now();
    const html = await renderMarkdown(source);
    const elapsed = performance.now() - started;
    const { lag, osWaitMs, cpuMs } = stop();

    // The budget is CPU time; a worker kept waiting for a CPU gets at most WALL_CAP budgets.
    expect(elapsed).toBeLessThan(BUDGET_MS * WALL_CAP + MARGIN_MS + osWaitMs);
    expect(lag - osWaitMs).toBeLessThan(MAX_LAG_MS);
    expect(cpuMs).toBeLessThan(MAX_CPU_MS);
    assertSafe(html);
    // The member's words still show.
    expect(html.replace(/<[^>]*>/g, "").trim().length).toBeGreaterThan(0);
  });

  it("shows text over the budget as escaped plain paragraphs, and says why", async () => {
    const source = `${OVER_BUDGET}\n<b>end</b>`;
    const html = await renderMarkdown(source);
    expect(html).toBe(`<p>${OVER_BUDGET}<br />&lt;b&gt;end&lt;/b&gt;</p>\n`);
    expect(fallbacks).toEqual([{ reason: "timeout", length: source.length, message: `over the ${BUDGET_MS} ms budget` }]);
  });

  it("renders deep quotes properly up to the nesting limit instead of failing", async () => {
    const html = await renderMarkdown(">".repeat(5_000));
    expect(html.startsWith("<blockquote>\n".repeat(16))).toBe(true);
    expect(fallbacks).toEqual([]);
  });

  it("renders ordinary text right after a worker was ended for overrunning", async () => {
    await renderMarkdown(OVER_BUDGET);
    expect(await renderMarkdown("**still** fine")).toBe("<p><strong>still</strong> fine</p>\n");
    expect(fallbacks.map((f) => f.reason)).toEqual(["timeout"]);
  });

  it("does not take a render answered while this thread was busy for one that overran", async () => {
    const pending = renderMarkdown("*quick*");
    // This thread is stuck past the budget (as another request's work could keep it);
    // the worker answered long before the budget timer gets to run.
    const until = performance.now() + BUDGET_MS + 200;
    while (performance.now() < until);
    expect(await pending).toBe("<p><em>quick</em></p>\n");
    expect(fallbacks).toEqual([]);
  });

  it("answers many bombs at once, safely, and this thread stays responsive", async () => {
    await startMarkdownRenderer();
    const stop = watchEventLoop();
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 6 }, () => renderMarkdown(OVER_BUDGET)));
    const { lag, osWaitMs, cpuMs } = stop();
    for (const html of results) assertSafe(html);
    expect(lag - osWaitMs).toBeLessThan(MAX_LAG_MS);
    expect(cpuMs).toBeLessThan(MAX_CPU_MS);
    // Two workers: three rounds, each ended by the budget and followed by new workers.
    expect(performance.now() - started).toBeLessThan(3 * (BUDGET_MS * WALL_CAP + MARGIN_MS + machine.startMs) + osWaitMs);
  });

  it("renders ordinary text queued behind a bomb per worker", async () => {
    await startMarkdownRenderer();
    const results = await Promise.all([
      renderMarkdown(OVER_BUDGET),
      renderMarkdown(OVER_BUDGET),
      renderMarkdown("*ordinary*"),
    ]);
    expect(results[2]).toBe("<p><em>ordinary</em></p>\n");
    expect(fallbacks.map((f) => f.reason)).toEqual(["timeout", "timeout"]);
  });
});

describe("renderMarkdown's limits", { timeout: 30_000 }, () => {
  afterEach(() => configureMarkdownRenderer({ budgetMs: BUDGET_MS, workers: 2, queueTimeoutMs: 3_000, maxHeapMb: 128 }));

  it("falls back when no worker is free within the queue timeout", async () => {
    await configureMarkdownRenderer({ workers: 1 });
    await renderMarkdown("warm up");
    await configureMarkdownRenderer({ queueTimeoutMs: 100 });
    const bomb = renderMarkdown(OVER_BUDGET);
    const started = performance.now();
    expect(await renderMarkdown("*waiting*")).toBe("<p>*waiting*</p>\n");
    expect(performance.now() - started).toBeLessThan(BUDGET_MS * WALL_CAP);
    await bomb;
    expect(fallbacks.map((f) => f.reason)).toEqual(["queue-timeout", "timeout"]);
    expect(fallbacks[0]!.message).toMatch(/^no worker free within \d+ ms$/);
  });

  it("shows HTML out of proportion to the source as plain text", async () => {
    await configureMarkdownRenderer({ budgetMs: 10_000 });
    const source = `[a]: https://e.example/${"y".repeat(2_000)}\n\n${"[a]".repeat(2_600)}`;
    const html = await renderMarkdown(source);
    expect(html).toBe(renderPlainText(source));
    expect(fallbacks).toEqual([{ reason: "too-large", length: source.length, message: "its links would repeat too much text" }]);
  });

  it("ends a worker whose render exhausts its memory, answers an error, and gives the next render a new worker", async () => {
    // Which Markdown exhausts a heap depends on the garbage collector's timing,
    // so a stand-in worker that allocates on request makes the outcome certain.
    const pool = new RenderWorkerPool({
      script: new URL("./fixtures/hungry-worker.mjs", import.meta.url),
      size: 1,
      limits: () => ({ budgetMs: 20_000, queueTimeoutMs: 20_000 }),
      maxHeapMb: 16,
      onBroken: (message) => expect.fail(`the pool broke: ${message}`),
    });
    try {
      expect(await pool.run("before")).toEqual({ html: "before" });
      expect(await pool.run("eat")).toMatchObject({ failure: "error", message: expect.stringMatching(/memory/i) });
      expect(await pool.run("after")).toEqual({ html: "after" });
    } finally {
      await pool.close();
    }
  });

  it("shows text over 50,000 characters as plain text without rendering it", async () => {
    const source = `**${"a".repeat(60_000)}**`;
    expect(await renderMarkdown(source)).toBe(renderPlainText(source));
    expect(fallbacks).toEqual([{ reason: "too-large", length: source.length, message: "over 50000 characters" }]);
  });

  it("answers renders in flight when shut down, then starts again on demand", async () => {
    const pending = renderMarkdown(OVER_BUDGET);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await closeMarkdownRenderer();
    expect(await pending).toMatch(/^<p>_a_a/);
    expect(performance.now() - started).toBeLessThan(BUDGET_MS * WALL_CAP);
    expect(await renderMarkdown("*again*")).toBe("<p><em>again</em></p>\n");
    expect(fallbacks.map((f) => f.reason)).toEqual(["closed"]);
  });
});

describe("the worker script", { timeout: 30_000 }, () => {
  it("answers a failure instead of crashing when rendering throws", async () => {
    // The nesting guard keeps marked's stack overflow out of reach at these
    // lengths, so a text that is not a string stands in for any throw.
    const script = new URL("../../app/lib/markdown-render.server.ts", import.meta.url);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(script, { workerData: { role: WORKER_ROLE, port: port2 }, transferList: [port2], execArgv: [] });
    try {
      const messages: WorkerMessage[] = [];
      const answered = new Promise<void>((resolve) => {
        port1.on("message", (message: WorkerMessage) => {
          messages.push(message);
          if (messages.length === 3) resolve();
        });
      });
      port1.postMessage({ id: 7, source: null });
      port1.postMessage({ id: 8, source: "*still* answering" });
      await answered;
      expect(messages).toEqual([
        { ready: true },
        { id: 7, failure: "error", message: expect.stringMatching(/^TypeError/) },
        { id: 8, html: "<p><em>still</em> answering</p>\n" },
      ]);
    } finally {
      port1.close();
      await worker.terminate();
    }
  });
});

describe("process lifetime", { timeout: 30_000 }, () => {
  it("lets a script exit on its own after rendering, even after a worker was ended", () => {
    const module = fileURLToPath(new URL("../../app/lib/markdown.server.ts", import.meta.url));
    const script = `
      import { renderMarkdown } from ${JSON.stringify(module)};
      console.log(await renderMarkdown("**x**"));
      console.log((await renderMarkdown("_a".repeat(24_000))).slice(0, 7));
    `;
    // A pool that kept the process alive would hold it until this timeout kills it.
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 25_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe("<p><strong>x</strong></p>\n\n<p>_a_a\n");
    expect(child.stderr).toContain("shown as plain text (timeout");
  });
});
