import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./helpers";

/**
 * axe on the pages members and staff use most, at a desktop and a phone width: no violation
 * of impact serious or critical (issue 13: "axe still 0 serious"), in English and in French.
 */
async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  // axe did look at the page (rules passed), so an empty list means something.
  expect(results.passes.length).toBeGreaterThan(10);
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

async function firstIdeaPath(page: Page) {
  await page.goto("/");
  return (await page.locator(".idea-card h3 a").first().getAttribute("href"))!;
}

for (const width of [1280, 390]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 600 ? 900 : 844 } });

    test("anonymous pages: front, idea, member, login, roadmap", async ({ page }) => {
      const idea = await firstIdeaPath(page);
      for (const path of ["/", idea, "/members/jordan", "/login", "/roadmap"]) {
        await page.goto(path);
        expect(await seriousViolations(page), path).toEqual([]);
      }
    });

    test("signed in: new idea; as staff: triage", async ({ page }) => {
      await signIn(page, "pm@example.com");
      for (const path of ["/ideas/new", "/triage", "/notifications"]) {
        await page.goto(path);
        expect(await seriousViolations(page), path).toEqual([]);
      }
    });

    test("in French: front and idea", async ({ browser }) => {
      const context = await browser.newContext({ locale: "fr-FR", viewport: { width, height: 844 } });
      const page = await context.newPage();
      const idea = await firstIdeaPath(page);
      for (const path of ["/", idea]) {
        await page.goto(path);
        await expect(page.locator("html")).toHaveAttribute("lang", "fr");
        expect(await seriousViolations(page), path).toEqual([]);
      }
      await context.close();
    });
  });
}
