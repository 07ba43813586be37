import { DEMO_PASSWORD, expect, signIn, test } from "./helpers";

/**
 * The second language (issue 13): a French browser gets French pages (Accept-Language), the
 * footer's language select switches without JavaScript (a form POST and a cookie), and
 * dates, numbers and plurals follow the language.
 */
test.describe("a French browser", () => {
  test.use({ locale: "fr-FR" });

  test("sees the site in French, hydrated with the French catalogue", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Les idées de la communauté Harbor");
    await expect(page.getByRole("navigation", { name: "Trier les idées" }).getByRole("link", { name: "Tendance" })).toBeVisible();
    // Plurals by Intl in French ("0 commentaire", "2 commentaires").
    await expect(page.getByRole("list", { name: "Idées" }).getByRole("link", { name: /commentaires?$/ }).first()).toHaveText(/^\d+ commentaires?$/);
    // After hydration the page is still French (no flash back to English, no hydration error).
    await page.waitForFunction(() => (window as unknown as { __remixRouter?: unknown }).__remixRouter !== undefined);
    await page.getByRole("navigation", { name: "Principal" }).first().getByRole("link", { name: "Feuille de route" }).click();
    await expect(page).toHaveURL(/\/roadmap$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Feuille de route");
    await expect(page).toHaveTitle(/^Feuille de route · /);
  });

  test("the idea page speaks French, with French dates", async ({ page }) => {
    await page.goto("/");
    await page.locator(".idea-card h3 a").first().click();
    await expect(page.getByRole("heading", { name: "Discussion" })).toBeVisible();
    await expect(page.getByText(/^publiée$|publiée/).first()).toBeVisible();
    await expect(page.locator("time").first()).toHaveText(/il y a|hier|à l’instant|la semaine dernière|le mois dernier/);
    await expect(page.getByText(/\d+ (votant|votants)$/)).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false, locale: "en-US" });

  test("the footer's language select switches to French and back", async ({ page }) => {
    await page.goto("/roadmap");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.getByLabel("Language").selectOption("fr");
    await page.getByRole("button", { name: "Change language" }).click();
    await expect(page).toHaveURL(/\/roadmap$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Feuille de route");
    await page.getByLabel("Langue").selectOption("en");
    await page.getByRole("button", { name: "Changer de langue" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Roadmap");
  });
});

test("a member's choice follows them to another browser", async ({ browser }) => {
  const first = await browser.newContext({ locale: "en-US" });
  const page = await first.newPage();
  await signIn(page, "member@example.com");
  await page.getByLabel("Language").selectOption("fr");
  await page.getByRole("button", { name: "Change language" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await first.close();
  // Another browser, English, no gs_lang cookie: signing in brings French back.
  const second = await browser.newContext({ locale: "en-US" });
  const other = await second.newPage();
  await signIn(other, "member@example.com");
  await other.goto("/");
  await expect(other.locator("html")).toHaveAttribute("lang", "fr");
  // Back to English for the other tests that sign in as this member.
  await other.getByLabel("Langue").selectOption("en");
  await other.getByRole("button", { name: "Changer de langue" }).click();
  await expect(other.locator("html")).toHaveAttribute("lang", "en");
  await second.close();
});

test("the account page's language choice is kept on the member, and 'the browser's language' forgets it", async ({ browser }) => {
  const context = await browser.newContext({ locale: "fr-FR" });
  const page = await context.newPage();
  // Signing in in French: the form and the flash are French.
  await page.goto("/login");
  await page.getByLabel("Adresse électronique").fill("moderator@example.com");
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("status")).toHaveText("Vous êtes connecté.");
  await page.goto("/account");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await page.getByLabel("Langue du site").selectOption("en");
  await page.getByRole("button", { name: "Enregistrer la langue" }).click();
  await expect(page).toHaveURL(/\/account#language$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByLabel("Language of the site")).toHaveValue("en");
  await page.getByLabel("Language of the site").selectOption("auto");
  await page.getByRole("button", { name: "Save language" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await context.close();
});
