// Plain HTTP for the benchmark: page sizes as sent, the JavaScript a page pulls in, and sequential
// timings of list, search and similar-ideas requests. node:http, so nothing is decompressed or
// added behind our back (no Accept-Encoding unless asked, as wrk sends none).
import { Agent, request as httpRequest } from "node:http";
import { gunzipSync, gzipSync } from "node:zlib";

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export interface Fetched {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as it came over the wire (compressed if the server compressed it). */
  wire: Buffer;
  /** The body decompressed. */
  body: Buffer;
  ms: number;
}

export class TimeoutError extends Error {}

export function get(url: string, headers: Record<string, string> = {}, timeoutMs = 15_000, method = "GET", payload?: string): Promise<Fetched> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = httpRequest(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        const wire = Buffer.concat(chunks);
        const body = res.headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
        done({ status: res.statusCode ?? 0, headers: res.headers, wire, body, ms: performance.now() - started });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => {
      req.destroy(new TimeoutError(`no answer within ${timeoutMs} ms: ${url}`));
    }, timeoutMs);
    req.on("error", (e) => {
      clearTimeout(timer);
      fail(e);
    });
    if (payload) req.write(payload);
    req.end();
  });
}

export interface PageSize {
  url: string;
  status: number;
  /** Decompressed HTML, bytes. */
  raw: number;
  /** What the server sent for Accept-Encoding: gzip, bytes. */
  gzipAsSent: number;
  /** gzip -9 of the raw HTML: the best plain gzip could do, bytes. */
  gzipBest: number;
  html: string;
}

export async function pageSize(url: string, cookie?: string): Promise<PageSize> {
  const headers: Record<string, string> = { "Accept-Encoding": "gzip" };
  if (cookie) headers.Cookie = cookie;
  const r = await get(url, headers);
  return {
    url,
    status: r.status,
    raw: r.body.length,
    gzipAsSent: r.wire.length,
    gzipBest: gzipSync(r.body, { level: 9 }).length,
    html: r.body.toString("utf8"),
  };
}

/** The JavaScript modules a page loads at start: script src, modulepreload links and static imports of inline modules. */
export function scriptUrls(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    if (!/\brel="modulepreload"/.test(tag)) continue;
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href) found.add(href);
  }
  for (const m of html.matchAll(/<script\b[^>]*type="module"[^>]*>([\s\S]*?)<\/script>/g)) {
    for (const i of m[1]!.matchAll(/\bimport\s*(?:[\w*{}\s,]+from\s*)?["']([^"']+\.js)["']/g)) found.add(i[1]!);
  }
  return [...found].map((u) => u.replaceAll("&amp;", "&"));
}

export interface ScriptSize {
  files: number;
  raw: number;
  gzipAsSent: number;
  gzipBest: number;
}

export async function scriptSize(origin: string, html: string): Promise<ScriptSize> {
  const total: ScriptSize = { files: 0, raw: 0, gzipAsSent: 0, gzipBest: 0 };
  for (const u of scriptUrls(html)) {
    const r = await get(new URL(u, origin).toString(), { "Accept-Encoding": "gzip" });
    if (r.status !== 200) throw new Error(`${u}: ${r.status}`);
    total.files++;
    total.raw += r.body.length;
    total.gzipAsSent += r.wire.length;
    total.gzipBest += gzipSync(r.body, { level: 9 }).length;
  }
  return total;
}

/** The href of the page's rel="next" link (the list's next page), HTML entities decoded. */
export function nextLink(html: string): string | null {
  for (const m of html.matchAll(/<a\b[^>]*>/g)) {
    if (!/\brel="next"/.test(m[0])) continue;
    const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
    if (href) return href.replaceAll("&amp;", "&");
  }
  return null;
}

export interface Timing {
  name: string;
  path: string;
  /** Requests timed (after the warm-up). */
  n: number;
  p50: number;
  p99: number;
  max: number;
  timeouts: number;
  /** Statuses other than the expected one. */
  badStatus: number;
  bytes: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Sequential GETs, one at a time: a warm-up, then up to `count` requests or `budgetSeconds`,
 * whichever comes first. With several targets the requests alternate (a, b, a, b, …) so that a
 * change in the machine's load falls on all of them alike. A request over `timeoutMs` counts as a
 * timeout (and as +∞ in the percentiles).
 */
export async function timeRequests(
  name: string,
  targets: { origin: string; path: string }[],
  options: {
    count: number; warmup: number; budgetSeconds: number; timeoutMs: number; expect?: number;
    /** Runs after a timed-out request (the server is still working on it), before the next one. */
    afterTimeout?: () => Promise<void>;
  },
): Promise<Timing[]> {
  const expect = options.expect ?? 200;
  const one = async (t: { origin: string; path: string }): Promise<{ ms: number; ok: boolean; bytes: number }> => {
    try {
      // Past any page cache: these rows time the query and the render, every time.
      const r = await get(`${t.origin}${t.path}`, { "Cache-Control": "no-cache" }, options.timeoutMs);
      return { ms: r.ms, ok: r.status === expect, bytes: r.body.length };
    } catch (error) {
      if (error instanceof TimeoutError) {
        await options.afterTimeout?.();
        return { ms: Infinity, ok: true, bytes: 0 };
      }
      throw error;
    }
  };
  const warmEnd = performance.now() + Math.min(options.budgetSeconds / 3, 10) * 1000;
  for (let i = 0; i < options.warmup && performance.now() < warmEnd; i++) for (const t of targets) await one(t);
  const runs = targets.map(() => ({ samples: [] as number[], badStatus: 0, bytes: 0 }));
  const end = performance.now() + options.budgetSeconds * 1000;
  let rounds = 0;
  let timedOut = false;
  while (rounds < options.count && (rounds < 3 || (performance.now() < end && !timedOut))) {
    for (const [i, t] of targets.entries()) {
      const r = await one(t);
      const run = runs[i]!;
      run.samples.push(r.ms);
      if (!r.ok) run.badStatus++;
      run.bytes = Math.max(run.bytes, r.bytes);
      if (r.ms === Infinity) timedOut = true; // after three rounds, one timeout is enough to know
    }
    rounds++;
  }
  return runs.map((run, i) => {
    const samples = run.samples.sort((a, b) => a - b);
    return {
      name,
      path: targets[i]!.path,
      n: samples.length,
      p50: percentile(samples, 0.5),
      p99: percentile(samples, 0.99),
      max: samples[samples.length - 1] ?? NaN,
      timeouts: samples.filter((x) => x === Infinity).length,
      badStatus: run.badStatus,
      bytes: run.bytes,
    };
  });
}
