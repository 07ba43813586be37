import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as root from "../../app/root";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as notificationsPage from "../../app/routes/notifications";
import * as openNotification from "../../app/routes/notifications.$notificationId";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>> & { cookie: string };

let t: TestDatabase;
let pm: Member;

async function member(displayName: string, role: "member" | "product_manager" = "member"): Promise<Member> {
  const m = await makeMember(t.db, { displayName, role });
  return { ...m, cookie: await cookieFor(t.db, m.id) };
}

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await member("Product Pat", "product_manager");
});

const post = (ideaId: number, form: Record<string, string>, who?: Member) =>
  callRoute(ideaPage.action, t.db, { path: `/ideas/${ideaId}`, params: { ideaId: String(ideaId) }, form, cookie: who?.cookie });

async function comment(ideaId: number, who: Member, body: string, parentId?: number): Promise<number> {
  const res = await post(ideaId, { intent: "comment", body, ...(parentId ? { parentId: String(parentId) } : {}) }, who);
  expect(res.status).toBe(200);
  return res.data.commentId as number;
}

// Badges earned along the way (a first idea) notify too: tested in badges.test.ts. Here they are
// left out of the lists and marked read, so the counts are about ideas and comments.
beforeEach(async () => {
  await t.db.updateTable("notifications").set({ read_at: new Date() }).where("reason", "=", "badge_holder").where("read_at", "is", null).execute();
});

async function notificationsOf(memberId: number) {
  return t.db
    .selectFrom("notifications")
    .where("notifications.reason", "<>", "badge_holder")
    .innerJoin("events", "events.id", "notifications.event_id")
    .select(["notifications.id", "events.type", "notifications.reason", "notifications.idea_id", "notifications.comment_id", "notifications.actor_id", "notifications.read_at", "notifications.event_id"])
    .where("notifications.member_id", "=", memberId)
    .orderBy("notifications.id")
    .execute();
}

const unreadOf = async (memberId: number) => (await notificationsOf(memberId)).filter((n) => n.read_at === null).length;

describe("notifications about comments", () => {
  let author: Member;
  let carol: Member;
  let dave: Member;
  let idea: { id: number };

  beforeAll(async () => {
    [author, carol, dave] = await Promise.all([member("Idea Author"), member("Carol"), member("Dave")]);
    idea = await makeIdea(t.db, author, { title: "Cinnamon on the counter" });
  });

  it("tells the idea's author about a comment, and nobody about their own", async () => {
    const c1 = await comment(idea.id, carol, "Yes please!");
    const forAuthor = await notificationsOf(author.id);
    expect(forAuthor).toHaveLength(1);
    expect(forAuthor[0]).toMatchObject({ type: "comment.added", reason: "idea_author", idea_id: idea.id, comment_id: c1, actor_id: carol.id, read_at: null });
    const event = await t.db.selectFrom("events").select(["type", "comment_id"]).where("id", "=", forAuthor[0]!.event_id).executeTakeFirstOrThrow();
    expect(event).toEqual({ type: "comment.added", comment_id: c1 });
    expect(await notificationsOf(carol.id)).toEqual([]);

    // The author commenting on their own idea tells nobody.
    await comment(idea.id, author, "Thanks all.");
    expect(await notificationsOf(author.id)).toHaveLength(1);
    expect(await notificationsOf(carol.id)).toEqual([]);
  });

  it("tells a comment's author about a reply, and the idea's author too when it is someone else", async () => {
    const [carolsComment] = await t.db.selectFrom("comments").select("id").where("idea_id", "=", idea.id).where("author_id", "=", carol.id).execute();
    const authorBefore = (await notificationsOf(author.id)).length;

    const reply = await comment(idea.id, dave, "Agreed with Carol.", carolsComment!.id);
    const forCarol = await notificationsOf(carol.id);
    expect(forCarol).toHaveLength(1);
    expect(forCarol[0]).toMatchObject({ type: "comment.added", reason: "comment_author", comment_id: reply, actor_id: dave.id });
    const forAuthor = (await notificationsOf(author.id)).slice(authorBefore);
    expect(forAuthor).toHaveLength(1);
    expect(forAuthor[0]).toMatchObject({ type: "comment.added", reason: "idea_author", comment_id: reply, actor_id: dave.id });
    expect(forAuthor[0]!.event_id).toBe(forCarol[0]!.event_id);
    expect(await notificationsOf(dave.id)).toEqual([]);
  });

  it("sends one notification when the parent comment's author is the idea's author", async () => {
    const authorsComment = await comment(idea.id, author, "What about nutmeg?");
    const before = (await notificationsOf(author.id)).length;
    const reply = await comment(idea.id, carol, "Nutmeg too!", authorsComment);
    const fresh = (await notificationsOf(author.id)).slice(before);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({ type: "comment.added", reason: "comment_author", comment_id: reply });
  });

  it("tells nobody of their own replies: the idea's author replying, or a member replying to themselves", async () => {
    const [carolsComment] = await t.db.selectFrom("comments").select("id").where("idea_id", "=", idea.id).where("author_id", "=", carol.id).orderBy("id").execute();
    const counts = async () => ({ author: (await notificationsOf(author.id)).length, carol: (await notificationsOf(carol.id)).length, dave: (await notificationsOf(dave.id)).length });

    let before = await counts();
    await comment(idea.id, author, "Noted, Carol.", carolsComment!.id);
    expect(await counts()).toEqual({ ...before, carol: before.carol + 1 });
    const last = (await notificationsOf(carol.id)).at(-1)!;
    expect(last).toMatchObject({ type: "comment.added", reason: "comment_author", actor_id: author.id });

    before = await counts();
    await comment(idea.id, carol, "Adding to my own point.", carolsComment!.id);
    // Carol hears nothing of herself; the idea's author hears of a new comment.
    expect(await counts()).toEqual({ ...before, author: before.author + 1 });
    expect((await notificationsOf(author.id)).at(-1)).toMatchObject({ type: "comment.added", reason: "idea_author", actor_id: carol.id });
  });
});

describe("reading notifications", () => {
  let author: Member;
  let other: Member;
  let idea: { id: number };

  beforeAll(async () => {
    [author, other] = await Promise.all([member("Reader"), member("Someone Else")]);
    idea = await makeIdea(t.db, author, { title: "Free refills on Mondays" });
    await comment(idea.id, other, "First comment");
    await comment(idea.id, other, "Second comment");
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "under_review", body: "Looking at it." });
    const otherIdea = await makeIdea(t.db, other, { title: "Someone else's idea here" });
    await comment(otherIdea.id, author, "A comment for someone else");
  });

  const rootFor = (who: Member) => callRoute(root.loader, t.db, { path: "/", cookie: who.cookie });

  it("counts unread notifications in the header (root loader)", async () => {
    expect(await unreadOf(author.id)).toBe(3);
    const page = await rootFor(author);
    expect(page.status).toBe(200);
    expect(page.data.member.unread).toBe(3);
    expect((await rootFor(other)).data.member.unread).toBe(await unreadOf(other.id));
    expect((await rootFor(other)).data.member.unread).toBe(1);
    const visitor = await callRoute(root.loader, t.db, { path: "/" });
    expect(visitor.data.member).toBeNull();

    const list = await callRoute(notificationsPage.loader, t.db, { path: "/notifications", cookie: author.cookie });
    expect(list.status).toBe(200);
    const listed = list.data.notifications.filter((n: { type: string }) => n.type !== "badge.awarded");
    expect(listed).toHaveLength(3);
    expect(listed.every((n: { unread: boolean }) => n.unread)).toBe(true);
    expect(listed[0].text).toMatch(/Free refills on Mondays.*is now Under review: Product Pat posted an official response/);
    expect(listed[2].text).toMatch(/Someone Else commented on your idea/);
  });

  it("opening a notification marks it read and goes to the idea, at the comment if it is about one", async () => {
    const [first, , statusChange] = await notificationsOf(author.id);
    const res = await callRoute(openNotification.loader, t.db, {
      path: `/notifications/${first!.id}`, params: { notificationId: String(first!.id) }, cookie: author.cookie,
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${idea.id}#comment-${first!.comment_id}`);
    const after = await notificationsOf(author.id);
    expect(after[0]!.read_at).toBeInstanceOf(Date);
    expect(after.slice(1).every((n) => n.read_at === null)).toBe(true);
    expect((await rootFor(author)).data.member.unread).toBe(2);

    const toIdea = await callRoute(openNotification.loader, t.db, {
      path: `/notifications/${statusChange!.id}`, params: { notificationId: String(statusChange!.id) }, cookie: author.cookie,
    });
    expect(toIdea.status).toBe(302);
    expect(toIdea.headers.get("Location")).toBe(`/ideas/${idea.id}`);
    expect((await rootFor(author)).data.member.unread).toBe(1);
  });

  it("answers someone else's notification, or a bad id, with 404 and leaves it unread", async () => {
    const [othersNotification] = await notificationsOf(other.id);
    expect(othersNotification!.read_at).toBeNull();
    for (const id of [String(othersNotification!.id), "abc", "99999999", "1;drop"]) {
      const res = await callRoute(openNotification.loader, t.db, { path: `/notifications/${id}`, params: { notificationId: id }, cookie: author.cookie });
      expect(res.status, id).toBe(404);
    }
    expect((await notificationsOf(other.id))[0]!.read_at).toBeNull();
    const visitor = await callRoute(openNotification.loader, t.db, {
      path: `/notifications/${othersNotification!.id}`, params: { notificationId: String(othersNotification!.id) },
    });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("marks all of one's own notifications read, and no one else's", async () => {
    expect(await unreadOf(author.id)).toBeGreaterThan(0);
    const res = await callRoute(notificationsPage.action, t.db, { path: "/notifications", form: {}, cookie: author.cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/notifications");
    expect(await unreadOf(author.id)).toBe(0);
    expect((await rootFor(author)).data.member.unread).toBe(0);
    expect(await unreadOf(other.id)).toBe(1);
    const visitor = await callRoute(notificationsPage.action, t.db, { path: "/notifications", form: {} });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe("/login?redirectTo=%2Fnotifications");
  });
});

describe("following and unfollowing an idea", () => {
  it("changes idea_follows, and an unfollowed idea sends no more news", async () => {
    const author = await member("Poster");
    const fan = await member("Fan");
    const idea = await makeIdea(t.db, author, { title: "Oat flat white on the menu" });
    const follows = async () =>
      (await t.db.selectFrom("idea_follows").select("member_id").where("idea_id", "=", idea.id).where("member_id", "=", fan.id).execute()).length;
    const followEvents = async () =>
      (await t.db.selectFrom("events").select("type").where("idea_id", "=", idea.id).where("actor_id", "=", fan.id).orderBy("id").execute()).map((e) => e.type);

    const res = await post(idea.id, { intent: "follow" }, fan);
    expect(res).toMatchObject({ status: 200, data: { ok: true } });
    expect(await follows()).toBe(1);
    // Following twice is a no-op.
    expect((await post(idea.id, { intent: "follow" }, fan)).status).toBe(200);
    expect(await follows()).toBe(1);
    expect(await followEvents()).toEqual(["idea.followed"]);
    const page = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: fan.cookie });
    expect(page.data.idea).toMatchObject({ following: true, follower_count: 2 });

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "Planned." });
    expect((await notificationsOf(fan.id)).map((n) => n.type)).toEqual(["idea.status_changed"]);

    const noJs = await post(idea.id, { intent: "unfollow", returnTo: `/ideas/${idea.id}` }, fan);
    expect(noJs.status).toBe(302);
    expect(noJs.headers.get("Location")).toBe(`/ideas/${idea.id}`);
    expect(await follows()).toBe(0);
    expect(await followEvents()).toEqual(["idea.followed", "idea.unfollowed"]);
    // Unfollowing again is a no-op too.
    expect((await post(idea.id, { intent: "unfollow" }, fan)).status).toBe(200);
    expect(await followEvents()).toEqual(["idea.followed", "idea.unfollowed"]);

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: null, body: "An update." });
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "in_progress", body: "Started." });
    expect((await notificationsOf(fan.id)).map((n) => n.type)).toEqual(["idea.status_changed"]);
    // The author, who still follows, heard all three.
    expect((await notificationsOf(author.id)).map((n) => n.type)).toEqual(["idea.status_changed", "idea.responded", "idea.status_changed"]);
    const after = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: fan.cookie });
    expect(after.data.idea).toMatchObject({ following: false, follower_count: 1 });
  });

  it("a voter who unfollows is still told, as a voter; a visitor cannot follow; unknown ideas are 404", async () => {
    const author = await member("Poster Two");
    const voter = await member("Voter");
    const idea = await makeIdea(t.db, author, { title: "Larger pastry case" });
    await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
    expect((await post(idea.id, { intent: "unfollow" }, voter)).status).toBe(200);
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "under_review", body: "Looking." });
    expect((await notificationsOf(voter.id)).map((n) => n.type)).toEqual(["idea.status_changed"]);

    const visitor = await post(idea.id, { intent: "follow" });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/ideas/${idea.id}`)}`);
    expect((await post(987_654, { intent: "follow" }, voter)).status).toBe(404);
    const follows = await t.db.selectFrom("idea_follows").select("member_id").where("member_id", "=", voter.id).execute();
    expect(follows).toEqual([]);
  });
});
