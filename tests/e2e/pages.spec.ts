import { expect, test, waitForHydration } from "./helpers";

test("sort tabs change the URL and mark the current tab", async ({ page }) => {
  await page.goto("/");
  const tabs = page.getByRole("navigation", { name: "Sort ideas" });
  await expect(tabs.getByRole("link", { name: "Trending" })).toHaveAttribute("aria-current", "page");

  for (const [label, sort] of [
    ["Top", "top"],
    ["New", "new"],
    ["Most discussed", "discussed"],
  ] as const) {
    await tabs.getByRole("link", { name: label, exact: true }).click();
    await expect(page).toHaveURL(`/?sort=${sort}`);
    await expect(tabs.getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(tabs.locator('[aria-current="page"]')).toHaveCount(1);
    await expect(page.getByRole("list", { name: "Ideas" }).getByRole("listitem").first()).toBeVisible();
  }

  // Most discussed really is ordered by the number of comments.
  const counts = await page
    .getByRole("list", { name: "Ideas" })
    .getByRole("link", { name: /^\d+ comments?$/ })
    .allTextContents();
  const numbers = counts.map((t) => Number.parseInt(t, 10));
  expect(numbers.length).toBeGreaterThan(1);
  expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

  await tabs.getByRole("link", { name: "Trending" }).click();
  await expect(page).toHaveURL("/");
  await expect(tabs.getByRole("link", { name: "Trending" })).toHaveAttribute("aria-current", "page");
});

test("the category select filters the list as soon as it is chosen (with JavaScript)", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  const filters = page.getByRole("form", { name: "Filter ideas" });
  // Said before the controls (WCAG 3.2.2); no Apply button with JavaScript.
  await expect(filters).toHaveAccessibleDescription("The list updates as you choose.");
  await expect(filters.getByRole("button", { name: "Apply" })).toHaveCount(0);
  await filters.getByLabel("Category").selectOption({ label: "Harbor Rewards" });
  await expect.poll(() => new URL(page.url()).searchParams.get("category")).toBe("rewards");
  expect(new URL(page.url()).pathname).toBe("/");
  await expect(filters.getByLabel("Category")).toHaveValue("rewards");
  const cards = page.getByRole("list", { name: "Ideas" }).getByRole("listitem");
  await expect(cards.first()).toBeVisible();
  // Retried until the filtered list has rendered: no card outside Harbor Rewards is left.
  await expect(cards.filter({ hasNot: page.getByRole("link", { name: "Harbor Rewards", exact: true }) })).toHaveCount(0);

  await filters.getByLabel("Category").selectOption({ label: "All categories" });
  await expect.poll(() => new URL(page.url()).searchParams.get("category") ?? "").toBe("");
  await expect(page.getByRole("list", { name: "Ideas" }).getByRole("link", { name: "Food", exact: true }).first()).toBeVisible();
});

test("an unknown idea shows a 404 page", async ({ page, browserErrors }) => {
  browserErrors.allow(/Failed to load resource: the server responded with a status of 404/);
  const response = await page.goto("/ideas/999999");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await expect(page.getByText("That idea does not exist", { exact: false })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to ideas" })).toBeVisible();
});

test("an out-of-range page size is a 400, not a 500", async ({ page, browserErrors }) => {
  browserErrors.allow(/Failed to load resource: the server responded with a status of 400/);
  const response = await page.goto("/?limit=1000");
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("That did not work");
  await expect(page.getByText("Page size can be at most 50.")).toBeVisible();
});

test("the sign-in page lists the demo accounts", async ({ page }) => {
  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  const demo = page.getByRole("complementary", { name: "Demo sign-ins" });
  await expect(demo).toContainText("groundswell");
  const accounts = demo.getByRole("listitem");
  await expect(accounts).toHaveText([
    "member@example.com · Member",
    "pm@example.com · Product manager",
    "moderator@example.com · Moderator",
    "admin@example.com · Admin",
  ]);
});

test("a wrong password shows an error and keeps the e-mail", async ({ page, browserErrors }) => {
  // The failed sign-in is answered with 400, which Chromium reports on the console.
  browserErrors.allow(/Failed to load resource: the server responded with a status of 400/);
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("E-mail").fill("admin@example.com");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("That e-mail and password do not match an account.");
  await expect(page.getByLabel("E-mail")).toHaveValue("admin@example.com");
  await expect(page).toHaveURL("/login");
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("a member page shows the member and their ideas", async ({ page }) => {
  await page.goto("/members/jordan");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Jordan Lee");
  await expect(page.getByText("@jordan")).toBeVisible();
  const ideas = page.getByRole("region", { name: "Ideas", exact: true });
  for (const title of [
    "Water bowls for dogs on the patios",
    "Please add a dark theme to the app",
    "Double points on rainy days",
  ]) {
    await expect(ideas.getByRole("link", { name: title })).toBeVisible();
  }
  await ideas.getByRole("link", { name: "Please add a dark theme to the app" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Please add a dark theme to the app");
  await expect(page.getByRole("article", { name: "Please add a dark theme to the app" })).toContainText("Jordan Lee");
});

test("keyboard: the first Tab stop is the Skip to content link", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/#main");
  await expect(page.getByRole("main")).toBeFocused();
});

test("every page has exactly one h1", async ({ page, browserErrors }) => {
  browserErrors.allow(/Failed to load resource: the server responded with a status of 404/);
  for (const path of ["/", "/?q=oat", "/login", "/ideas/1", "/members/jordan", "/ideas/999999", "/leaderboard", "/leaderboard?period=month", "/badges", "/badges/first-idea"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 }), `one h1 on ${path}`).toHaveCount(1);
    await expect(page.locator("h1"), `one <h1> element on ${path}`).toHaveCount(1);
  }
});
