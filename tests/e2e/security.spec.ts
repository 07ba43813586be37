import type { APIResponse } from "@playwright/test";
import { createIdea, expect, signIn, test, uid, waitForHydration } from "./helpers";

/** Checks one HTML response: a nonce-based script-src, and that nonce on every <script>. */
async function expectNonceCsp(response: APIResponse, what: string): Promise<string> {
  expect(response.headers()["content-type"], what).toMatch(/^text\/html/);
  const csp = response.headers()["content-security-policy"];
  expect(csp, `${what} has a Content-Security-Policy`).toBeTruthy();
  const directives = new Map(
    csp!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values] as const),
  );
  const scriptSrc = directives.get("script-src");
  expect(scriptSrc, `${what}: script-src`).toBeDefined();
  expect(scriptSrc, `${what}: script-src without 'unsafe-inline'`).not.toContain("'unsafe-inline'");
  expect(scriptSrc, `${what}: script-src without 'unsafe-eval'`).not.toContain("'unsafe-eval'");
  const nonces = scriptSrc!.map((v) => /^'nonce-([A-Za-z0-9+/_-]+={0,2})'$/.exec(v)?.[1]).filter(Boolean);
  expect(nonces, `${what}: one nonce in script-src`).toHaveLength(1);
  const nonce = nonces[0]!;
  expect(nonce.length, "a nonce of at least 128 bits").toBeGreaterThanOrEqual(22);
  expect(directives.get("object-src"), `${what}: object-src`).toEqual(["'none'"]);

  const html = await response.text();
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  expect(scripts.length, `${what} has script tags`).toBeGreaterThan(0);
  for (const tag of scripts) {
    expect(tag, `${what}: every <script> carries the response's nonce`).toContain(`nonce="${nonce}"`);
  }
  return nonce;
}

test("every HTML response has a nonce-based CSP and the scripts carry its nonce", async ({ request }) => {
  const seen = new Set<string>();
  for (const path of ["/", "/?sort=new", "/?q=oat", "/login", "/join", "/ideas/1", "/members/jordan"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    seen.add(await expectNonceCsp(response, `GET ${path}`));
  }
  // Error pages too.
  const notFound = await request.get("/ideas/999999");
  expect(notFound.status()).toBe(404);
  seen.add(await expectNonceCsp(notFound, "the 404 page"));
  const badRequest = await request.get("/?limit=1000");
  expect(badRequest.status()).toBe(400);
  seen.add(await expectNonceCsp(badRequest, "the 400 page"));
  // A form answered with errors (no JavaScript: a full HTML page).
  const failedSignIn = await request.post("/login", {
    form: { email: `nobody-${uid()}@example.test`, password: "wrong password", redirectTo: "/" },
  });
  expect(failedSignIn.status()).toBe(400);
  seen.add(await expectNonceCsp(failedSignIn, "a failed sign-in"));
  // A fresh nonce for every response.
  expect(seen.size).toBe(10);
});

test("a cross-site POST is refused with 403", async ({ request }) => {
  const evil = await request.post("/ideas/1", {
    headers: { Origin: "http://evil.example" },
    form: { intent: "vote", value: "up" },
    maxRedirects: 0,
  });
  expect(evil.status()).toBe(403);
  expect(await evil.text()).toContain("came from another site");

  const nullOrigin = await request.post("/ideas/1", {
    headers: { Origin: "null" },
    form: { intent: "vote", value: "up" },
    maxRedirects: 0,
  });
  expect(nullOrigin.status()).toBe(403);

  const crossSiteFetch = await request.post("/ideas/1", {
    headers: { "Sec-Fetch-Site": "cross-site" },
    form: { intent: "vote", value: "up" },
    maxRedirects: 0,
  });
  expect(crossSiteFetch.status()).toBe(403);

  // The same request from the site itself gets through (to the sign-in redirect: nobody is signed in).
  const baseURL = test.info().project.use.baseURL!;
  const same = await request.post("/ideas/1", {
    headers: { Origin: new URL(baseURL).origin },
    form: { intent: "vote", value: "up" },
    maxRedirects: 0,
  });
  expect(same.status()).toBe(302);
  expect(same.headers()["location"]).toBe("/login?redirectTo=%2Fideas%2F1");
});

test("a request body over 256 KiB is refused with 413", async ({ request }) => {
  const body = `email=a%40example.test&password=${"x".repeat(256 * 1024)}`;
  const response = await request.post("/login", {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    data: body,
    maxRedirects: 0,
  });
  expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
  expect(response.status()).toBe(413);
  expect(await response.text()).toContain("too large");
});

test("the session cookie is HttpOnly and SameSite=Lax", async ({ page }) => {
  await signIn(page, "admin@example.com");
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "gs_session");
  expect(session, "a gs_session cookie").toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  expect(session!.path).toBe("/");
  expect(session!.value.length).toBeGreaterThanOrEqual(20);
  // Scripts in the page cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain("gs_session");
});

test("a comment with HTML and script is shown harmlessly", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const payload = `<script>alert(1)</script><img src=x onerror=alert(1)>`;
  const marker = `xss probe ${uid()}`;
  const body = `${marker}\n\n${payload}`;

  await signIn(page, "moderator@example.com");
  const idea = await createIdea(page, { title: `Harmless markup ${uid()}`, body: `Idea body ${payload}` });
  await page.goto(idea.path);
  await waitForHydration(page);

  await page.getByLabel("Add a comment").fill(body);
  await page.getByRole("button", { name: "Post comment" }).click();
  const comment = page.getByRole("article", { name: "Comment by Sam Okafor" }).filter({ hasText: marker });
  await expect(comment).toBeVisible();

  const check = async () => {
    await expect(comment).toBeVisible();
    await expect(comment.locator("script, img, [onerror]")).toHaveCount(0);
    await expect(page.getByRole("article", { name: /^Harmless markup/ }).locator("script, img")).toHaveCount(0);
    await expect(page.getByRole("img")).toHaveCount(0);
    // The member still sees what they wrote, as text, when they edit it.
    await comment.getByRole("link", { name: /^Edit/ }).click();
    await expect(comment.getByLabel("Edit your comment")).toHaveValue(body);
    expect(dialogs, "no dialog opened").toEqual([]);
  };
  await check();
  // Rendered by the server this time, not by the client.
  await page.reload();
  await waitForHydration(page);
  await check();
  // Give any stray handler a moment to fire.
  await page.waitForTimeout(200);
  expect(dialogs, "no dialog opened").toEqual([]);
});
