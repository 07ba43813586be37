import { createIdea, expect, flash, newMember, signIn, signOut, signUp, test, uniqueWord } from "./helpers";

// Following a category is a plain form: it must work without JavaScript.
test.use({ javaScriptEnabled: false });

test("without JavaScript: a member follows a category and hears of a new idea in it", async ({ page }) => {
  const fan = newMember("Category Fan");
  const word = uniqueWord("cf");

  await test.step("a visitor is asked to sign in first", async () => {
    await page.goto("/?category=rewards");
    await page.getByRole("link", { name: "Sign in to follow Harbor Rewards" }).click();
    await expect(page).toHaveURL(/\/login\?redirectTo=%2F%3Fcategory%3Drewards$/);
  });

  await test.step("follow Rewards from its list", async () => {
    await signUp(page, fan);
    await page.goto("/?category=rewards");
    await page.getByRole("button", { name: "Follow Harbor Rewards" }).click();
    await expect(flash(page)).toHaveText("You follow Harbor Rewards: new ideas in it will show in your notifications.");
    await expect(page).toHaveURL("/?category=rewards");
    await expect(page.getByRole("button", { name: "Unfollow Harbor Rewards" })).toHaveAttribute("aria-pressed", "true");
    await signOut(page);
  });

  await test.step("another member posts an idea in Rewards", async () => {
    await signIn(page, "member@example.com");
    await createIdea(page, { title: `Double points on ${word} mornings`, category: "rewards" });
    await signOut(page);
  });

  await test.step("the follower's notifications say so, and unfollowing stops it", async () => {
    await signIn(page, fan.email, fan.password);
    await page.goto("/notifications");
    await expect(page.getByText(new RegExp(`posted a new idea, “Double points on ${word} mornings”, in a category you follow\\.`))).toBeVisible();
    await page.goto("/?category=rewards");
    await page.getByRole("button", { name: "Unfollow Harbor Rewards" }).click();
    await expect(flash(page)).toHaveText("You no longer follow Harbor Rewards.");
    await expect(page.getByRole("button", { name: "Follow Harbor Rewards" })).toHaveAttribute("aria-pressed", "false");
  });
});
