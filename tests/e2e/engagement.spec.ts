import { createIdea, expect, flash, newMember, signUp as join, test, waitForHydration } from "./helpers";


for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";
  test.describe(mode, () => {
    test.use({ javaScriptEnabled });

    test(`${mode}: a new member earns points and a badge, sees their rank and climbs the leaderboard`, async ({ page, browserErrors }) => {
      // Proposing a duplicate without the points is refused with a 403 (the page says why).
      browserErrors.allow(/status of 403 \(Forbidden\)/);
      const me = newMember(javaScriptEnabled ? "Climber" : "NoScript climber");
      await join(page, me);
      const chip = page.getByRole("banner").getByRole("link", { name: new RegExp(me.displayName) });
      await expect(chip).toContainText("#");

      await test.step("the leaderboard: the demo community is on it; I am told where I stand", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" }).click();
        await expect(page.getByRole("heading", { level: 1, name: "Leaderboard" })).toBeVisible();
        const rows = page.getByRole("table").getByRole("row");
        await expect(rows.nth(1)).toContainText("#1");
        await expect(page.getByRole("note")).toContainText(/You are #[\d,]+ of [\d,]+ with 0 points, \d+ points? from #[\d,]+\./);
        await page.getByRole("link", { name: "This month" }).click();
        await expect(page.getByRole("heading", { level: 2, name: "This month" })).toBeVisible();
        if (javaScriptEnabled) await waitForHydration(page);
        await page.getByLabel("Category").selectOption({ index: 1 });
        await page.getByRole("button", { name: "Show" }).click();
        await expect(page.getByRole("heading", { level: 2, name: /, all time$/ })).toBeVisible();
      });

      await test.step("posting an idea earns points and the First idea badge, with a notification", async () => {
        await createIdea(page, { title: `A rank-climbing idea ${Date.now().toString(36)}`, body: "Points for taking part." });
        await page.goto("/notifications");
        await page.getByRole("link", { name: "You earned the badge “First idea”." }).click();
        await expect(page.getByRole("heading", { level: 1, name: "First idea" })).toBeVisible();
        await expect(page.getByRole("main").getByRole("link", { name: me.displayName })).toBeVisible();
      });

      await test.step("my page: points, rank, badges, activity", async () => {
        await page.getByRole("main").getByRole("link", { name: me.displayName }).click();
        await expect(page.getByRole("heading", { level: 1, name: me.displayName })).toBeVisible();
        await expect(page.getByText(/#[\d,]+ of [\d,]+ members all time · #[\d,]+ this month/)).toBeVisible();
        await expect(page.getByRole("definition").first()).not.toHaveText("0");
        const badges = page.getByRole("region", { name: "Badges" });
        await expect(badges.getByRole("link", { name: /First idea/ })).toBeVisible();
        const activity = page.getByRole("region", { name: "Activity" }).getByRole("listitem");
        await expect(activity.filter({ hasText: /^Posted A rank-climbing idea/ })).toHaveCount(1);
        await expect(activity.filter({ hasText: /^Earned the badge First idea/ })).toHaveCount(1);
      });

      await test.step("proposing a duplicate takes points: a newcomer is told how many", async () => {
        await page.getByRole("region", { name: "Ideas", exact: true }).getByRole("link").first().click();
        await page.getByRole("link", { name: "Duplicate of another idea?" }).click();
        await expect(page.getByRole("heading", { level: 1, name: "Propose a duplicate" })).toBeVisible();
        await expect(page.getByRole("note")).toContainText(/Members with [\d,]+ points or more can propose duplicates; you have \d+\./);
        await page.getByLabel(/Number of the other idea/).fill("1");
        await page.getByRole("button", { name: "Propose" }).click();
        await expect(page.getByRole("alert")).toContainText(/points or more can propose duplicates/);
      });

      await test.step("the badge catalogue", async () => {
        await page.goto("/badges");
        await expect(page.getByRole("heading", { level: 1, name: "Badges" })).toBeVisible();
        await expect(page.getByRole("link", { name: "Early supporter" })).toBeVisible();
        await page.getByRole("link", { name: "Adopted" }).click();
        await expect(page.getByRole("heading", { level: 2, name: "Holders" })).toBeVisible();
      });
    });
  });
}

test("a demo member's page shows their impact: ideas they backed that were planned or adopted", async ({ page }) => {
  await page.goto("/leaderboard");
  await page.getByRole("table").getByRole("row").nth(1).getByRole("link").click();
  await expect(page.getByRole("region", { name: "Impact" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Activity" }).getByRole("listitem").first()).toBeVisible();
  await expect(page.getByText(/#1 of [\d,]+ members all time/)).toBeVisible();
});

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";
  test.describe(`following, ${mode}`, () => {
    test.use({ javaScriptEnabled });
    test(`${mode}: follow a member from their page, see their posts under Following, unfollow`, async ({ page }) => {
      const me = newMember(javaScriptEnabled ? "Follower" : "NoScript follower");
      await join(page, me);
      await page.goto("/members/jordan");
      if (javaScriptEnabled) await waitForHydration(page);
      await page.getByRole("button", { name: "Follow Jordan Lee" }).click();
      await expect(flash(page)).toHaveText("You follow this member: their new ideas appear in Following and in your notifications.");
      await expect(page.getByText("1 follower", { exact: false }).first()).toBeVisible();
      await page.getByRole("banner").getByRole("link", { name: "Following" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Following" })).toBeVisible();
      await expect(page.getByRole("main").getByRole("link", { name: "Jordan Lee" }).first()).toBeVisible();
      await page.goto("/members/jordan");
      await page.getByRole("button", { name: "Unfollow Jordan Lee" }).click();
      await expect(flash(page)).toHaveText("You no longer follow this member.");
      await page.goto("/following");
      await expect(page.getByRole("heading", { name: "You follow nobody yet" })).toBeVisible();
    });
  });
}
