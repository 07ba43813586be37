// Whether this process can reach its database right now, and the page it shows
// when it cannot. See docs/decisions/012-database-roles.md ("Losing the database").
import { data } from "@remix-run/node";
import { describeError } from "./db.server";
import { escapeHtml } from "./escape-html";

/** Seconds a client is asked to wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

type State = "up" | "checking" | "down";

/**
 * A small state machine over a probe. A connection-class failure is checked
 * with one probe at once: if the server still answers (one connection was
 * dropped, say by pg_terminate_backend) nothing changes; if not, the database
 * is marked down and probed every `intervalMs` until it answers again.
 * While down, requests are answered with a 503 page at once instead of each
 * waiting for its own connection to fail.
 */
export class DatabaseAvailability {
  #state: State = "up";
  #since = 0;
  #timer: NodeJS.Timeout | undefined;
  #probing = false;
  #stopped = false;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly options: { intervalMs?: number; timeoutMs?: number; log?: (line: string) => void } = {},
  ) {}

  /** False while the database is known to be unreachable. */
  get up(): boolean {
    return this.#state !== "down";
  }

  /** A query or connection failed with a connection-class error. */
  report(error: unknown): void {
    if (this.#stopped || this.#state !== "up") return;
    this.#state = "checking";
    void this.#check(error);
  }

  /** Stops probing (shutdown). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #check(cause?: unknown): Promise<void> {
    if (this.#probing || this.#stopped) return;
    this.#probing = true;
    let reachable = false;
    let failure: unknown;
    try {
      await this.#probeWithTimeout();
      reachable = true;
    } catch (error) {
      failure = error;
    } finally {
      this.#probing = false;
    }
    if (this.#stopped) return;
    const log = this.options.log ?? ((line: string) => console.warn(line));
    if (reachable) {
      if (this.#state === "down") {
        log(`database: reachable again after ${((Date.now() - this.#since) / 1000).toFixed(1)} s`);
      }
      this.#state = "up";
      return;
    }
    if (this.#state !== "down") {
      this.#since = Date.now();
      log(`database: unreachable (${describeError(failure ?? cause)}); answering 503 until it is back`);
    }
    this.#state = "down";
    this.#timer = setTimeout(() => void this.#check(), this.options.intervalMs ?? 1_000);
    this.#timer.unref();
  }

  #probeWithTimeout(): Promise<void> {
    const ms = this.options.timeoutMs ?? 2_500;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      this.probe().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

const MESSAGE = "Harbor Ideas can't reach its database right now; try again in a few seconds.";

/**
 * What a loader or action throws when the database cannot be reached: the
 * error boundary gets a 503, and a document request is answered with
 * `unavailablePage()` by entry.server.
 */
export function databaseUnavailable() {
  return data(
    { message: MESSAGE, databaseUnavailable: true },
    { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" } },
  );
}

/** Whether a route error is the one `databaseUnavailable()` throws. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { status?: unknown; data?: unknown };
  return e.status === 503 && typeof e.data === "object" && e.data !== null && "databaseUnavailable" in e.data;
}

/** Headers of the 503 page. */
export const unavailableHeaders = {
  "Content-Type": "text/html; charset=utf-8",
  "Retry-After": String(RETRY_AFTER_SECONDS),
  "Cache-Control": "no-store",
};

/**
 * A small, self-contained page (no scripts, no stylesheet request: the server may not be
 * able to render the app, or must answer before reading a request): a heading, a sentence
 * and one link. `refreshSeconds` makes it reload itself.
 */
export function plainPage(input: { title: string; message: string; link: { href: string; label: string }; refreshSeconds?: number }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${input.refreshSeconds ? `<meta http-equiv="refresh" content="${input.refreshSeconds}">\n` : ""}<title>${escapeHtml(input.title)} · Harbor Ideas</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f7f3ee; color: #2b2118;
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
  main { max-width: 28rem; margin: 2rem; padding: 2rem 2.25rem; background: #fff; border-radius: 12px;
         box-shadow: 0 1px 3px rgb(43 33 24 / 0.12); }
  .brand { color: #8a5a2b; font-weight: 600; letter-spacing: 0.02em; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0 0.75rem; }
  p { margin: 0 0 1rem; }
  a { display: inline-block; padding: 0.5rem 1rem; border-radius: 8px; background: #8a5a2b; color: #fff; text-decoration: none; }
  a:focus-visible { outline: 3px solid #2b2118; outline-offset: 2px; }
</style>
</head>
<body>
<main>
  <p class="brand">◐ Harbor Ideas</p>
  <h1>${escapeHtml(input.title)}</h1>
  <p>${escapeHtml(input.message)}</p>
  <p><a href="${escapeHtml(input.link.href)}">${escapeHtml(input.link.label)}</a></p>
</main>
</body>
</html>
`;
}

/** The 503 page: it reloads itself. */
export function unavailablePage(): string {
  return plainPage({ title: "Back in a moment", message: MESSAGE, link: { href: "", label: "Try again" }, refreshSeconds: RETRY_AFTER_SECONDS * 2 });
}

/**
 * The 413 page for a browser's form that was too large, refused before its body is read:
 * what the limit is and the way back to the form (the same address, fetched again).
 */
export function tooLargePage(path: string, maxBytes: number): string {
  const limit = maxBytes >= 1024 * 1024 ? `${Math.floor(maxBytes / (1024 * 1024))} MB` : `${Math.floor(maxBytes / 1024)} KB`;
  const photo = path === "/account";
  return plainPage({
    title: photo ? "That photo is too large" : "That form is too large",
    message: photo
      ? `A profile photo can be at most ${limit}. Choose a smaller picture, or make this one smaller, and upload it again.`
      : `A form can send at most ${limit}. Shorten what you wrote and send it again.`,
    link: { href: path, label: photo ? "Back to your account" : "Go back to the form" },
  });
}
