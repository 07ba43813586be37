// `npx tsx tests/bench/markdown.ts`: what rendering member Markdown costs (the
// figures in docs/decisions/010). Normal bodies are the demo community's ideas
// and comments; the bombs are the hostile texts of the unit tests.
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { IDEAS, type SeedComment } from "../../db/seed-data";
import {
  closeMarkdownRenderer,
  configureMarkdownRenderer,
  markdownRendererOptions,
  renderMarkdown,
  renderMarkdownSync,
  startMarkdownRenderer,
  type MarkdownFallback,
} from "../../app/lib/markdown.server";

const PASSES = 5;

/** This thread's time on a CPU and waiting for one (ms; Linux), to tell our work from the machine's load. */
function schedstat(): [number, number] {
  try {
    const [onCpu, waiting] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ").map(Number);
    return [onCpu! / 1e6, waiting! / 1e6];
  } catch {
    return [Number.NaN, Number.NaN];
  }
}

function comments(list: SeedComment[] | undefined): string[] {
  return (list ?? []).flatMap((c) => [c.body, ...comments(c.replies)]);
}
const bodies = IDEAS.flatMap((idea) => [idea.body, ...comments(idea.comments)]);
// A long ordinary idea: headings, lists, quotes, links, code and a table around real bodies.
const longIdea = IDEAS.slice(0, 24)
  .map((idea, i) =>
    [
      `## ${idea.title}`,
      idea.body,
      `- see https://harbor.example/ideas/${i}\n- **${i + 1}** [notes](https://e.example/${i})`,
      `> ${idea.body.slice(0, 80)}`,
      i % 6 === 0 ? "| store | votes |\n|---|--:|\n| Pier 9 | 12 |" : "`code` and _emphasis_",
    ].join("\n\n"),
  )
  .join("\n\n")
  .slice(0, 10_000);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
let started = 0;
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(0)} ms`;

let fallback: MarkdownFallback | null = null;
await configureMarkdownRenderer({ onFallback: (f) => (fallback = f) });
await startMarkdownRenderer();

// Normal bodies, one at a time: in this thread, then through a worker.
const sync: number[] = [];
const viaWorker: number[] = [];
for (let pass = 0; pass < PASSES; pass++) {
  for (const body of bodies) {
    let started = performance.now();
    renderMarkdownSync(body);
    sync.push(performance.now() - started);
    started = performance.now();
    await renderMarkdown(body);
    viaWorker.push(performance.now() - started);
  }
}
const chars = bodies.map((b) => b.length);
console.log(`load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)} on ${(await import("node:os")).availableParallelism()} CPUs`);
console.log(`${bodies.length} normal bodies (${percentile(chars, 50)} characters median, ${Math.max(...chars)} max), ${PASSES} passes`);
console.log(`  in this thread: p50 ${ms(percentile(sync, 50))}, p95 ${ms(percentile(sync, 95))}, max ${ms(Math.max(...sync))}`);
console.log(`  via a worker:   p50 ${ms(percentile(viaWorker, 50))}, p95 ${ms(percentile(viaWorker, 95))}, max ${ms(Math.max(...viaWorker))}`);
console.log(`  worker hop:     p50 ${ms(percentile(viaWorker, 50) - percentile(sync, 50))}`);

const longSync: number[] = [];
const longWorker: number[] = [];
for (let pass = 0; pass < 20; pass++) {
  let started = performance.now();
  renderMarkdownSync(longIdea);
  longSync.push(performance.now() - started);
  started = performance.now();
  await renderMarkdown(longIdea);
  longWorker.push(performance.now() - started);
}
console.log(`a long ordinary idea (${longIdea.length} characters), 20 passes`);
console.log(`  in this thread: p50 ${ms(percentile(longSync, 50))}; via a worker: p50 ${ms(percentile(longWorker, 50))}`);

// The same bodies, all at once (a burst of requests).
started = performance.now();
await Promise.all(bodies.map((body) => renderMarkdown(body)));
console.log(`  all ${bodies.length} at once through ${markdownRendererOptions().workers} workers: ${ms(performance.now() - started)}`);

const BOMBS: [string, string][] = [
  ["20,000 chars of `[](`", "[](".repeat(6_667)],
  ["20,000 chars of `_a`", "_a".repeat(10_000)],
  ["20,000 chars of `*a`", "*a".repeat(10_000)],
  ["20,000 chars of `` `a ``", "`a".repeat(10_000)],
  ["5,000 `>`", ">".repeat(5_000)],
  ["5,000 nested `- `", `${"- ".repeat(5_000)}x`],
  ["10,000-char table row", `${"|a".repeat(5_000)}|\n${"|-".repeat(5_000)}|\n|b|`],
  ["20,000 `<`", "<".repeat(20_000)],
  ["wide table header, 3,000 rows", `${"|a".repeat(1_000)}|\n${"|-".repeat(1_000)}|\n${"b\n".repeat(3_000)}`],
  ["a long link used 2,600 times", `[a]: https://e.example/${"y".repeat(2_000)}\n\n${"[a]".repeat(2_600)}`],
];

console.log(`\nbombs (budget ${markdownRendererOptions().budgetMs} ms of CPU): in-thread time (for comparison); via the pool: answer, this thread's longest stall, its CPU time and its wait for a CPU meanwhile, outcome`);
const delay = monitorEventLoopDelay({ resolution: 1 });
for (const [name, source] of BOMBS) {
  // Rendering in this thread is what the request thread used to do (with the guards).
  const t = performance.now();
  renderMarkdownSync(source);
  const inThread = ms(performance.now() - t);
  await startMarkdownRenderer(); // replace workers the previous bomb ended
  fallback = null;
  delay.reset();
  delay.enable();
  const [cpu0, wait0] = schedstat();
  started = performance.now();
  await renderMarkdown(source);
  const answer = performance.now() - started;
  delay.disable();
  const [cpu1, wait1] = schedstat();
  const current = fallback as MarkdownFallback | null;
  const outcome = current ? `plain text (${current.reason})` : "rendered";
  console.log(
    `  ${name.padEnd(30)} in-thread ${inThread.padStart(9)}   answer ${ms(answer).padStart(7)}   stall ${ms(delay.max / 1e6).padStart(7)}` +
      `   cpu ${ms(cpu1 - cpu0).padStart(7)}   waited ${ms(wait1 - wait0).padStart(7)}   ${outcome}`,
  );
}

await closeMarkdownRenderer();
