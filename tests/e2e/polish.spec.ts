import { createIdea, expect, flash, newMember, openPersonContext, signIn, signUp, test, uniqueWord, upVoteIn, waitForHydration } from "./helpers";
import type { Page } from "@playwright/test";

// What a new member trips over, and what a company expects: locked discussions, first posts
// held for approval, the suspension shown where a member would act, and a header that fits.
// Sign-ins used here: 5; sign-ups: 3.

const discussion = (page: Page) => page.getByRole("region", { name: /^Discussion/ });

test("a moderator locks a discussion with a reason; a member sees why and cannot comment; unlocking reopens it", async ({ page, browser, browserErrors }) => {
  const word = uniqueWord("lk");
  await signIn(page, "moderator@example.com");
  const idea = await createIdea(page, { title: `Quieter ${word} grinders in the morning` });
  const memberContext = await openPersonContext(browser, browserErrors);
  const member = await memberContext.newPage();
  await signIn(member, "member@example.com");

  await test.step("the moderator locks it, saying why", async () => {
    await page.goto(idea.path);
    await waitForHydration(page);
    await discussion(page).getByText("Lock discussion…").click();
    await discussion(page).getByLabel("Reason (members see it)").fill("It went off topic; the answer above stands");
    await discussion(page).getByRole("button", { name: "Lock discussion" }).click();
    await expect(discussion(page).getByRole("note")).toContainText("This discussion is locked. It went off topic; the answer above stands.");
    // Staff can still comment.
    await expect(discussion(page).getByLabel("Add a comment")).toBeVisible();
  });

  await test.step("a member sees the reason where the comment box was, and no Reply", async () => {
    await member.goto(idea.path);
    await expect(discussion(member).getByRole("note")).toContainText("This discussion is locked. It went off topic; the answer above stands.");
    await expect(discussion(member).getByLabel("Add a comment")).toHaveCount(0);
    await expect(discussion(member).getByRole("button", { name: "Lock discussion" })).toHaveCount(0);
  });

  await test.step("unlocked, the member can comment again", async () => {
    await discussion(page).getByRole("button", { name: "Unlock discussion" }).click();
    await expect(discussion(page).getByRole("note")).toHaveCount(0);
    await member.reload();
    await waitForHydration(member);
    await discussion(member).getByLabel("Add a comment").fill(`Thanks, ${word} grinders would help.`);
    await discussion(member).getByRole("button", { name: "Post comment" }).click();
    await expect(discussion(member).getByRole("article", { name: "Comment by Jordan Lee" })).toContainText(`Thanks, ${word} grinders would help.`);
  });
  await memberContext.close();
});

test("with first-post approval on, a newcomer's first idea waits, its author sees it pending, and a moderator approves it", async ({ page, browser, browserErrors }) => {
  const word = uniqueWord("ap");
  const title = `Cardamom ${word} cold brew on tap`;
  const setApproval = async (on: boolean) => {
    await page.goto("/manage/settings");
    const box = page.getByRole("checkbox", { name: "Hold a new member's first idea or comment for approval" });
    if (on) await box.check();
    else await box.uncheck();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(flash(page)).toHaveText("Settings saved.");
  };
  await signIn(page, "admin@example.com");
  await setApproval(true);
  const newcomerContext = await openPersonContext(browser, browserErrors);
  const newcomer = await newcomerContext.newPage();
  try {
    let path = "";
    await test.step("the newcomer posts: told it waits, and sees it marked as waiting", async () => {
      await signUp(newcomer, newMember("Newcomer"));
      await newcomer.goto("/ideas/new");
      await waitForHydration(newcomer);
      await newcomer.getByLabel("Title").fill(title);
      await newcomer.getByLabel("Category").selectOption({ label: "Drinks" });
      await newcomer.getByRole("button", { name: "Post idea" }).click();
      await expect(flash(newcomer)).toHaveText("Thanks! As a new member, your first idea waits for a moderator's approval before it is public. You will be told when it is.");
      path = new URL(newcomer.url()).pathname;
      await expect(newcomer.getByRole("note").filter({ hasText: "Waiting for approval" })).toContainText("Only you and moderators can see it for now.");
    });

    await test.step("a moderator finds it waiting in the queue and approves it", async () => {
      await page.goto("/moderation");
      const waiting = page.getByRole("region", { name: /^Waiting for approval/ });
      const item = waiting.getByRole("listitem").filter({ hasText: title });
      await expect(item).toContainText("First idea");
      await item.getByRole("button", { name: /^Approve/ }).click();
      await expect(flash(page)).toHaveText("Approved: it is public now, and its author is told.");
      await expect(page.getByRole("listitem").filter({ hasText: title })).toHaveCount(0);
    });

    await test.step("it is public: no longer marked as waiting", async () => {
      await newcomer.goto(path);
      await expect(newcomer.getByRole("heading", { level: 1 })).toHaveText(title);
      await expect(newcomer.getByRole("note").filter({ hasText: "Waiting for approval" })).toHaveCount(0);
    });
  } finally {
    await setApproval(false);
    await newcomerContext.close();
  }
});

test("a suspended member on a phone sees the suspension where they would act, and the controls are off; the header is one row", async ({ page, browser, browserErrors }) => {
  const member = newMember("Suspended");
  const phoneContext = await openPersonContext(browser, browserErrors, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const phone = await phoneContext.newPage();
  await signUp(phone, member);

  await signIn(page, "moderator@example.com");
  const idea = await createIdea(page, { title: `Oat ${uniqueWord("su")} flat white` });
  // The member's page, from their own profile link (in the phone menu).
  await phone.getByText("Menu", { exact: true }).click();
  const profile = await phone.locator(".phone-menu-account").getByRole("link", { name: member.displayName }).getAttribute("href");
  await page.goto(profile!);
  await page.getByLabel("Reason (the member sees it)").fill("Repeated off-topic posts");
  await page.getByRole("button", { name: /^Suspend/ }).click();
  await expect(flash(page)).toHaveText("Member suspended. Their sessions obey at once.");

  await phone.goto(idea.path);
  // Page titles carry the site's name from the branding settings.
  await expect(phone).toHaveTitle(/^Oat \w+ flat white · Harbor Ideas$/);
  await expect(phone.getByRole("alert")).toContainText("Your account is suspended until further notice: Repeated off-topic posts.");
  await expect(upVoteIn(phone.getByRole("complementary"))).toBeDisabled();
  await expect(discussion(phone).getByLabel("Add a comment")).toHaveCount(0);
  await expect(discussion(phone).getByRole("note")).toContainText("Your account is suspended");
  await expect(phone.getByText("Flag", { exact: true })).toHaveCount(0);

  // One row of header on the phone (brand, Post, bell, Menu), about 56 px of 844.
  const phoneHeader = await phone.locator(".site-header").boundingBox();
  expect(phoneHeader!.height).toBeLessThanOrEqual(64);
  await expect(phone.getByRole("link", { name: "Post an idea" })).toBeVisible();
  // On a desktop, signed in as staff: one row plus the staff bar.
  const row = await page.locator(".header-inner").boundingBox();
  expect(row!.height).toBeLessThanOrEqual(64);
  await phoneContext.close();
});
