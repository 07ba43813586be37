import { beforeAll, describe, expect, it } from "vitest";
import * as followingPage from "../../app/routes/following";
import * as memberPage from "../../app/routes/members.$handle";
import { addComment } from "../../app/models/discussion/comments.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { listNotifications } from "../../app/models/notifications/notifications.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
let fan: TestMember;
let star: TestMember;
let moderator: TestMember;
let fanCookie: string;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  fan = await makeMember(t.db, { displayName: "Faithful Fan" });
  star = await makeMember(t.db, { displayName: "Prolific Poster" });
  moderator = await makeMember(t.db, { role: "moderator" });
  fanCookie = await cookieFor(t.db, fan.id);
});

const act = (handle: string, form: Record<string, string>, cookie?: string) =>
  callRoute(memberPage.action, t.db, { path: `/members/${handle}`, params: { handle }, form, cookie });

describe("following members", () => {
  it("follow and unfollow from the member page, once each; never oneself; visitors are sent to sign in", async () => {
    const res = await act(star.handle, { intent: "follow-member", memberId: String(star.id) }, fanCookie);
    expect(res.status).toBe(302);
    const page = await callRoute(memberPage.loader, t.db, { path: `/members/${star.handle}`, params: { handle: star.handle }, cookie: fanCookie });
    expect(page.data.follow).toEqual({ following: true, followers: 1 });
    await act(star.handle, { intent: "follow-member", memberId: String(star.id) }, fanCookie);
    expect((await t.db.selectFrom("events").select("id").where("type", "=", "member.followed").execute()).length).toBe(1);
    const self = await act(fan.handle, { intent: "follow-member", memberId: String(fan.id) }, fanCookie);
    expect(self.status).toBe(409);
    expect((await act(star.handle, { intent: "follow-member", memberId: "abc" }, fanCookie)).status).toBe(400);
    expect((await act(star.handle, { intent: "follow-member", memberId: "999999" }, fanCookie)).status).toBe(404);
    const visitor = await act(star.handle, { intent: "follow-member", memberId: String(star.id) });
    expect(visitor.status).toBeGreaterThanOrEqual(300);
    expect(await t.db.selectFrom("member_follows").select("follower_id").where("member_id", "=", star.id).execute()).toHaveLength(1);
  });

  it("a followed member's new idea notifies; Following lists their visible ideas and comments, newest first", async () => {
    const idea = await makeIdea(t.db, star, { title: "Reusable lids that seal" });
    const hidden = await makeIdea(t.db, star, { title: "A hidden one" });
    await moderate(t.db, moderator, { kind: "idea", targetId: hidden.id, action: "hide", reason: "Spam" });
    await addComment(t.db, star, { ideaId: idea.id, body: "Adding the **details**.", parentId: null });
    const notes = await listNotifications(t.db, fan.id);
    expect(notes.items.map((n) => n.text)).toContain("Prolific Poster, whom you follow, posted a new idea: “Reusable lids that seal”.");

    const feed = await callRoute(followingPage.loader, t.db, { path: "/following", cookie: fanCookie });
    expect(feed.status).toBe(200);
    expect(feed.data.items.map((i: { kind: string; ideaTitle: string }) => [i.kind, i.ideaTitle])).toEqual([
      ["comment", "Reusable lids that seal"],
      ["idea", "Reusable lids that seal"],
    ]);
    expect(feed.data.items[0].bodyHtml).toContain("<strong>details</strong>");
    expect((await callRoute(followingPage.loader, t.db, { path: "/following?before=1x", cookie: fanCookie })).status).toBe(400);
    expect((await callRoute(followingPage.loader, t.db, { path: "/following" })).status).toBeGreaterThanOrEqual(300);
  });

  it("after unfollowing, no more news", async () => {
    await act(star.handle, { intent: "unfollow-member", memberId: String(star.id) }, fanCookie);
    const before = (await listNotifications(t.db, fan.id)).items.length;
    await makeIdea(t.db, star, { title: "Another idea nobody is told about" });
    expect((await listNotifications(t.db, fan.id)).items.length).toBe(before);
    const feed = await callRoute(followingPage.loader, t.db, { path: "/following", cookie: fanCookie });
    expect(feed.data.items).toEqual([]);
    expect(feed.data.follows).toBe(0);
  });
});
