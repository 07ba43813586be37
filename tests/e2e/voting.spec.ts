import {
  createIdea,
  expect,
  scoreIn,
  signIn,
  test,
  trackRequests,
  uniqueWord,
  upVoteIn,
  waitForHydration,
} from "./helpers";
import type { Page } from "@playwright/test";

/** Opens the search results for a word and returns the one idea card found. */
async function cardFor(page: Page, word: string, title: string) {
  await page.goto(`/?q=${word}`);
  const card = page.getByRole("list", { name: "Ideas" }).getByRole("listitem").filter({
    has: page.getByRole("link", { name: title, exact: true }),
  });
  await expect(card).toHaveCount(1);
  await waitForHydration(page);
  return card;
}

test("clicking Vote up twice quickly on a list card leaves a consistent score", async ({ page }) => {
  await signIn(page, "pm@example.com");
  const word = uniqueWord("dv");
  const title = `Double-click ${word} check`;
  await createIdea(page, { title, body: "Votes must not drift." });
  const network = trackRequests(page);

  const card = await cardFor(page, word, title);
  await expect(scoreIn(card)).toHaveText("0");

  const bursts: [string, () => Promise<void>][] = [
    // A real double click: both clicks land before the page re-renders.
    ["double click", () => upVoteIn(card).dblclick()],
    // Two clicks in a row, the second as soon as the button can take it.
    ["two clicks", async () => {
      await upVoteIn(card).click();
      await upVoteIn(card).click();
    }],
  ];
  for (const [name, burst] of bursts) {
    await test.step(name, async () => {
      await burst();
      await network.settled();

      const shown = Number(await scoreIn(card).textContent());
      const pressed = await upVoteIn(card).getAttribute("aria-pressed");
      // What the card shows agrees with itself...
      expect([0, 1]).toContain(shown);
      expect(pressed).toBe(shown === 1 ? "true" : "false");
      await expect(upVoteIn(card)).toHaveAccessibleName(shown === 1 ? /^Remove your up-vote/ : /^Vote up/);

      // ...and with what the server stored.
      await page.reload();
      await expect(scoreIn(card)).toHaveText(String(shown));
      await expect(upVoteIn(card)).toHaveAttribute("aria-pressed", pressed!);
      await waitForHydration(page);
    });
  }
});

test("retracting a vote returns the score", async ({ page }) => {
  await signIn(page, "pm@example.com");
  const word = uniqueWord("rv");
  const title = `Retract vote ${word} check`;
  await createIdea(page, { title });
  const network = trackRequests(page);

  const card = await cardFor(page, word, title);
  await expect(scoreIn(card)).toHaveText("0");
  await card.getByRole("button", { name: /^Vote up/ }).click();
  await expect(scoreIn(card)).toHaveText("1");
  await expect(card.getByRole("button", { name: /^Remove your up-vote/ })).toHaveAttribute("aria-pressed", "true");
  await network.settled();

  await card.getByRole("button", { name: /^Remove your up-vote/ }).click();
  await expect(scoreIn(card)).toHaveText("0");
  await expect(card.getByRole("button", { name: /^Vote up/ })).toHaveAttribute("aria-pressed", "false");
  await network.settled();

  await page.reload();
  await expect(scoreIn(card)).toHaveText("0");
  await expect(card.getByRole("button", { name: /^Vote up/ })).toHaveAttribute("aria-pressed", "false");

  // The idea page agrees: nobody has voted.
  await card.getByRole("link", { name: title }).click();
  const votes = page.getByRole("complementary", { name: "Votes" });
  await expect(scoreIn(votes)).toHaveText("0");
  await expect(votes).toContainText("0 voters");
});

test("voting while signed out sends you to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  const card = page
    .getByRole("list", { name: "Ideas" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("button", { name: "Vote up", disabled: false }) })
    .first();
  const scoreBefore = await scoreIn(card).textContent();
  const ideaHref = await card.getByRole("heading").getByRole("link").getAttribute("href");
  const ideaId = /^\/ideas\/(\d+)/.exec(ideaHref ?? "")?.[1];
  expect(ideaId).toBeTruthy();

  await card.getByRole("button", { name: /^Vote up/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  const url = new URL(page.url());
  expect(url.pathname).toBe("/login");
  expect(url.searchParams.get("redirectTo")).toMatch(new RegExp(`^/ideas/${ideaId}(-|$)`));

  // Nothing was counted.
  await page.goto(ideaHref!);
  await expect(scoreIn(page.getByRole("complementary", { name: "Votes" }))).toHaveText(scoreBefore!);
});
