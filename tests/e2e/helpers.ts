import { test as base, expect, type Browser, type BrowserContext, type BrowserContextOptions, type ConsoleMessage, type Locator, type Page, type Request } from "@playwright/test";

/** Every demo account shares this password (db/seed). */
export const DEMO_PASSWORD = "groundswell";

export interface BrowserErrors {
  /** Accepts console errors matching this pattern for the rest of the test (e.g. an expected 404). */
  allow(pattern: RegExp): void;
  /** What was collected so far. */
  readonly messages: string[];
}

/**
 * `test` with an automatic fixture that records every console error and
 * uncaught page error (this includes Content-Security-Policy violations and
 * React hydration errors) in every page of the test's browser context, and
 * fails the test at its end when there was any that was not allowed.
 */
export const test = base.extend<{ browserErrors: BrowserErrors }>({
  browserErrors: [
    async ({ context }, use) => {
      const messages: string[] = [];
      const allowed: RegExp[] = [];
      const onConsole = (message: ConsoleMessage) => {
        if (message.type() !== "error") return;
        const where = message.location().url;
        messages.push(`console error: ${message.text()}${where ? ` (at ${where})` : ""}`);
      };
      const onPageError = (error: Error) => {
        messages.push(`page error: ${error.name}: ${error.message}`);
      };
      const watch = (page: Page) => {
        page.on("console", onConsole);
        page.on("pageerror", onPageError);
      };
      context.pages().forEach(watch);
      context.on("page", watch);

      await use({ allow: (pattern) => allowed.push(pattern), messages });

      const unexpected = messages.filter((m) => !allowed.some((pattern) => pattern.test(m)));
      expect(unexpected, "console errors or page errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** A short unique suffix for this run (letters and digits). */
export function uid(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** A made-up word of letters only, unique enough to find one idea by full-text search. */
export function uniqueWord(prefix = "zq"): string {
  let word = prefix;
  for (let i = 0; i < 10; i++) word += String.fromCharCode(97 + Math.floor(Math.random() * 26));
  // Ends in a consonant that English stemming leaves alone.
  return `${word}k`;
}

export function newMember(label: string) {
  const id = uid();
  return {
    displayName: `${label} ${id}`,
    email: `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`,
    password: `correct horse ${id}`,
  };
}

/** The one-time message under the header. */
export const flash = (page: Page) => page.getByRole("status");

/** The number of a vote control's score (screen readers hear it as "N votes"). */
export const scoreIn = (scope: Locator | Page) => scope.locator(".vote-score > .n");

/** The up-vote button, whether or not it is pressed (its name changes when it is). */
export const upVoteIn = (scope: Locator | Page) =>
  scope.getByRole("button", { name: /^(Vote up|Remove your up-vote)/ });

/** Signs in through the sign-in form. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(flash(page)).toHaveText("You are signed in.");
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(flash(page)).toHaveText("You are signed out.");
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

/**
 * Posts an idea as the page's signed-in member with a plain form post (setup
 * only; the journeys post through the UI). Returns the idea's id and path.
 */
export async function createIdea(
  page: Page,
  idea: { title: string; body?: string; category?: string },
): Promise<{ id: number; path: string }> {
  const response = await page.request.post("/ideas/new", {
    // confirmed=1: the poster has seen any similar ideas (what the hydrated form sends).
    form: { intent: "save", confirmed: "1", title: idea.title, body: idea.body ?? "", category: idea.category ?? "drinks" },
    maxRedirects: 0,
  });
  expect(response.status(), "posting an idea redirects to it").toBe(302);
  const path = response.headers()["location"] ?? "";
  const match = /^\/ideas\/(\d+)/.exec(path);
  expect(match, `an idea path, not ${path}`).not.toBeNull();
  // The redirect set a one-time "Your idea is posted" message; it belongs to no page here.
  await page.context().clearCookies({ name: "gs_flash" });
  return { id: Number(match![1]), path };
}

/**
 * Waits until React has hydrated the page (the root marks <html data-hydrated>, and the
 * fetcher forms drop their no-JavaScript `returnTo` field). Call it on pages with vote or
 * comment forms before clicking, so a click is not a plain form post.
 */
export async function waitForHydration(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  // (Moderators' controls always send returnTo, marked data-always, so they are not a sign.)
  await expect(page.locator('input[type="hidden"][name="returnTo"]:not([data-always])')).toHaveCount(0);
}

/** Counts the page's requests in flight, to wait until the page has settled. */
export function trackRequests(page: Page) {
  const inflight = new Set<Request>();
  page.on("request", (r) => inflight.add(r));
  page.on("requestfinished", (r) => inflight.delete(r));
  page.on("requestfailed", (r) => inflight.delete(r));
  return {
    /** Resolves once no request has been in flight for a while. */
    async settled(quietMs = 300) {
      let quietSince = 0;
      await expect
        .poll(
          () => {
            if (inflight.size > 0) {
              quietSince = 0;
              return false;
            }
            quietSince ||= Date.now();
            return Date.now() - quietSince >= quietMs;
          },
          { intervals: [50], timeout: 10_000 },
        )
        .toBe(true);
    },
  };
}

/**
 * Opens another person's browser context (a second member, a moderator, a
 * visitor) whose console errors and page errors count for the test like the
 * main page's: they go into the same `browserErrors`. Close it when done.
 */
export async function openPersonContext(
  browser: Browser,
  browserErrors: BrowserErrors,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const where = message.location().url;
      browserErrors.messages.push(`console error: ${message.text()}${where ? ` (at ${where})` : ""}`);
    });
    page.on("pageerror", (error) => browserErrors.messages.push(`page error: ${error.name}: ${error.message}`));
  };
  context.on("page", watch);
  return context;
}

/** The header's notifications link ("Notifications" or "Notifications, N unread"). */
export const bellIn = (page: Page) => page.getByRole("banner").getByRole("link", { name: /^Notifications(, \d+\+? unread)?$/ });

/** Opens the newest mail to `to` with this subject in the development mailbox (where the app keeps mail with no SMTP_URL). */
export async function openMail(page: Page, to: string, subject: string | RegExp) {
  await expect(async () => {
    await page.goto("/dev/mailbox");
    const item = page.getByRole("listitem").filter({ hasText: to }).filter({ hasText: subject });
    await expect(item.first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("listitem").filter({ hasText: to }).filter({ hasText: subject }).first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(subject);
}

/** The link in the open mail's plain-text part whose path starts with `prefix`. */
export const mailLink = (page: Page, prefix: string) => page.locator(".mail-text a").filter({ hasText: new RegExp(`^https?://[^/]+${prefix}`) });

/** Signs up a new member through the Join form and the link it mails, which signs them in. */
export async function signUp(page: Page, member: { displayName: string; email: string; password: string }) {
  await page.goto("/join");
  await page.getByLabel("Display name").fill(member.displayName);
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await finishJoining(page, member);
}

/** After "Create account": the check-your-inbox page, then the mailed link, which signs the new member in. */
export async function finishJoining(page: Page, member: { displayName: string; email: string }) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your inbox");
  await expect(flash(page)).toHaveText(`We have sent a mail to ${member.email}. Open the link in it to finish joining.`);
  await openMail(page, member.email, "Confirm your e-mail address for Harbor Ideas");
  await mailLink(page, "/verify-email/").click();
  await page.getByRole("button", { name: "Yes, confirm my address" }).click();
  await expect(flash(page)).toHaveText(`Welcome to Harbor Ideas, ${member.displayName}! Your e-mail address is confirmed.`);
}
