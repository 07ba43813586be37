import {
  DEMO_PASSWORD,
  expect,
  flash,
  newMember,
  scoreIn,
  signOut,
  test,
  uniqueWord,
  waitForHydration, finishJoining } from "./helpers";

// The main journey with JavaScript on: a newcomer posts an idea, another member finds it,
// votes, comments and replies, all through the page as a user would.
test("a newcomer posts an idea; another member finds it, votes, comments and replies", async ({ page }) => {
  const newcomer = newMember("Newcomer");
  const word = uniqueWord();
  const title = `Refillable ${word} tins for whole beans`;

  await test.step("the front page shows idea cards with the Trending tab current", async () => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Ideas from the Harbor community" })).toBeVisible();
    const cards = page.getByRole("list", { name: "Ideas" }).getByRole("listitem");
    await expect(cards.first()).toBeVisible();
    expect(await cards.count()).toBeGreaterThan(1);
    const tabs = page.getByRole("navigation", { name: "Sort ideas" });
    await expect(tabs.getByRole("link", { name: "Trending" })).toHaveAttribute("aria-current", "page");
    await expect(tabs.getByRole("link", { name: "Top" })).not.toHaveAttribute("aria-current", /.*/);
  });

  await test.step("Join: sign up and see the welcome message", async () => {
    await page.getByRole("banner").getByRole("link", { name: "Join", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Join Harbor Ideas" })).toBeVisible();
    await page.getByLabel("Display name").fill(newcomer.displayName);
    await page.getByLabel("E-mail").fill(newcomer.email);
    await page.getByLabel("Password").fill(newcomer.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await finishJoining(page, newcomer);
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("banner").getByRole("link", { name: newcomer.displayName })).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });

  await test.step("post an idea, previewing the Markdown first", async () => {
    await page.getByRole("banner").getByRole("link", { name: "Post an idea" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Post an idea" })).toBeVisible();
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Category").selectOption({ label: "Sustainability" });
    await page
      .getByLabel("Description")
      .fill(`Bring back the tin and we fill it. It would be **truly ${word}** for the planet.`);
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByRole("region", { name: "Preview" });
    await expect(preview.getByRole("strong")).toHaveText(`truly ${word}`);
    await expect(preview).not.toContainText("**");
    // Previewing keeps what was typed.
    await expect(page.getByLabel("Title")).toHaveValue(title);
    await expect(page.getByLabel("Category")).toHaveValue("sustainability");

    await page.getByRole("button", { name: "Post idea" }).click();
    await expect(page).toHaveURL(/\/ideas\/\d+-refillable-/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(flash(page)).toHaveText("Your idea is posted. Share it so others can vote!");
    await expect(page.getByRole("article", { name: title }).getByRole("strong")).toHaveText(`truly ${word}`);
  });

  await test.step("sign out", async () => {
    await signOut(page);
  });

  await test.step("another member signs in and finds the idea by searching", async () => {
    await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("E-mail").fill("member@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(flash(page)).toHaveText("You are signed in.");
    await expect(page.getByRole("banner").getByRole("link", { name: "Jordan Lee" })).toBeVisible();

    const search = page.getByRole("searchbox", { name: "Search ideas" });
    await search.fill(word);
    await search.press("Enter");
    await expect(page).toHaveURL(`/?q=${word}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Ideas matching “${word}”`);
    const results = page.getByRole("list", { name: "Ideas" }).getByRole("listitem");
    await expect(results).toHaveCount(1);
    await results.getByRole("link", { name: title }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  });

  const votes = page.getByRole("complementary", { name: "Votes" });

  await test.step("vote up: the score changes at once and stays after a reload", async () => {
    await waitForHydration(page);
    await expect(scoreIn(votes)).toHaveText("0");
    // Hold the vote's request on its way to the server: the score must change before the answer.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) => url.pathname.startsWith("/ideas/"),
      async (route) => {
        if (route.request().method() === "POST") await held;
        await route.continue();
      },
    );
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/ideas/"));
    await votes.getByRole("button", { name: /^Vote up/ }).click();
    // The answer is held back, so a "1" now can only be the optimistic update.
    await expect(scoreIn(votes)).toHaveText("1");
    await expect(votes.getByRole("button", { name: /^Remove your up-vote/ })).toHaveAttribute("aria-pressed", "true");
    release();
    expect((await answered).status()).toBe(200);
    await page.unrouteAll();
    await expect(scoreIn(votes)).toHaveText("1");

    await page.reload();
    await expect(scoreIn(votes)).toHaveText("1");
    await expect(votes.locator(".vote-score")).toHaveText("1 vote");
    await expect(votes.getByRole("button", { name: /^Remove your up-vote/ })).toHaveAttribute("aria-pressed", "true");
    await expect(votes.getByRole("button", { name: /^Vote down/ })).toHaveAttribute("aria-pressed", "false");
  });

  const comment = `Yes please, I would bring my ${word} tin every week.`;
  const reply = `Replying to myself: the ${word} tin should fit 250 g.`;

  await test.step("comment: it appears without a full page reload", async () => {
    await waitForHydration(page);
    await page.evaluate(() => ((window as unknown as { e2eSameDocument: boolean }).e2eSameDocument = true));
    const box = page.getByLabel("Add a comment");
    await box.fill(comment);
    await page.getByRole("button", { name: "Post comment" }).click();
    const article = page.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: comment });
    await expect(article).toBeVisible();
    await expect(box).toHaveValue("");
    expect(
      await page.evaluate(() => (window as unknown as { e2eSameDocument?: boolean }).e2eSameDocument),
      "the page was not reloaded",
    ).toBe(true);
    await expect(page.getByRole("heading", { name: /^Discussion/ })).toHaveText("Discussion 1");
  });

  await test.step("reply: it appears nested under the comment", async () => {
    const article = page.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: comment });
    await article.getByRole("link", { name: /^Reply/ }).click();
    const replyBox = article.getByLabel("Reply to Jordan Lee");
    await expect(replyBox).toBeVisible();
    await replyBox.fill(reply);
    await article.getByRole("button", { name: "Post reply" }).click();

    const discussion = page.getByRole("region", { name: /^Discussion/ });
    const commentItem = discussion.getByRole("listitem").filter({ has: page.getByText(comment) }).first();
    const nested = commentItem.getByRole("list").getByRole("article", { name: "Comment by Jordan Lee" });
    await expect(nested).toHaveCount(1);
    await expect(nested).toContainText(reply);
    // The reply form closes again once the reply is saved.
    await expect(replyBox).toBeHidden();
    expect(await page.evaluate(() => (window as unknown as { e2eSameDocument?: boolean }).e2eSameDocument)).toBe(true);

    // And it is stored that way.
    await page.reload();
    const storedItem = discussion.getByRole("listitem").filter({ has: page.getByText(comment) }).first();
    await expect(storedItem.getByRole("list").getByRole("article")).toContainText(reply);
  });
});
