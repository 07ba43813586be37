import type { Page } from "@playwright/test";
import { createIdea, expect, flash, mailLink, newMember, openMail, signIn, signOut, signUp, test, uniqueWord, waitForHydration } from "./helpers";

// Mail as a newcomer sees it: with no SMTP_URL the app keeps every mail in the development
// mailbox (/dev/mailbox), where the links work. Sign-ins: 4; sign-ups: 2.

const staffPanel = (page: Page) => page.getByRole("region", { name: /^Product team/ });

test("a member joins by the mailed link, forgets their password and resets it from the mail", async ({ page }) => {
  const member = newMember("Forgetful");
  await signUp(page, member);
  await page.getByRole("banner").getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
  await expect(page.getByText("confirmed", { exact: true })).toBeVisible();
  await signOut(page);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  // The sign-in page has an "E-mail" field too: fill the one on the new page.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forgot your password?");
  await page.getByLabel("E-mail").fill(member.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status")).toContainText(`If an account uses ${member.email}`);

  await openMail(page, member.email, "Reset your Harbor Ideas password");
  await expect(page.locator(".mail-text")).toContainText("You get this because someone (we hope you) asked for it on your account.");
  const resetLink = await mailLink(page, "/reset-password/").getAttribute("href");
  await mailLink(page, "/reset-password/").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
  const fresh = `${member.password} renewed`;
  await page.getByLabel("New password").fill(fresh);
  await page.getByRole("button", { name: "Save my new password" }).click();
  await expect(flash(page)).toHaveText("Your password is changed, and you are signed in. Every other session was signed out.");
  await signOut(page);
  await signIn(page, member.email, fresh);
  // The link worked once.
  await page.goto(resetLink!);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This link does not work any more");
});

test("an answer to a member's idea reaches them by mail, and one POST from the mail unsubscribes them", async ({ page, browser }) => {
  const member = newMember("Listener");
  const word = uniqueWord("ml");
  await signUp(page, member);
  const { path } = await createIdea(page, { title: `Refill ${word} stations for cold brew`, category: "drinks" });
  await signOut(page);

  const pmContext = await browser.newContext();
  const pm = await pmContext.newPage();
  await signIn(pm, "pm@example.com");
  await pm.goto(path);
  const panel = staffPanel(pm);
  await panel.getByLabel("Status", { exact: true }).selectOption({ label: "Move to “Planned”" });
  await panel.getByLabel("Public response").fill(`We like ${word} refills.`);
  await panel.getByRole("button", { name: "Post response" }).click();
  await expect(flash(pm)).toHaveText("Status changed and response posted. Voters and followers are notified.");
  await pmContext.close();

  await openMail(page, member.email, new RegExp(`^Update on “Refill ${word}`));
  await expect(page.locator(".mail-headers")).toContainText("List-Unsubscribe=One-Click");
  const header = await page.locator(".mail-headers dd code").filter({ hasText: "/unsubscribe/" }).textContent();
  const unsubscribeUrl = /^<(.+)>$/.exec(header ?? "")![1]!;
  // What a mail client does (RFC 8058): one POST, no cookies.
  const response = await page.request.post(unsubscribeUrl, { form: { "List-Unsubscribe": "One-Click" }, headers: { Cookie: "" } });
  expect(response.status()).toBe(200);
  // The link in the mail shows what changed and offers the other choices.
  await mailLink(page, "/unsubscribe/").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("E-mail about “Ideas I voted for or follow”");
  await expect(page.getByRole("status")).toContainText("In the app only");
  await page.getByRole("radio", { name: "Off" }).check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText("Off");
});

test("typing @ offers members; the mention links to their page and mails them", async ({ page }) => {
  const word = uniqueWord("mn");
  await signIn(page, "member@example.com");
  const { path } = await createIdea(page, { title: `Mention ${word} test: decaf after noon`, category: "drinks" });
  await page.goto(path);
  await waitForHydration(page);
  const box = page.getByLabel("Add a comment");
  await box.fill("Thanks @pri");
  const options = page.getByRole("listbox", { name: "Members to mention" }).getByRole("option");
  await expect(options.filter({ hasText: "Priya Natarajan" })).toBeVisible();
  await box.press("Enter");
  await expect(box).toHaveValue("Thanks @priya ");
  await box.pressSequentially(`for ${word}`);
  await page.getByRole("button", { name: "Post comment" }).click();
  const article = page.getByRole("article", { name: "Comment by Jordan Lee" }).filter({ hasText: word });
  await expect(article.getByRole("link", { name: "@priya" })).toHaveAttribute("href", "/members/priya");
  await openMail(page, "pm@example.com", new RegExp(`^Jordan Lee mentioned you on “Mention ${word}`));
  await expect(page.locator(".mail-text")).toContainText("Jordan Lee mentioned you in a comment on");
});

test("joining with an address that has an account looks the same as joining, and its owner is told by mail", async ({ page }) => {
  const owner = newMember("Already here");
  await signUp(page, owner);
  await signOut(page);
  await page.goto("/join");
  await page.getByLabel("Display name").fill("Impostor");
  await page.getByLabel("E-mail").fill(owner.email);
  await page.getByLabel("Password").fill("some other passphrase");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check your inbox");
  await expect(flash(page)).toHaveText(`We have sent a mail to ${owner.email}. Open the link in it to finish joining.`);
  await openMail(page, owner.email, "You already have a Harbor Ideas account");
  await expect(page.locator(".mail-text")).toContainText("No new account was made.");
  await mailLink(page, "/login").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
});
