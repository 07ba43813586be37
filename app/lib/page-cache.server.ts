import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";

/**
 * Pages that every visitor without a session sees alike, rendered once and
 * kept for a few seconds (docs/decisions/016-fast-pages-and-bounded-queries.md). An entry belongs to
 * a data version (the newest event's id, read every second): any change that
 * commits, in this process or another, makes every entry stale within a
 * second; an entry also expires after `maxAgeMs` whatever happens.
 */
export interface CachedPage {
  status: number;
  headers: [string, string][];
  body: Buffer;
  gzip: Buffer;
  etag: string;
  version: string;
  storedAt: number;
}

export class PageCache {
  #entries = new Map<string, CachedPage>();
  #bytes = 0;

  constructor(private readonly options: { maxEntries: number; maxBytes: number; maxAgeMs: number }) {}

  get(key: string, version: string, now = Date.now()): CachedPage | null {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    if (entry.version !== version || now - entry.storedAt > this.options.maxAgeMs) {
      this.#delete(key, entry);
      return null;
    }
    // Least recently used goes first: a hit moves the entry to the end.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, page: Omit<CachedPage, "gzip" | "etag" | "storedAt">, now = Date.now()): CachedPage {
    const existing = this.#entries.get(key);
    if (existing) this.#delete(key, existing);
    const entry: CachedPage = {
      ...page,
      gzip: gzipSync(page.body, { level: 9 }),
      etag: `"${createHash("sha1").update(page.body).digest("base64url")}"`,
      storedAt: now,
    };
    this.#entries.set(key, entry);
    this.#bytes += entry.body.length + entry.gzip.length;
    while (this.#entries.size > this.options.maxEntries || this.#bytes > this.options.maxBytes) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, CachedPage];
      this.#delete(oldestKey, oldest);
    }
    return entry;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  #delete(key: string, entry: CachedPage) {
    this.#entries.delete(key);
    this.#bytes -= entry.body.length + entry.gzip.length;
  }
}

/** Paths whose pages look the same to every visitor without a session. */
const SHARED_PAGES = [/^\/$/, /^\/roadmap$/, /^\/in-action$/, /^\/ideas\/\d{1,10}(-[a-z0-9-]*)?$/, /^\/members\/[a-z0-9_]{3,30}$/];

export const isSharedPage = (path: string) => SHARED_PAGES.some((p) => p.test(path));

/** A request carries something personal: a session, or a one-time message. */
export const isPersonalRequest = (cookieHeader: string | undefined) => !!cookieHeader && /(?:^|;\s*)gs_(session|flash)=/.test(cookieHeader);

/** Whether an If-None-Match header names this entity tag (weak comparison, as for GET). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => bare(tag) === bare(etag));
}
