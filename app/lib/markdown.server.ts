// Member Markdown becomes safe HTML off the request thread, within a time
// budget, or falls back to plain paragraphs. See docs/decisions/010.
import { createRequire } from "node:module";
import { MAX_SOURCE_LENGTH, renderHere, renderPlainText } from "./markdown-render.server";
import { RenderWorkerPool, type PoolFailure } from "./markdown-workers.server";

export { renderPlainText };

/** A render that fell back to plain text, and why. */
export type MarkdownFallback = { reason: PoolFailure; length: number; message: string };

export type MarkdownRendererOptions = {
  /** CPU time one render may use in its worker (ms); it gets at most four times as much wall time. */
  budgetMs: number;
  /** How long a render may wait for a free worker, a worker's start included (ms). */
  queueTimeoutMs: number;
  /** Worker threads at most. */
  workers: number;
  /** Heap limit per worker (MB). */
  maxHeapMb: number;
  /** Called for every render shown as plain text. */
  onFallback: (fallback: MarkdownFallback) => void;
};

const DEFAULTS: MarkdownRendererOptions = {
  budgetMs: 300,
  queueTimeoutMs: 3_000,
  workers: 2,
  maxHeapMb: 128,
  onFallback: ({ reason, length, message }) =>
    console.warn(`markdown: ${length} characters shown as plain text (${reason}: ${message})`),
};

let options: MarkdownRendererOptions = { ...DEFAULTS };
let pool: RenderWorkerPool | null = null;

/**
 * The worker's entry file. package.json maps "#markdown-renderer" to the source
 * file, so the lookup is the same from app/lib (vitest, tsx) and from the
 * bundle in build/ (where import.meta.url is build/index.js); Node strips its
 * types when the worker loads it.
 */
function workerScript(): string {
  return createRequire(import.meta.url).resolve("#markdown-renderer");
}

function currentPool(): RenderWorkerPool {
  pool ??= new RenderWorkerPool({
    script: workerScript(),
    size: options.workers,
    limits: () => options,
    maxHeapMb: options.maxHeapMb,
    onBroken: (message) => console.error(`markdown: the rendering workers cannot start; showing plain text (${message})`),
  });
  return pool;
}

/**
 * Renders a member's Markdown to HTML that is safe to put in another member's
 * page: raw HTML, scripts, event handlers and non-http(s)/mailto URLs are
 * removed; links are marked nofollow ugc noopener; h1/h2 become h3/h4.
 *
 * The work happens in a worker thread with a time budget, so no text keeps
 * this thread busy. Text that overruns the budget, fails to render or renders
 * out of all proportion comes back as escaped plain paragraphs instead
 * (`renderPlainText`): the member's words still show and nothing throws.
 */
export async function renderMarkdown(source: string): Promise<string> {
  if (source === "") return "";
  if (source.length > MAX_SOURCE_LENGTH) {
    options.onFallback({ reason: "too-large", length: source.length, message: `over ${MAX_SOURCE_LENGTH} characters` });
    return renderPlainText(source);
  }
  let outcome;
  try {
    outcome = await currentPool().run(source);
  } catch (error) {
    console.error("markdown: cannot start the rendering workers", error);
    return renderPlainText(source);
  }
  if ("html" in outcome) return outcome.html;
  options.onFallback({ reason: outcome.failure, length: source.length, message: outcome.message });
  return renderPlainText(source);
}

/**
 * The same rendering and guards in the calling thread, without a time budget.
 * For measuring the in-thread cost (tests/bench/markdown.ts) and comparing outputs in tests;
 * never call it on a request: it can keep the thread busy for a second on hostile text.
 */
export function renderMarkdownSync(source: string): string {
  const outcome = renderHere(source);
  return "html" in outcome ? outcome.html : renderPlainText(source);
}

/**
 * Changes the renderer's settings (defaults: 300 ms CPU budget, 3 s queue wait,
 * 2 workers, 128 MB heap each). A new worker count or heap limit shuts down the
 * workers started before; the other settings apply to the next render.
 */
export async function configureMarkdownRenderer(changes: Partial<MarkdownRendererOptions>): Promise<void> {
  const previous = options;
  options = { ...options, ...changes };
  if (options.workers !== previous.workers || options.maxHeapMb !== previous.maxHeapMb) await closeMarkdownRenderer();
}

/** The renderer's current settings. */
export function markdownRendererOptions(): Readonly<MarkdownRendererOptions> {
  return options;
}

/**
 * Starts the rendering workers now rather than at the first render (a server
 * may call it at start, so the first member's text does not wait for them).
 * Resolves true once they are ready, false if they cannot start.
 */
export async function startMarkdownRenderer(): Promise<boolean> {
  try {
    return await currentPool().whenReady();
  } catch (error) {
    console.error("markdown: cannot start the rendering workers", error);
    return false;
  }
}

/**
 * Terminates the rendering workers (for a graceful shutdown or the end of a
 * test); renders waiting or running fall back to plain text. A later render
 * starts new workers. Idle workers never keep a process alive, so scripts may
 * skip this.
 */
export async function closeMarkdownRenderer(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.close();
}
