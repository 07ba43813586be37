import {
  DEMO_PASSWORD,
  createIdea,
  expect,
  flash,
  newMember,
  scoreIn,
  signIn,
  signOut,
  test,
  uniqueWord, finishJoining } from "./helpers";

// Everything must work as plain HTML forms: no JavaScript runs in these tests.
test.use({ javaScriptEnabled: false });

test("without JavaScript: sign up, post with preview, search, vote, comment and reply", async ({ page }) => {
  const newcomer = newMember("NoScript");
  const word = uniqueWord("nj");
  const title = `Quilted ${word} sleeves that insulate`;
  // A form post without JavaScript is a document navigation with method POST.
  const formPost = () => page.waitForRequest((r) => r.isNavigationRequest() && r.method() === "POST");

  await test.step("sign up", async () => {
    await page.goto("/");
    await expect(page.getByRole("list", { name: "Ideas" }).getByRole("listitem").first()).toBeVisible();
    await page.getByRole("banner").getByRole("link", { name: "Join", exact: true }).click();
    await page.getByLabel("Display name").fill(newcomer.displayName);
    await page.getByLabel("E-mail").fill(newcomer.email);
    await page.getByLabel("Password").fill(newcomer.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await finishJoining(page, newcomer);
    await expect(page.getByRole("banner").getByRole("link", { name: newcomer.displayName })).toBeVisible();
  });

  await test.step("post an idea; Preview is a real form post", async () => {
    await page.getByRole("banner").getByRole("link", { name: "Post an idea" }).click();
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Category").selectOption({ label: "Stores & Drive-Thru" });
    await page.getByLabel("Description").fill(`Hot cups burn. A **${word} sleeve** would fix that.`);
    const previewPosted = formPost();
    await page.getByRole("button", { name: "Preview" }).click();
    expect((await previewPosted).postDataJSON()).toMatchObject({ intent: "preview", title });
    await expect(page.getByRole("region", { name: "Preview" }).getByRole("strong")).toHaveText(`${word} sleeve`);
    // The server sends the form back filled in.
    await expect(page.getByLabel("Title")).toHaveValue(title);
    await expect(page.getByLabel("Category")).toHaveValue("stores");
    await expect(page.getByLabel("Description")).toHaveValue(`Hot cups burn. A **${word} sleeve** would fix that.`);

    await page.getByRole("button", { name: "Post idea" }).click();
    // Without JavaScript the similar-ideas check happens on submit: if an earlier test posted a
    // look-alike, the server asks "Is it one of these?" once, and "Post mine anyway" goes through.
    const posted = page.getByRole("heading", { level: 1, name: title });
    const similar = page.getByRole("region", { name: "Is it one of these?" });
    await expect(posted.or(similar)).toBeVisible();
    if (await similar.isVisible()) {
      await expect(similar.getByRole("link").first()).toBeVisible();
      await page.getByRole("button", { name: "Post mine anyway" }).click();
    }
    await expect(page).toHaveURL(/\/ideas\/\d+-quilted-/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(flash(page)).toHaveText("Your idea is posted. Share it so others can vote!");
  });

  await test.step("sign out and sign in as another member", async () => {
    await signOut(page);
    await page.getByRole("banner").getByRole("link", { name: "Sign in" }).click();
    await page.getByLabel("E-mail").fill("member@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(flash(page)).toHaveText("You are signed in.");
    await expect(page.getByRole("banner").getByRole("link", { name: "Jordan Lee" })).toBeVisible();
  });

  await test.step("search for the idea and open it", async () => {
    const search = page.getByRole("searchbox", { name: "Search ideas" });
    await search.fill(word);
    await search.press("Enter");
    await expect(page).toHaveURL(`/?q=${word}`);
    const results = page.getByRole("list", { name: "Ideas" }).getByRole("listitem");
    await expect(results).toHaveCount(1);
    await results.getByRole("link", { name: title }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  });

  const votes = page.getByRole("complementary", { name: "Votes" });

  await test.step("vote up: the page reloads with the new score", async () => {
    await expect(scoreIn(votes)).toHaveText("0");
    const votePosted = formPost();
    await votes.getByRole("button", { name: /^Vote up/ }).click();
    expect((await votePosted).postDataJSON()).toMatchObject({ intent: "vote", value: "up" });
    await expect(scoreIn(votes)).toHaveText("1");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(votes.getByRole("button", { name: /^Remove your up-vote/ })).toHaveAttribute("aria-pressed", "true");
    await page.reload();
    await expect(scoreIn(votes)).toHaveText("1");
  });

  const comment = `Without scripts, my ${word} comment still posts.`;
  const reply = `And the ${word} reply nests.`;

  await test.step("comment", async () => {
    await page.getByLabel("Add a comment").fill(comment);
    await page.getByRole("button", { name: "Post comment" }).click();
    await expect(page).toHaveURL(/\/ideas\/\d+-quilted-[^#]*#comment-\d+$/);
    await expect(
      page.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: comment }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { name: /^Discussion/ })).toHaveText("Discussion 1");
  });

  await test.step("reply (without JavaScript, Reply is a link that opens that comment's form)", async () => {
    const article = page.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: comment });
    await expect(article.getByLabel("Reply to Jordan Lee")).toHaveCount(0);
    await article.getByRole("link", { name: /^Reply/ }).click();
    await expect(page).toHaveURL(/[?&]reply=\d+#comment-\d+$/);
    await article.getByLabel("Reply to Jordan Lee").fill(reply);
    await article.getByRole("button", { name: "Post reply" }).click();
    await expect(page).toHaveURL(/#comment-\d+$/);
    const discussion = page.getByRole("region", { name: /^Discussion/ });
    const commentItem = discussion.getByRole("listitem").filter({ has: page.getByText(comment) }).first();
    const nested = commentItem.getByRole("list").getByRole("article", { name: "Comment by Jordan Lee" });
    await expect(nested).toHaveCount(1);
    await expect(nested).toContainText(reply);
    await expect(page.getByRole("heading", { name: /^Discussion/ })).toHaveText("Discussion 2");
  });
});

test("without JavaScript: the category filter applies with its Apply button", async ({ page }) => {
  await page.goto("/?sort=new");
  const filters = page.getByRole("form", { name: "Filter ideas" });
  await filters.getByLabel("Category").selectOption({ label: "Food" });
  await filters.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]category=food(&|$)/);
  await expect(page).toHaveURL(/[?&]sort=new(&|$)/);
  await expect(filters.getByLabel("Category")).toHaveValue("food");
  const cards = page.getByRole("list", { name: "Ideas" }).getByRole("listitem");
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) {
    await expect(card.getByRole("link", { name: "Food", exact: true })).toBeVisible();
  }
});

test("without JavaScript: voting on a list card comes back to the same list", async ({ page }) => {
  await signIn(page, "pm@example.com");
  const word = uniqueWord("nl");
  const title = `List vote ${word} without scripts`;
  await createIdea(page, { title });
  await page.goto(`/?q=${word}`);
  const card = page.getByRole("list", { name: "Ideas" }).getByRole("listitem").filter({
    has: page.getByRole("link", { name: title, exact: true }),
  });
  await expect(scoreIn(card)).toHaveText("0");
  await card.getByRole("button", { name: /^Vote up/ }).click();
  await expect(page).toHaveURL(`/?q=${word}`);
  await expect(scoreIn(card)).toHaveText("1");
  await expect(card.getByRole("button", { name: /^Remove your up-vote/ })).toHaveAttribute("aria-pressed", "true");
  await card.getByRole("button", { name: /^Remove your up-vote/ }).click();
  await expect(page).toHaveURL(`/?q=${word}`);
  await expect(scoreIn(card)).toHaveText("0");
  await expect(card.getByRole("button", { name: /^Vote up/ })).toHaveAttribute("aria-pressed", "false");
});
