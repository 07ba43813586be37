import { createIdea, expect, flash, signIn, signOut, test, uid } from "./helpers";

/**
 * The product team's micro-listening journeys: a member's record, logging what
 * a customer said on the phone (and their vote), and a cohort built, saved,
 * exported and messaged. Run without JavaScript (plain HTML forms) and with it.
 */
for (const javaScriptEnabled of [false, true]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("a product manager logs an interaction and a vote on a member's record", async ({ page, browserErrors }) => {
      // The refused forms answer 400 and 409, which the browser logs as failed loads.
      browserErrors.allow(/Failed to load resource: the server responded with a status of (400|409)/);
      const summary = `Called about the loyalty card ${uid()}`;
      await signIn(page, "pm@example.com");
      await page.goto("/members/tomasz_k");
      await page.getByRole("link", { name: "Member record" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Record of Tomasz Kowalski/);

      await page.getByLabel("Summary").fill(`${summary}: wants **points** on beans.`);
      await page.getByRole("complementary", { name: "Log from other channels" }).getByLabel("Channel").first().selectOption({ label: "Phone call" });
      await page.getByRole("button", { name: "Log interaction" }).click();
      await expect(flash(page)).toHaveText("Interaction logged.");
      const entry = page.getByRole("listitem").filter({ hasText: summary });
      await expect(entry).toContainText("Phone call logged by");
      await expect(entry).toContainText("private to staff");
      await expect(entry.locator("strong")).toHaveText("points");

      // Bad input: a clear message on the field, nothing logged.
      await page.getByLabel("Summary").fill("In the future");
      await page.locator("#log-when").fill("2999-01-01T10:00");
      await page.getByRole("button", { name: "Log interaction" }).click();
      await expect(page.locator("#log-when-error")).toHaveText(/future/);

      // A vote he gave on the phone, on an idea he has not voted for yet.
      const idea = await createIdea(page, { title: `Refill discount for bean bags ${uid()}` });
      await page.goto("/members/tomasz_k/record");
      await page.locator("#vote-idea").fill(String(idea.id));
      await page.locator("#vote-value").selectOption("up");
      await page.getByRole("button", { name: "Record vote" }).click();
      await expect(flash(page)).toHaveText("Vote recorded on the member's behalf. They have been told.");
      await page.goto("/members/tomasz_k/record?kind=vote");
      await expect(page.getByRole("listitem").first()).toContainText("logged by staff on their behalf, from a phone call");
      // The same vote again: his one vote per idea holds, with a clear message.
      await page.goto("/members/tomasz_k/record");
      await page.locator("#vote-idea").fill(String(idea.id));
      await page.getByRole("button", { name: "Record vote" }).click();
      await expect(page.locator("#vote-idea-error")).toHaveText("The member already has that vote on that idea.");
      // The idea shows the vote as logged by staff.
      await page.goto(idea.path);
      await expect(page.getByText("1 vote logged by staff on members' behalf")).toBeVisible();
      await signOut(page);
    });

    test("a product manager builds a cohort, saves it, exports it as CSV and messages it", async ({ page, browserErrors }) => {
      browserErrors.allow(/Failed to load resource: the server responded with a status of (403|404)/);
      const name = `Mobile backers ${uid()}`;
      await signIn(page, "pm@example.com");
      await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Cohorts" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cohorts");
      await page.getByLabel("Tag").selectOption({ label: "Mobile" });
      await page.getByLabel("At least this many ideas").fill("2");
      await page.getByRole("button", { name: "Show the cohort" }).click();
      await expect(page.getByText("Members who voted for at least 2 ideas tagged “Mobile”.")).toBeVisible();
      const heading = await page.locator("#preview-heading").textContent();
      const size = Number(/(\d+)/.exec(heading ?? "")![1]);
      expect(size).toBeGreaterThan(0);

      await page.getByLabel("Save as").fill(name);
      await page.getByRole("button", { name: "Save cohort" }).click();
      await expect(flash(page)).toContainText("Cohort saved");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

      const href = await page.getByRole("link", { name: "Export as CSV" }).getAttribute("href");
      const csv = await page.request.get(href!);
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
      const lines = (await csv.text()).trim().split("\r\n");
      expect(lines[0]).toBe("member_id,handle,display_name,email,joined_at,accepts_staff_messages");
      expect(lines).toHaveLength(size + 1);

      await page.getByLabel("Subject").fill("Mobile ordering is coming to Broadway");
      await page.getByLabel("Message", { exact: true }).fill("Thanks for backing it. *Tell us* what you think.");
      await page.getByRole("button", { name: /^Send to/ }).click();
      await expect(flash(page)).toContainText("Message queued");
      await expect(page.getByRole("link", { name: "Mobile ordering is coming to Broadway" }).first()).toBeVisible();
      await signOut(page);

      // Members never reach staff pages.
      await signIn(page, "member@example.com");
      const refused = await page.goto("/cohorts");
      expect(refused?.status()).toBe(403);
      const record = await page.goto("/members/tomasz_k/record");
      expect(record?.status()).toBe(404);
    });
  });
}
