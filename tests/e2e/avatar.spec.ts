import sharp from "sharp";
import { expect, flash, newMember, signUp, test, upVoteIn, waitForHydration } from "./helpers";

/** The photo shown in an element: an <img class="avatar"> that the browser loaded. */
async function expectLoadedAvatar(scope: import("@playwright/test").Locator) {
  const img = scope.locator("img.avatar");
  await expect(img).toHaveAttribute("src", /^\/avatars\/[^/]+\/[0-9a-f]{16}\.webp$/);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(256);
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";
  test.describe(mode, () => {
    test.use({ javaScriptEnabled });

    test(`${mode}: a member uploads a photo, completes their profile, and chooses to show their votes`, async ({ page, browserErrors }) => {
      // The refused fake image answers 400 (the page shows why).
      browserErrors.allow(/status of 400 \(Bad Request\)/);
      // Without JavaScript, the photo over 2 MB is a 413 page.
      browserErrors.allow(/status of 413 \(Payload Too Large\)/);
      const me = newMember(javaScriptEnabled ? "Photo person" : "NoScript photo person");
      await signUp(page, me);
      const photo = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 30, g: 120, b: 200 } } }).png().toBuffer();

      await test.step("the account page: a checklist, a refused fake image, then a real photo", async () => {
        await page.goto("/account");
        const profile = page.getByRole("region", { name: "Profile" });
        await expect(profile.getByText(/^Complete your profile: it earns \d+ points\.$/)).toBeVisible();
        await expect(profile.getByRole("listitem")).toHaveText(["Add a bio", "Add a photo"]);
        await profile.getByLabel("Choose a photo").setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: Buffer.from("not a picture at all") });
        await profile.getByRole("button", { name: "Upload photo" }).click();
        await expect(profile.getByText(/That file is not an image we can read/)).toBeVisible();
        if (javaScriptEnabled) {
          // With JavaScript, a photo over 2 MB is refused before it is sent.
          await waitForHydration(page);
          await profile.getByLabel("Choose a photo").setInputFiles({ name: "camera.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(3 * 1024 * 1024, 7) });
          await expect(profile.getByText(/That picture is too large \(3\.0 MB\)/)).toBeVisible();
          await profile.getByRole("button", { name: "Upload photo" }).click();
          await expect(profile.getByLabel("Choose a photo")).toBeFocused();
        } else {
          // Without it, the server refuses a photo over 2 MB before reading it: a page that says so,
          // with the way back to the form.
          await profile.getByLabel("Choose a photo").setInputFiles({ name: "camera.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(3 * 1024 * 1024, 7) });
          await profile.getByRole("button", { name: "Upload photo" }).click();
          await expect(page.getByRole("heading", { level: 1 })).toHaveText("That photo is too large");
          await expect(page.getByText("A profile photo can be at most 2 MB.", { exact: false })).toBeVisible();
          await page.getByRole("link", { name: "Back to your account" }).click();
          await expect(page.getByRole("region", { name: "Profile" })).toBeVisible();
        }
        await profile.getByLabel("Choose a photo").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: photo });
        await profile.getByRole("button", { name: "Upload photo" }).click();
        await expect(flash(page)).toHaveText("Your photo is saved.");
        await expectLoadedAvatar(page.getByRole("region", { name: "Profile" }));
        await expectLoadedAvatar(page.getByRole("banner").getByRole("link", { name: new RegExp(me.displayName) }));
        await page.getByLabel("Bio").fill("I come for the oat milk.");
        await page.getByRole("button", { name: "Save profile" }).click();
        await expect(flash(page)).toHaveText("Your profile is saved.");
        await expect(page.getByText(/^Your profile is complete: it earns you \d+ points while it stays so\.$/)).toBeVisible();
      });

      await test.step("the server refuses an oversized upload with 413, and takes a 2 MB one only on the account page", async () => {
        const big = Buffer.alloc(3 * 1024 * 1024, 1);
        const server = await page.request.post("/account", { multipart: { intent: "avatar", avatar: { name: "big.png", mimeType: "image/png", buffer: big } }, maxRedirects: 0 });
        expect(server.status()).toBe(413);
        const justOver = Buffer.alloc(2 * 1024 * 1024 + 10, 1);
        const route = await page.request.post("/account", { multipart: { intent: "avatar", avatar: { name: "big.png", mimeType: "image/png", buffer: justOver } }, maxRedirects: 0 });
        expect(route.status()).toBe(413);
        expect(await route.text()).toContain("That picture is too large");
        const elsewhere = await page.request.post("/ideas/new", { multipart: { intent: "save", title: "x", body: "y".repeat(300 * 1024) }, maxRedirects: 0 });
        expect(elsewhere.status()).toBe(413);
      });

      let title = "";
      await test.step("I support someone's idea; my page does not show it", async () => {
        await page.goto("/");
        await page.locator(".idea-card h3 a").first().click();
        await page.waitForURL(/\/ideas\/\d+/);
        title = (await page.locator("#idea-title").textContent()) ?? "";
        expect(title).not.toBe("");
        if (javaScriptEnabled) await waitForHydration(page);
        const votes = page.getByRole("complementary", { name: "Votes" });
        await upVoteIn(votes).click();
        await expect(votes.getByRole("button", { name: /^Remove your up-vote/ })).toBeVisible();
        await page.goto("/account");
        await page.getByRole("link", { name: "your member page" }).click();
        await expect(page.getByRole("heading", { level: 1, name: me.displayName })).toBeVisible();
        await expectLoadedAvatar(page.locator(".member-header"));
        await expect(page.locator(".points-breakdown").getByText("Completed their profile")).toHaveCount(1);
        const activity = page.getByRole("region", { name: "Activity" });
        await expect(activity.getByText(/^Supported /)).toHaveCount(0);
      });

      await test.step("I choose to show my votes: my page lists the idea I support", async () => {
        await page.goto("/account");
        const privacy = page.getByRole("region", { name: "Privacy" });
        await expect(privacy.getByLabel("Show my votes on my public page")).not.toBeChecked();
        await privacy.getByLabel("Show my votes on my public page").check();
        await privacy.getByRole("button", { name: "Save privacy choice" }).click();
        await expect(flash(page)).toHaveText("Your member page now lists the ideas you support.");
        await expect(page.getByRole("region", { name: "Privacy" }).getByLabel("Show my votes on my public page")).toBeChecked();
        await page.goto("/account");
        await page.getByRole("link", { name: "your member page" }).click();
        const activity = page.getByRole("region", { name: "Activity" });
        await expect(activity.getByRole("listitem").filter({ hasText: `Supported ${title}` })).toHaveCount(1);
      });

      await test.step("removing the photo brings the initial back", async () => {
        await page.goto("/account");
        await page.getByRole("button", { name: "Remove my photo" }).click();
        await expect(flash(page)).toHaveText("Your photo is removed; your initial shows instead.");
        await expect(page.getByRole("banner").locator("img.avatar")).toHaveCount(0);
        await expect(page.getByText(/^Complete your profile: it earns \d+ points\.$/)).toBeVisible();
      });
    });
  });
}
