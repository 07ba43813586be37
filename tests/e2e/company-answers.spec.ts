import {
  bellIn,
  createIdea,
  expect,
  flash,
  newMember,
  scoreIn,
  signIn,
  signOut,
  signUp,
  test,
  uniqueWord,
  upVoteIn,
  waitForHydration,
  type BrowserErrors,
} from "./helpers";
import type { Page } from "@playwright/test";

// The company answering ideas: official responses that move an idea along the pipeline,
// declining, merging duplicates, similar ideas while typing, the roadmap and triage.
// Sign-ins used here: 8 (the whole suite may use 30 in
// 15 minutes); sign-ups: 1.

const votesIn = (page: Page) => page.getByRole("complementary", { name: "Votes" });
const staffPanel = (page: Page) => page.getByRole("region", { name: /^Product team/ });
const officialResponse = (page: Page) => page.getByRole("region", { name: /^Official response/ });
/** The status badge in the idea's header (a plain label next to the title, no role of its own). */
const headerStatus = (page: Page) => page.locator(".idea-header .status");

/** The server's answer to the vote about to be cast (the button shows the vote before it). */
const voteAnswered = (page: Page) =>
  page.waitForResponse((r) => r.request().method() === "POST" && /\/ideas\/\d+/.test(new URL(r.url()).pathname));

/** A day `days` from today (UTC) as the date input's value and as the site writes it. */
function dayFromNow(days: number) {
  const day = new Date(Date.now() + days * 86_400_000);
  return {
    value: day.toISOString().slice(0, 10),
    text: new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(day),
  };
}

test("a member's idea is adopted: official response, closed voting, notification and Ideas in Action", async ({
  page,
  browserErrors,
}) => {
  const member = newMember("Supporter");
  const word = uniqueWord("ca");
  const title = `Reusable ${word} lids for cold cups`;
  const answer = `Good call! Reusable **${word}** lids arrive in every store next month.`;
  const answerText = `Good call! Reusable ${word} lids arrive in every store next month.`;
  let path = "";
  let id = 0;

  await test.step("a new member posts an idea and votes for it", async () => {
    await signUp(page, member);
    ({ path, id } = await createIdea(page, { title, category: "sustainability" }));
    await page.goto(path);
    await waitForHydration(page);
    const votes = votesIn(page);
    const answered = voteAnswered(page);
    await upVoteIn(votes).click();
    await expect(votes.getByRole("button", { name: /^Remove your up-vote/ })).toHaveAttribute("aria-pressed", "true");
    expect((await answered).status()).toBe(200);
    await page.reload();
    await expect(scoreIn(votes)).toHaveText("1");
    await signOut(page);
  });

  await test.step("the product manager tries to decline without a reason: the field says why, nothing changes", async () => {
    allowRefusedForm(browserErrors);
    await signIn(page, "pm@example.com");
    await page.goto(path);
    await waitForHydration(page);
    const panel = staffPanel(page);
    await expect(panel.getByRole("heading", { name: "Official response" })).toBeVisible();
    await expect(panel.getByRole("group", { name: "When declining" })).toBeHidden();
    await panel.getByLabel("Status", { exact: true }).selectOption({ label: "Move to “Declined”" });
    const decline = panel.getByRole("group", { name: "When declining" });
    await expect(decline).toBeVisible();
    await panel.getByLabel("Public response").fill(`Not for now: ${word}.`);
    await panel.getByRole("button", { name: "Post response" }).click();
    const reason = decline.getByLabel("Reason", { exact: true });
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(reason).toHaveAccessibleDescription("Say why it is declined.");
    await expect(headerStatus(page)).toHaveText("New");
    await expect(officialResponse(page)).toHaveCount(0);
  });

  await test.step("the product manager moves it to Adopted with a public response", async () => {
    const panel = staffPanel(page);
    await panel.getByLabel("Status", { exact: true }).selectOption({ label: "Move to “Adopted”" });
    // The decline fields only show when declining.
    await expect(panel.getByRole("group", { name: "When declining" })).toBeHidden();
    await panel.getByLabel("Public response").fill(answer);
    await panel.getByRole("button", { name: "Post response" }).click();
    await expect(flash(page)).toHaveText("Status changed and response posted. Voters and followers are notified.");
  });

  await test.step("the response shows prominently, voting is closed, the history lists the change", async () => {
    const official = officialResponse(page);
    await expect(official.getByRole("heading", { level: 2 })).toHaveText("Official response Adopted");
    await expect(official.getByRole("strong")).toHaveText(word);
    await expect(official).toContainText(answerText);
    await expect(official.getByRole("link", { name: "Priya Natarajan" })).toBeVisible();
    await expect(headerStatus(page)).toHaveText("Adopted");

    const votes = votesIn(page);
    await expect(upVoteIn(votes)).toBeDisabled();
    await expect(votes.getByRole("button", { name: /^Vote down/ })).toBeDisabled();
    await expect(page.getByRole("complementary").getByText("Voting is closed.")).toBeVisible();

    const history = page.getByRole("region", { name: "Status history and answers" }).getByRole("listitem");
    await expect(history).toHaveCount(1);
    await expect(history).toContainText(/New\s*→\s*Adopted/);
    await expect(history).toContainText("Priya Natarajan");
    // The latest answer is the official response above, pointed to rather than repeated.
    await expect(history).toContainText("The official response, shown above.");
    await expect(history).not.toContainText(answerText);
    await signOut(page);
  });

  await test.step("the member signs in again: the bell counts it, the notification opens the idea", async () => {
    await signIn(page, member.email, member.password);
    // The answer, and the two badges the member earned on the way (First idea, Adopted: decision 015).
    await expect(bellIn(page)).toHaveAccessibleName("Notifications, 3 unread");
    await expect(bellIn(page)).toHaveText("3");
    await bellIn(page).click();
    await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
    const notification = page
      .getByRole("main")
      .getByRole("link", { name: `Unread: “${title}” is now Adopted: Priya Natarajan posted an official response.` });
    await expect(notification).toBeVisible();
    // The link's text wraps onto two lines; the middle of its box is the gap between them.
    await notification.click({ position: { x: 8, y: 8 } });
    await expect(page).toHaveURL(new RegExp(`/ideas/${id}(-[a-z0-9-]*)?$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(officialResponse(page)).toContainText(answerText);
    await expect(bellIn(page), "the count drops once the notification is opened").toHaveAccessibleName("Notifications, 2 unread");

    await page.goto("/notifications");
    await expect(
      page.getByRole("main").getByRole("link", { name: `“${title}” is now Adopted: Priya Natarajan posted an official response.` }),
    ).toBeVisible();
  });

  await test.step("the idea is in Ideas in Action with the response and the credit", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Ideas in Action" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Ideas in Action" })).toBeVisible();
    const card = page
      .getByRole("main")
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { level: 2, name: title }) });
    await expect(card).toHaveCount(1);
    await expect(card).toContainText(answerText);
    await expect(card).toContainText("— Priya Natarajan, Harbor");
    await expect(card).toContainText(`Credit: idea by ${member.displayName}`);
    await expect(card.getByRole("link", { name: member.displayName }).first()).toHaveAttribute("href", /^\/members\//);
    await card.getByRole("link", { name: title }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the product manager declines an idea with a reason and a revisit date", async ({ page }) => {
    const word = uniqueWord("cd");
    const title = `Espresso ${word} flights on Sundays`;
    const revisit = dayFromNow(90);
    await signIn(page, "pm@example.com");
    const { path } = await createIdea(page, { title });
    await page.goto(path);
    const panel = staffPanel(page);

    await panel.getByLabel("Status", { exact: true }).selectOption({ label: "Move to “Declined”" });
    // Without JavaScript the decline fields are always there.
    const decline = panel.getByRole("group", { name: "When declining" });
    await expect(decline).toBeVisible();
    await decline.getByLabel("Reason", { exact: true }).selectOption({ label: "Not feasible for us" });
    await decline.getByLabel("Revisit on").fill(revisit.value);
    await panel.getByLabel("Public response").fill(`Our machines cannot pull ${word} flights yet.`);
    await panel.getByRole("button", { name: "Post response" }).click();

    await expect(flash(page)).toHaveText("Status changed and response posted. Voters and followers are notified.");
    await expect(page).toHaveURL(/#official-response$/);
    const official = officialResponse(page);
    await expect(official.getByRole("heading", { level: 2 })).toHaveText("Official response Declined");
    await expect(official).toContainText(`Our machines cannot pull ${word} flights yet.`);
    await expect(official.getByText("Reason: Not feasible for us")).toBeVisible();
    await expect(official.getByText(`We will look at this again on ${revisit.text}.`)).toBeVisible();
    await expect(headerStatus(page)).toHaveText("Declined");
    await expect(upVoteIn(votesIn(page))).toBeDisabled();
    await expect(page.getByRole("region", { name: "Status history and answers" })).toContainText(/New\s*→\s*Declined/);
  });

  // Without JavaScript a refused staff form renders the reason on its own page (no redirect swallows it).
  test("declining without a reason shows an error and changes nothing", async ({ page, browserErrors }) => {
    allowRefusedForm(browserErrors);
    const word = uniqueWord("cr");
    const title = `Espresso ${word} flights on Mondays`;
    await signIn(page, "pm@example.com");
    const { path } = await createIdea(page, { title });
    await page.goto(path);
    const panel = staffPanel(page);
    await panel.getByLabel("Status", { exact: true }).selectOption({ label: "Move to “Declined”" });
    await panel.getByLabel("Public response").fill(`Not now, sorry: ${word}.`);
    await panel.getByRole("button", { name: "Post response" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Say why it is declined." })).toBeVisible();
    await expect(page.getByText(`Not now, sorry: ${word}.`)).toBeVisible();

    await page.goto(path);
    await expect(headerStatus(page)).toHaveText("New");
    await expect(officialResponse(page)).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Status history and answers" })).toHaveCount(0);
  });
});

/** A refused form post answers 400: the browser reports the status in the console. */
function allowRefusedForm(browserErrors: BrowserErrors) {
  browserErrors.allow(/Failed to load resource: the server responded with a status of 400/);
}

test("the product manager picks a possible duplicate, confirms with both ideas side by side, and undoes it from the target", async ({ page, browserErrors }) => {
  // Reviewing a merge with nothing chosen is answered 400 on purpose.
  browserErrors.allow(/status of 400 \(Bad Request\) \(at http:\/\/localhost:\d+\/ideas\/\d+\/merge/);
  const word = uniqueWord("cm");
  const a = { title: `Cardamom ${word} buns at every store` };
  const b = { title: `Bring the ${word} cardamom bun to Eastgate` };
  await signIn(page, "pm@example.com");
  const ideaA = await createIdea(page, { ...a, category: "food" });
  const ideaB = await createIdea(page, { ...b, category: "food" });

  await test.step("B gets a vote", async () => {
    await page.goto(ideaB.path);
    await waitForHydration(page);
    const answered = voteAnswered(page);
    await upVoteIn(votesIn(page)).click();
    await expect(votesIn(page).getByRole("button", { name: /^Remove your up-vote/ })).toHaveAttribute("aria-pressed", "true");
    expect((await answered).status()).toBe(200);
    await page.reload();
    await expect(scoreIn(votesIn(page))).toHaveText("1");
  });

  await test.step("the candidates are choices with title, status and votes; none is chosen for you", async () => {
    const choices = staffPanel(page).getByRole("group", { name: "Merge this idea into another" });
    const candidate = choices.getByRole("radio", { name: new RegExp(a.title) });
    await expect(candidate).toBeVisible();
    await expect(choices.getByRole("radio", { checked: true })).toHaveCount(0);
    await expect(choices.getByText(`#${ideaA.id} · New · 0 votes`)).toBeVisible();
    await choices.getByRole("button", { name: "Review merge…" }).click();
    // Nothing chosen: told so, nothing merged.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Merge not possible");
    await expect(page.getByRole("alert")).toHaveText("Choose one of the possible duplicates, or enter an idea's number.");
    await page.getByRole("link", { name: "Choose again" }).click();
  });

  await test.step("the confirmation shows both ideas; Cancel changes nothing", async () => {
    const choices = staffPanel(page).getByRole("group", { name: "Merge this idea into another" });
    await choices.getByRole("radio", { name: new RegExp(a.title) }).check();
    await choices.getByRole("button", { name: "Review merge…" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Merge these two ideas?");
    await expect(page.getByRole("region", { name: b.title })).toContainText("The duplicate");
    await expect(page.getByRole("region", { name: b.title })).toContainText("Votes1 (1 up, 0 down)");
    await expect(page.getByRole("region", { name: a.title })).toContainText("Merged into");
    await page.getByRole("link", { name: "Cancel" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(b.title);
    await expect(headerStatus(page)).toHaveText("New");
  });

  await test.step("confirmed: land on A, told how many votes moved and where to undo", async () => {
    await staffPanel(page).getByLabel("Or another idea, by number").fill(`#${ideaA.id}`);
    await staffPanel(page).getByRole("button", { name: "Review merge…" }).click();
    await page.getByRole("button", { name: `Merge into “${a.title}”` }).click();
    await expect(page).toHaveURL(new RegExp(`/ideas/${ideaA.id}$`));
    await expect(flash(page)).toHaveText("Merged. 1 vote and 0 followers moved here. To undo it, use “Undo merge” under “Merged into this idea”.");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(a.title);
    await expect(scoreIn(votesIn(page))).toHaveText("1");
    const merged = page.getByRole("region", { name: "Merged into this idea" });
    await expect(merged.getByRole("listitem")).toHaveCount(1);
    await expect(merged.getByRole("listitem")).toContainText(`${b.title} by Priya Natarajan`);
    await merged.getByRole("link", { name: b.title }).click();
  });

  await test.step("B says it was merged into A", async () => {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(b.title);
    await expect(headerStatus(page)).toHaveText("Duplicate");
    const note = page.getByRole("note").filter({ hasText: "This idea was merged into" });
    await expect(note).toHaveText(`This idea was merged into ${a.title}. Its votes and followers count there now.`);
    await expect(note.getByRole("link", { name: a.title })).toHaveAttribute("href", new RegExp(`^/ideas/${ideaA.id}`));
    await expect(upVoteIn(votesIn(page))).toBeDisabled();
  });

  await test.step("Undo merge from A restores B, and A loses the vote again", async () => {
    await page.goto(ideaA.path);
    await page.getByRole("region", { name: "Merged into this idea" }).getByRole("button", { name: `Undo merge of ${b.title}` }).click();
    await expect(flash(page)).toHaveText("Merge undone: both ideas are as they were.");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(b.title);
    await expect(headerStatus(page)).toHaveText("New");
    await expect(page.getByRole("note").filter({ hasText: "This idea was merged into" })).toHaveCount(0);
    await expect(upVoteIn(votesIn(page))).toBeEnabled();
    await expect(scoreIn(votesIn(page))).toHaveText("1");
    await expect(staffPanel(page).getByRole("button", { name: "Post response" })).toBeVisible();

    await page.goto(ideaA.path);
    await expect(page.getByRole("region", { name: "Merged into this idea" })).toHaveCount(0);
    await expect(scoreIn(votesIn(page))).toHaveText("0");
  });
});

test("similar ideas show while the title is typed", async ({ page }) => {
  await signIn(page, "member@example.com");
  await page.getByRole("banner").getByRole("link", { name: "Post an idea" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Post an idea" })).toBeVisible();
  // Hydrated: the form then says the poster has seen the live suggestions.
  await expect(page.locator('input[type="hidden"][name="confirmed"]')).toHaveCount(1);
  const similar = page.getByRole("region", { name: "Similar ideas" });
  await expect(similar).toHaveCount(0);
  await page.getByLabel("Title").pressSequentially("Oat milk extra charge", { delay: 30 });
  await expect(similar).toBeVisible();
  await expect(similar.getByRole("link", { name: "Stop charging extra for oat milk" })).toBeVisible();
  await expect(similar.getByRole("link", { name: "Stop charging extra for oat milk" })).toHaveAttribute("href", /^\/ideas\/\d+/);
});

test("the roadmap shows its columns and figures; triage is for the product team only", async ({ page, browserErrors }) => {
  await test.step("anyone sees the roadmap's four columns and how quickly Harbor answers", async () => {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Roadmap" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Roadmap" })).toBeVisible();
    for (const column of ["Under review", "Planned", "In progress", "Recently adopted"]) {
      await expect(page.getByRole("heading", { level: 2, name: new RegExp(`^${column} \\d+$`) })).toBeVisible();
    }
    const figures = page.getByRole("region", { name: "How we answer" });
    await expect(figures).toContainText(/\d+%\s*of ideas with \d+\+ votes have an official answer \(\d+ of \d+\)/);
    await expect(figures).toContainText(/(< 1|\d+)\s*median days from posting to our first answer/);
  });

  await test.step("a member is refused the triage queue", async () => {
    browserErrors.allow(/Failed to load resource: the server responded with a status of 403/);
    // On a page answered with an error status Chromium also asks for /favicon.ico, which the site does not have.
    browserErrors.allow(/status of 404 .*\/favicon\.ico\)$/);
    await signIn(page, "member@example.com");
    await expect(page.getByRole("navigation", { name: "Staff" })).toHaveCount(0);
    const response = await page.goto("/triage");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not allowed");
    await expect(page.getByText("The triage queue is for product managers and admins.")).toBeVisible();
    await signOut(page);
  });

  await test.step("the product manager opens triage from the staff bar and sees the list", async () => {
    await signIn(page, "pm@example.com");
    await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Triage" }).click();
    await expect(page).toHaveURL("/triage");
    await expect(page.getByRole("heading", { level: 1, name: "Triage" })).toBeVisible();
    const order = page.getByRole("navigation", { name: "Order" });
    await expect(order.getByRole("link", { name: "Oldest first" })).toHaveAttribute("aria-current", "page");
    const cards = page.getByRole("main").getByRole("listitem");
    await expect(cards.first()).toBeVisible();
    const first = cards.first();
    await expect(first.getByRole("heading", { level: 2 }).getByRole("link")).toHaveAttribute("href", /^\/ideas\/\d+.*#staff-heading$/);
    await expect(first).toContainText(/#\d+/);
    await first.getByRole("heading", { level: 2 }).getByRole("link").click();
    await expect(page.getByRole("region", { name: /^Product team/ })).toBeVisible();
  });
});
