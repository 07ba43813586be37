// Hostile Markdown: rendering happens off this thread, within a time budget,
// and always answers with safe HTML. These are correctness properties of the
// design (docs/decisions/010), with generous margins, not benchmarks.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  closeMarkdownRenderer,
  configureMarkdownRenderer,
  renderMarkdown,
  renderPlainText,
  type MarkdownFallback,
} from "../../app/lib/markdown.server";
import { WORKER_ROLE, type WorkerMessage } from "../../app/lib/markdown-render.server";
import { ALLOWED_TAGS, assertOnlyAllowedMarkup } from "./markdown-corpus";

const BUDGET_MS = 300;
/**
 * Time to notice the overrun, end the worker and answer, and, when earlier
 * bombs ended the other workers too, for a fresh one to start (a few hundred
 * ms on a busy two-core machine).
 */
const MARGIN_MS = 1_200;
/** An interval timer's worst lateness while a bomb renders. */
const MAX_LAG_MS = 200;

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

/** Measures how late a 10 ms interval timer runs: this thread's longest stall. */
function watchEventLoop() {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  return () => {
    clearInterval(timer);
    return Math.max(worst, performance.now() - last - 10);
  };
}

const fallbacks: MarkdownFallback[] = [];
beforeAll(async () => {
  await configureMarkdownRenderer({ budgetMs: BUDGET_MS, onFallback: (f) => fallbacks.push(f) });
  await renderMarkdown("warm up");
});
beforeEach(() => {
  fallbacks.length = 0;
});
afterAll(() => closeMarkdownRenderer());

describe("renderMarkdown on hostile text", () => {
  it.each(BOMBS)("%s: answers within the budget with safe HTML, and this thread stays responsive", async (_name, source) => {
    const stop = watchEventLoop();
    const started = performance.now();
    const html = await renderMarkdown(source);
    const elapsed = performance.now() - started;
    const lag = stop();

    expect(elapsed).toBeLessThan(BUDGET_MS + MARGIN_MS);
    expect(lag).toBeLessThan(MAX_LAG_MS);
    assertSafe(html);
    // The member's words still show.
    expect(html.replace(/<[^>]*>/g, "").trim().length).toBeGreaterThan(0);
  });

  it("shows text over the budget as escaped plain paragraphs, and says why", async () => {
    const source = `${"_a".repeat(10_000)}\n<b>end</b>`;
    const html = await renderMarkdown(source);
    expect(html).toBe(`<p>${"_a".repeat(10_000)}<br />&lt;b&gt;end&lt;/b&gt;</p>\n`);
    expect(fallbacks).toEqual([{ reason: "timeout", length: source.length, message: `over the ${BUDGET_MS} ms budget` }]);
  });

  it("renders deep quotes properly up to the nesting limit instead of failing", async () => {
    const html = await renderMarkdown(">".repeat(5_000));
    expect(html.startsWith("<blockquote>\n".repeat(16))).toBe(true);
    expect(fallbacks).toEqual([]);
  });

  it("renders ordinary text right after a worker was ended for overrunning", async () => {
    await renderMarkdown("_a".repeat(10_000));
    expect(await renderMarkdown("**still** fine")).toBe("<p><strong>still</strong> fine</p>\n");
    expect(fallbacks.map((f) => f.reason)).toEqual(["timeout"]);
  });

  it("answers many bombs at once, and ordinary text queued behind them still renders", async () => {
    const stop = watchEventLoop();
    const started = performance.now();
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => renderMarkdown("_a".repeat(10_000))),
      renderMarkdown("*ordinary*"),
    ]);
    const lag = stop();
    expect(results.at(-1)).toBe("<p><em>ordinary</em></p>\n");
    for (const html of results) assertSafe(html);
    expect(lag).toBeLessThan(MAX_LAG_MS);
    // Two workers, each bomb ends at the budget: about two budgets plus restarts.
    expect(performance.now() - started).toBeLessThan(4 * BUDGET_MS + 4 * MARGIN_MS);
  });
});

describe("renderMarkdown's limits", () => {
  afterEach(() => configureMarkdownRenderer({ budgetMs: BUDGET_MS, workers: 2, queueTimeoutMs: 3_000, maxHeapMb: 64 }));

  it("falls back when no worker is free within the queue timeout", async () => {
    await configureMarkdownRenderer({ workers: 1 });
    await renderMarkdown("warm up");
    await configureMarkdownRenderer({ queueTimeoutMs: 100 });
    const bomb = renderMarkdown("_a".repeat(10_000));
    const started = performance.now();
    expect(await renderMarkdown("*waiting*")).toBe("<p>*waiting*</p>\n");
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    await bomb;
    expect(fallbacks.map((f) => f.reason)).toEqual(["queue-timeout", "timeout"]);
  });

  it("shows HTML out of proportion to the source as plain text", async () => {
    await configureMarkdownRenderer({ budgetMs: 10_000 });
    const source = `[a]: https://e.example/${"y".repeat(2_000)}\n\n${"[a]".repeat(2_600)}`;
    const html = await renderMarkdown(source);
    expect(html).toBe(renderPlainText(source));
    expect(fallbacks.map((f) => f.reason)).toEqual(["too-large"]);
  });

  it("falls back when a render exhausts its worker's memory, and the next render gets a new worker", async () => {
    await configureMarkdownRenderer({ maxHeapMb: 16, budgetMs: 10_000 });
    const source = `${"|a".repeat(1_000)}|\n${"|-".repeat(1_000)}|\n${"b\n".repeat(3_000)}`;
    const html = await renderMarkdown(source);
    expect(html.startsWith("<p>|a|a|a")).toBe(true);
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatchObject({ reason: "error", message: expect.stringMatching(/memory/i) });
    expect(await renderMarkdown("*next*")).toBe("<p><em>next</em></p>\n");
  });

  it("answers renders in flight when shut down, then starts again on demand", async () => {
    const pending = renderMarkdown("_a".repeat(10_000));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await closeMarkdownRenderer();
    expect(await pending).toMatch(/^<p>_a_a/);
    expect(performance.now() - started).toBeLessThan(BUDGET_MS);
    expect(fallbacks.map((f) => f.reason)).toEqual(["closed"]);
    expect(await renderMarkdown("*again*")).toBe("<p><em>again</em></p>\n");
  });
});

describe("the worker script", () => {
  it("answers a failure instead of crashing when rendering throws", async () => {
    // The nesting guard keeps marked's stack overflow out of reach at these
    // lengths, so a text that is not a string stands in for any throw.
    const script = new URL("../../app/lib/markdown-render.server.ts", import.meta.url);
    const worker = new Worker(script, { workerData: { role: WORKER_ROLE } });
    try {
      const messages: WorkerMessage[] = [];
      const answered = new Promise<void>((resolve) => {
        worker.on("message", (message: WorkerMessage) => {
          messages.push(message);
          if (messages.length === 3) resolve();
        });
      });
      worker.postMessage({ id: 7, source: null });
      worker.postMessage({ id: 8, source: "*still* answering" });
      await answered;
      expect(messages).toEqual([
        { ready: true },
        { id: 7, failure: "error", message: expect.stringMatching(/^TypeError/) },
        { id: 8, html: "<p><em>still</em> answering</p>\n" },
      ]);
    } finally {
      await worker.terminate();
    }
  });
});

describe("process lifetime", () => {
  it("lets a script exit on its own after rendering, even after a worker was ended", () => {
    const module = fileURLToPath(new URL("../../app/lib/markdown.server.ts", import.meta.url));
    const script = `
      import { renderMarkdown } from ${JSON.stringify(module)};
      console.log(await renderMarkdown("**x**"));
      console.log((await renderMarkdown("_a".repeat(10000))).slice(0, 7));
    `;
    const started = performance.now();
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe("<p><strong>x</strong></p>\n\n<p>_a_a\n");
    expect(child.stderr).toContain("shown as plain text (timeout");
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
