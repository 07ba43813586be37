/**
 * The small tables nearly every page reads — settings, categories, tags — and the signed-in
 * member's standing in the header, kept in the process instead of read again by every request
 * (docs/decisions/016-fast-pages-and-bounded-queries.md, 022).
 *
 * An entry belongs to the data version (the newest event's id, which the server reads every
 * second, as for the page cache): every change to these tables appends an event, so a change
 * committed by any process reaches every process within a second (points move only with events
 * too: a vote received, a comment). A write in this process
 * clears the cache at once (`clearReferenceCache`), so whoever saved sees it on the next page.
 * An entry is also dropped after `maxAgeMs`, whatever happens (a change made by hand in SQL).
 */
export interface ReferenceReader {
  /** The value under `key`, loaded by `load` when not cached. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** No cache: every read goes to the database (tests, scripts, anything outside the server). */
export const uncachedReference: ReferenceReader = { get: (_key, load) => load() };

export class ReferenceCache implements ReferenceReader {
  #version = "";
  #entries = new Map<string, { storedAt: number; value: Promise<unknown> }>();

  /**
   * `maxEntries` bounds the per-member entries (a signed-in member's standing in the header):
   * past it the cache starts afresh, as on a new data version.
   */
  constructor(private readonly maxAgeMs = 5_000, private readonly maxEntries = 10_000) {}

  /** The data version the server read; a new one drops every entry. */
  setVersion(version: string) {
    if (version === this.#version) return;
    this.#version = version;
    this.#entries.clear();
  }

  clear() {
    this.#entries.clear();
  }

  /** Drops one entry (a member's standing after their own change). */
  forget(key: string) {
    this.#entries.delete(key);
  }

  get<T>(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && now - entry.storedAt <= this.maxAgeMs) return entry.value as Promise<T>;
    if (!entry && this.#entries.size >= this.maxEntries) this.#entries.clear();
    // Concurrent requests share one load; a failed load is not kept.
    const value = load();
    const stored = { storedAt: now, value };
    this.#entries.set(key, stored);
    value.catch(() => {
      if (this.#entries.get(key) === stored) this.#entries.delete(key);
    });
    return value;
  }
}

/** The key of a signed-in member's standing (the header's rank and points). */
export const standingKey = (memberId: number) => `standing:${memberId}`;

/** The server's cache (one per process). */
export const referenceCache = new ReferenceCache();

/** After a change to settings, categories or tags has committed: this process reads them afresh. */
export function clearReferenceCache() {
  referenceCache.clear();
}
