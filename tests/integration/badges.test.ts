import { beforeAll, describe, expect, it } from "vitest";
import * as badgePage from "../../app/routes/badges.$slug";
import * as badgesIndex from "../../app/routes/badges._index";
import * as memberPage from "../../app/routes/members.$handle";
import * as openNotification from "../../app/routes/notifications.$notificationId";
import { addComment } from "../../app/models/discussion/comments.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { flagItem } from "../../app/models/moderation/flags.server";
import { listNotifications } from "../../app/models/notifications/notifications.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
let pm: TestMember;
let moderator: TestMember;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await makeMember(t.db, { role: "product_manager" });
  moderator = await makeMember(t.db, { role: "moderator" });
});

const badgesOfMember = async (memberId: number) =>
  (await t.db.selectFrom("member_badges").select("badge").where("member_id", "=", memberId).orderBy("badge").execute()).map((r) => r.badge);

describe("badges", () => {
  it("first idea, once, with a notification that opens the badge's page", async () => {
    const author = await makeMember(t.db);
    await makeIdea(t.db, author);
    await makeIdea(t.db, author);
    expect(await badgesOfMember(author.id)).toEqual(["first-idea"]);
    const list = await listNotifications(t.db, author.id);
    const note = list.items.find((n) => n.type === "badge.awarded");
    expect(note?.text).toBe("You earned the badge “First idea”.");
    const res = await callRoute(openNotification.loader, t.db, { path: `/notifications/${note!.id}`, params: { notificationId: note!.id }, cookie: await cookieFor(t.db, author.id) });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/badges/first-idea");
    const page = await callRoute(badgePage.loader, t.db, { path: "/badges/first-idea", params: { slug: "first-idea" } });
    expect(page.data.holders.map((h: { handle: string }) => h.handle)).toContain(author.handle);
    expect(page.data.holderCount).toBeGreaterThanOrEqual(1);
  });

  it("adopted, early supporter (first ten up-votes), conversation starter", async () => {
    const author = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    const voters = await Promise.all(Array.from({ length: 11 }, () => makeMember(t.db)));
    for (const v of voters) await castVote(t.db, v, { ideaId: idea.id, value: 1 });
    for (let i = 0; i < 10; i++) await addComment(t.db, voters[i % 3]!, { ideaId: idea.id, body: `Comment number ${i} on this.`, parentId: null });
    expect(await badgesOfMember(author.id)).toEqual(["conversation-starter", "first-idea"]);
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "adopted", body: "Shipped." });
    expect(await badgesOfMember(author.id)).toEqual(["conversation-starter", "first-adopted", "first-idea"]);
    expect(await badgesOfMember(voters[9]!.id)).toContain("early-supporter");
    expect(await badgesOfMember(voters[10]!.id)).not.toContain("early-supporter");
    const profile = await callRoute(memberPage.loader, t.db, { path: `/members/${author.handle}`, params: { handle: author.handle } });
    expect(profile.data.badges.map((b: { slug: string }) => b.slug)).toEqual(expect.arrayContaining(["first-adopted", "conversation-starter"]));
  });

  it("helpful flagger after three upheld flags", async () => {
    const flagger = await makeMember(t.db);
    const author = await makeMember(t.db);
    for (let i = 0; i < 3; i++) {
      const idea = await makeIdea(t.db, author);
      await flagItem(t.db, flagger, { kind: "idea", targetId: idea.id, reason: "spam", note: "" });
      await moderate(t.db, moderator, { kind: "idea", targetId: idea.id, action: "hide", reason: "Spam" });
      expect((await badgesOfMember(flagger.id)).includes("helpful-flagger")).toBe(i === 2);
    }
  });

  it("the catalogue lists every badge with its holders; an unknown badge is a 404", async () => {
    const index = await callRoute(badgesIndex.loader, t.db, { path: "/badges" });
    expect(index.data.badges.map((b: { slug: string }) => b.slug)).toEqual(["first-idea", "first-adopted", "early-supporter", "conversation-starter", "hundred-supporters", "helpful-flagger", "one-year"]);
    expect(index.data.badges.find((b: { slug: string }) => b.slug === "first-idea").holders).toBeGreaterThanOrEqual(3);
    expect((await callRoute(badgePage.loader, t.db, { path: "/badges/nope", params: { slug: "nope" } })).status).toBe(404);
    expect((await callRoute(badgePage.loader, t.db, { path: "/badges/../x", params: { slug: "../x" } })).status).toBe(404);
  });

  it("one year: a member who takes part a year after joining", async () => {
    const old = await makeMember(t.db, { createdAt: new Date(Date.now() - 400 * 86_400_000) });
    await makeIdea(t.db, old);
    expect(await badgesOfMember(old.id)).toContain("one-year");
  });
});
