import {
  bellIn,
  createIdea,
  expect,
  flash,
  newMember,
  openPersonContext,
  scoreIn,
  signIn,
  signUp,
  test,
  uniqueWord,
  upVoteIn,
  waitForHydration,
} from "./helpers";

// Moderation with JavaScript on: flagging, the moderators' queue, hiding with a reason, and suspensions.
// Several people take part at once, each in their own browser context, so a person who is
// already signed in stays signed in. Sign-ins used here: 4; sign-ups: 1.

test("a flagged comment is hidden by a moderator: its author is told why, others see a placeholder", async ({
  page,
  browser,
  browserErrors,
}) => {
  const word = uniqueWord("mo");
  const title = `Quieter ${word} grinders at Canal Street`;
  // The comment has its own word, so the test can tell whether its text reaches anyone who may not see it.
  const secret = uniqueWord("mx");
  const comment = `Anyone who wants this is a clueless ${secret}.`;
  const reason = "Personal attack";

  const author = page;
  const flaggerContext = await openPersonContext(browser, browserErrors);
  const moderatorContext = await openPersonContext(browser, browserErrors);
  const visitorContext = await openPersonContext(browser, browserErrors);
  let path = "";

  await test.step("a member comments on a fresh idea", async () => {
    await signIn(author, "member@example.com");
    ({ path } = await createIdea(author, { title, category: "stores" }));
    await author.goto(path);
    await waitForHydration(author);
    await author.getByLabel("Add a comment").fill(comment);
    await author.getByRole("button", { name: "Post comment" }).click();
    await expect(author.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: comment })).toBeVisible();
  });

  await test.step("another member flags the comment as abusive", async () => {
    const flagger = await flaggerContext.newPage();
    await signIn(flagger, "maria_g@example.net");
    await flagger.goto(path);
    await waitForHydration(flagger);
    const flagged = flagger.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: comment });
    await flagged.getByRole("link", { name: /^Flag/ }).click();
    await expect(flagged.getByRole("group", { name: "What is wrong with this comment?" })).toBeVisible();
    await flagged.getByRole("radio", { name: "Abusive or disrespectful" }).check();
    await flagged.getByLabel("Note for moderators (optional)").fill("Name-calling.");
    await flagged.getByRole("button", { name: "Send flag" }).click();
    // One member's flag does not weigh enough to hide it before a moderator looks.
    await expect(flagged.getByRole("status")).toHaveText("Thank you. A moderator will review it.");
  });

  await test.step("the moderator finds it in the queue with the flag's reason and flagger, and hides it", async () => {
    const moderator = await moderatorContext.newPage();
    await signIn(moderator, "moderator@example.com");
    await moderator.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Moderation" }).click();
    await expect(moderator.getByRole("heading", { level: 1, name: "Moderation" })).toBeVisible();
    await waitForHydration(moderator);
    const item = moderator
      .getByRole("main")
      .getByRole("listitem")
      .filter({ has: moderator.getByRole("list", { name: "Flags" }) })
      .filter({ hasText: comment });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(`Comment by Jordan Lee on ${title}`);
    await expect(item).toContainText("1 flag");
    const flags = item.getByRole("list", { name: "Flags" }).getByRole("listitem");
    await expect(flags).toHaveCount(1);
    await expect(flags).toContainText("Abusive or disrespectful “Name-calling.” — María González");
    await expect(flags.getByRole("link", { name: "María González" })).toHaveAttribute("href", "/members/maria_g");

    await item.getByLabel("Action").selectOption({ label: "Hide" });
    await item.getByLabel("Reason (the author sees it)").fill(reason);
    await item.getByRole("button", { name: "Apply" }).click();
    // Decided: it leaves the queue, and the page says what happened.
    await expect(item).toHaveCount(0);
    await expect(flash(moderator)).toHaveText("Hidden. The author has been told why.");
  });

  await test.step("the author sees the comment with the moderator's reason, and a notification", async () => {
    await author.reload();
    const mine = author.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: comment });
    await expect(mine.getByRole("note")).toHaveText(
      `This comment was hidden by a moderator. Reason: ${reason} Only you and moderators can see it.`,
    );
    await expect(bellIn(author)).toHaveAccessibleName(/^Notifications, \d+ unread$/);
    await bellIn(author).click();
    await expect(
      author
        .getByRole("main")
        .getByRole("link", { name: `Unread: Your comment on “${title}” was hidden by a moderator: ${reason}` }),
    ).toBeVisible();
  });

  await test.step("a visitor sees the placeholder with the reason, not the text", async () => {
    const visitor = await visitorContext.newPage();
    await visitor.goto(path);
    const discussion = visitor.getByRole("region", { name: /^Discussion/ });
    await expect(discussion.getByText(`This comment was hidden by a moderator. Reason: ${reason}`, { exact: true })).toBeVisible();
    await expect(discussion).not.toContainText(secret);
    expect(await visitor.content(), "the hidden text is not in the page or its data").not.toContain(secret);
  });

  await Promise.all([flaggerContext.close(), moderatorContext.close(), visitorContext.close()]);
});

test("a suspended member sees why on their next page, where they would act, and cannot vote or comment", async ({ page, browser, browserErrors }) => {
  const member = newMember("Hothead");
  const word = uniqueWord("ms");
  const title = `Louder ${word} music on Friday nights`;
  const moderatorContext = await openPersonContext(browser, browserErrors);
  let path = "";

  await test.step("a new member is signed in and has posted an idea", async () => {
    await signUp(page, member);
    ({ path } = await createIdea(page, { title, category: "stores" }));
    await page.goto(path);
    await expect(page.getByText(/Your account is suspended/)).toHaveCount(0);
  });

  await test.step("the moderator suspends them from their member page", async () => {
    const moderator = await moderatorContext.newPage();
    await signIn(moderator, "moderator@example.com");
    await moderator.goto(path);
    await moderator.getByRole("article", { name: title }).getByRole("link", { name: member.displayName }).click();
    await expect(moderator.getByRole("heading", { level: 1 })).toHaveText(member.displayName);
    const admin = moderator.getByRole("region", { name: /^Moderation/ });
    await admin.getByLabel("Reason (the member sees it)").fill("Cooling off");
    await admin.getByRole("button", { name: "Suspend", exact: true }).click();
    await expect(flash(moderator)).toHaveText("Member suspended. Their sessions obey at once.");
    await expect(moderator.getByRole("note")).toHaveText("Suspended indefinitely: Cooling off");
    await expect(moderator.getByRole("region", { name: /^Moderation/ }).getByRole("button", { name: "Lift suspension" })).toBeVisible();
  });

  await test.step("the member's next page load shows the suspension and its reason", async () => {
    await page.reload();
    await expect(page.getByRole("alert").filter({ hasText: "Your account is suspended" })).toHaveText(
      "Your account is suspended until further notice: Cooling off. You can read, but not post, vote, comment or flag.",
    );
  });

  await test.step("where they would vote or comment, the idea page says why they cannot, and the controls are off", async () => {
    await waitForHydration(page);
    const votes = page.getByRole("complementary", { name: "Votes" });
    await expect(scoreIn(votes)).toHaveText("0");
    await expect(upVoteIn(votes)).toBeDisabled();
    await expect(votes.getByText("Your account is suspended until further notice: Cooling off. You can still read.")).toBeVisible();
    const discussion = page.getByRole("region", { name: /^Discussion/ });
    await expect(discussion.getByRole("note")).toHaveText("Your account is suspended until further notice: Cooling off. You can still read.");
    await expect(discussion.getByRole("textbox", { name: "Add a comment" })).toHaveCount(0);
  });

  await test.step("a vote sent anyway (a stale page, a script) is refused by the server, and the score stays", async () => {
    const res = await page.request.post(path, { form: { intent: "vote", value: "up" }, headers: { Origin: new URL(page.url()).origin } });
    expect(res.status()).toBe(403);
    await page.reload();
    await expect(scoreIn(page.getByRole("complementary", { name: "Votes" }))).toHaveText("0");
  });

  await moderatorContext.close();
});
