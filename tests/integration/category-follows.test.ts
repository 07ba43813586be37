import { beforeAll, describe, expect, it } from "vitest";
import * as indexPage from "../../app/routes/_index";
import * as followRoute from "../../app/routes/categories.$slug.follow";
import * as notificationsPage from "../../app/routes/notifications";
import { setCategoryFollowing } from "../../app/models/following/follows.server";
import { decideHeldPost } from "../../app/models/moderation/approval.server";
import { suspendMember } from "../../app/models/moderation/suspensions.server";
import { loadActor } from "../../app/models/members/members.server";
import { DomainError } from "../../app/models/shared/errors";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
let admin: TestMember;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "brewing", "Brewing");
  await ensureCategory(t.db, "pastry", "Pastry");
  admin = await makeMember(t.db, { role: "admin", displayName: "Category Admin" });
});

const follow = (slug: string, intent: string, cookie?: string, headers: Record<string, string> = {}) =>
  callRoute(followRoute.action, t.db, { path: `/categories/${slug}/follow`, params: { slug }, form: { intent }, cookie, headers });

async function notified(memberId: number) {
  return t.db
    .selectFrom("notifications")
    .innerJoin("events", "events.id", "notifications.event_id")
    .select(["events.type", "notifications.reason", "notifications.idea_id"])
    .where("notifications.member_id", "=", memberId)
    // (Badges, such as a first idea's, are told about too: not what these tests look at.)
    .where("notifications.reason", "<>", "badge_holder")
    .execute();
}

describe("following a category", () => {
  it("a follower hears of each new idea in it, once; the author and other categories' followers do not", async () => {
    const [fan, author, other] = await Promise.all([
      makeMember(t.db, { displayName: "Brewing Fan" }),
      makeMember(t.db, { displayName: "Idea Author" }),
      makeMember(t.db, { displayName: "Pastry Fan" }),
    ]);
    await setCategoryFollowing(t.db, fan, { slug: "brewing", follow: true });
    await setCategoryFollowing(t.db, author, { slug: "brewing", follow: true });
    await setCategoryFollowing(t.db, other, { slug: "pastry", follow: true });
    // Following twice changes nothing and appends nothing.
    expect(await setCategoryFollowing(t.db, fan, { slug: "brewing", follow: true })).toMatchObject({ changed: false });

    const idea = await makeIdea(t.db, author, { title: "A cold brew flight", category: "brewing" });
    expect(await notified(fan.id)).toEqual([{ type: "idea.posted", reason: "category_followed", idea_id: idea.id }]);
    expect(await notified(author.id)).toEqual([]);
    expect(await notified(other.id)).toEqual([]);

    const inbox = await callRoute(notificationsPage.loader, t.db, { path: "/notifications", cookie: await cookieFor(t.db, fan.id) });
    expect(inbox.data.notifications[0].text).toBe("Idea Author posted a new idea, “A cold brew flight”, in a category you follow.");

    await setCategoryFollowing(t.db, fan, { slug: "brewing", follow: false });
    await makeIdea(t.db, author, { title: "Nitro on tap", category: "brewing" });
    expect(await notified(fan.id)).toHaveLength(1);
  });

  it("a newcomer's idea held for approval tells followers only once a moderator approves it, naming its author", async () => {
    const setApproval = (on: boolean) =>
      t.db.insertInto("settings").values({ key: "approve_first_posts", value: JSON.stringify(on) })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(on) })).execute();
    const [fan, newcomer, moderator] = await Promise.all([
      makeMember(t.db, { displayName: "Patient Fan" }),
      makeMember(t.db, { displayName: "First Poster" }),
      makeMember(t.db, { displayName: "Approving Moderator", role: "moderator" }),
    ]);
    await setCategoryFollowing(t.db, fan, { slug: "pastry", follow: true });
    await setApproval(true);
    try {
      const idea = await makeIdea(t.db, newcomer, { title: "Cardamom buns on Fridays", category: "pastry" });
      expect(idea.held).toBe(true);
      expect(await notified(fan.id)).toEqual([]);
      await decideHeldPost(t.db, moderator, { kind: "idea", id: idea.id, approve: true, reason: "" });
      expect(await notified(fan.id)).toEqual([{ type: "moderation.approved", reason: "category_followed", idea_id: idea.id }]);
      const inbox = await callRoute(notificationsPage.loader, t.db, { path: "/notifications", cookie: await cookieFor(t.db, fan.id) });
      expect(inbox.data.notifications[0].text).toBe("First Poster posted a new idea, “Cardamom buns on Fridays”, in a category you follow.");
    } finally {
      await setApproval(false);
    }
  });

  it("appends category.followed and category.unfollowed, and only when something changed", async () => {
    const m = await makeMember(t.db, { displayName: "Event Watcher" });
    await setCategoryFollowing(t.db, m, { slug: "pastry", follow: true });
    await setCategoryFollowing(t.db, m, { slug: "pastry", follow: false });
    await setCategoryFollowing(t.db, m, { slug: "pastry", follow: false });
    const events = await t.db.selectFrom("events").select(["type", "data"]).where("actor_id", "=", m.id).where("type", "like", "category.%").orderBy("id").execute();
    const pastry = await t.db.selectFrom("categories").select("id").where("slug", "=", "pastry").executeTakeFirstOrThrow();
    expect(events.map((e) => [e.type, (e.data as { categoryId: number }).categoryId])).toEqual([
      ["category.followed", pastry.id],
      ["category.unfollowed", pastry.id],
    ]);
  });

  it("an unknown category is a 404 and a visitor is refused, changing nothing", async () => {
    const m = await makeMember(t.db, { displayName: "Lost Member" });
    await expect(setCategoryFollowing(t.db, m, { slug: "no-such-thing", follow: true })).rejects.toMatchObject({ status: 404 });
    const refused = await setCategoryFollowing(t.db, null, { slug: "brewing", follow: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(await t.db.selectFrom("category_follows").select("member_id").where("member_id", "=", m.id).execute()).toEqual([]);
  });

  it("a suspended member may still follow (it changes nothing others see)", async () => {
    const m = await makeMember(t.db, { displayName: "Quiet Member" });
    await suspendMember(t.db, admin, { memberId: m.id, until: null, reason: "Cooling off" });
    const actor = await loadActor(t.db, m.id);
    expect(await setCategoryFollowing(t.db, actor, { slug: "brewing", follow: true })).toMatchObject({ changed: true });
  });
});

describe("the follow button on a category's list", () => {
  it("shows whether the member follows it, and the form follows and unfollows with a message", async () => {
    const m = await makeMember(t.db, { displayName: "Button Presser" });
    const cookie = await cookieFor(t.db, m.id);
    const list = () => callRoute(indexPage.loader, t.db, { path: "/?category=pastry", cookie });
    expect((await list()).data).toMatchObject({ followingCategory: false, signedIn: true });

    const res = await follow("pastry", "follow", cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/?category=pastry");
    expect(res.headers.get("Set-Cookie")).toMatch(/gs_flash=/);
    expect((await list()).data.followingCategory).toBe(true);

    expect((await follow("pastry", "unfollow", cookie)).status).toBe(302);
    expect((await list()).data.followingCategory).toBe(false);
  });

  it("sends a visitor to sign in and back to the list; bad input is a 400, an unknown category a 404", async () => {
    const visitor = await follow("pastry", "follow");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/?category=pastry")}`);
    const anonList = await callRoute(indexPage.loader, t.db, { path: "/?category=pastry" });
    expect(anonList.data).toMatchObject({ followingCategory: false, signedIn: false });

    const m = await makeMember(t.db, { displayName: "Typo Maker" });
    const cookie = await cookieFor(t.db, m.id);
    expect((await follow("pastry", "subscribe", cookie)).status).toBe(400);
    expect((await follow("no-such-thing", "follow", cookie)).status).toBe(404);
    expect((await callRoute(followRoute.loader, t.db, { path: "/categories/pastry/follow" })).status).toBe(405);
  });
});
