import { beforeAll, describe, expect, it } from "vitest";
import type { FlagTargetKind, Role } from "../../db/schema";
import * as moderationRoute from "../../app/routes/moderation";
import * as memberPage from "../../app/routes/members.$handle";
import * as auditRoute from "../../app/routes/audit";
import * as settingsRoute from "../../app/routes/manage.settings";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as index from "../../app/routes/_index";
import * as notificationsPage from "../../app/routes/notifications";
import { addComment } from "../../app/models/discussion/comments.server";
import { flagItem } from "../../app/models/moderation/flags.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { suspendMember } from "../../app/models/moderation/suspensions.server";
import { DEFAULT_SETTINGS } from "../../app/models/settings/schemas.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, agedMember, currentMember } from "../support/factories";
import { callRoute, cookieFor, type RouteResult } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;
type Who = "visitor" | Role;

let t: TestDatabase;
let author: Member;
let authorCookie: string;
let bystanderCookie: string;
let chatter: { id: number };
const staff = {} as Record<Role, Member>;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  t = await useTestDatabase({ limits: "default" });
  await ensureCategory(t.db, "general", "General");
  author = await makeMember(t.db, { displayName: "Post Author" });
  authorCookie = await cookieFor(t.db, author.id);
  bystanderCookie = await cookieFor(t.db, (await makeMember(t.db)).id);
  for (const role of ["member", "moderator", "product_manager", "admin"] as const) {
    staff[role] = await makeMember(t.db, { role, displayName: `A ${role.replace("_", " ")}` });
    cookies[role] = await cookieFor(t.db, staff[role].id);
  }
  chatter = await makeIdea(t.db, staff.admin, { title: "General chatter thread for regulars" });
});

const current = (id: number) => currentMember(t.db, id);

const established = (days: number, posts: number, displayName?: string) =>
  agedMember(t.db, { days, posts, ideaId: chatter.id, displayName });

const flag = async (who: { id: number }, kind: FlagTargetKind, targetId: number, reason: "spam" | "abusive" | "off_topic" = "spam", note = "") =>
  flagItem(t.db, await current(who.id), { kind, targetId, reason, note });

const moderateRoute = (form: Record<string, string>, cookie?: string) =>
  callRoute(moderationRoute.action, t.db, { path: "/moderation", form: { intent: "moderate", ...form }, cookie });
const queue = (cookie?: string) => callRoute(moderationRoute.loader, t.db, { path: "/moderation", cookie });
const loadIdea = (id: number, cookie?: string) => callRoute(ideaPage.loader, t.db, { path: `/ideas/${id}`, params: { ideaId: String(id) }, cookie });

async function listedIds(): Promise<number[]> {
  const res = await callRoute(index.loader, t.db, { path: "/?sort=new&limit=50" });
  return res.data.ideas.map((i: { id: number }) => i.id);
}

function flashOf(res: { headers: Headers }): string | null {
  const match = /gs_flash=([^;]*)/.exec(res.headers.get("Set-Cookie") ?? "");
  if (!match?.[1]) return null;
  return JSON.parse(decodeURIComponent(escape(atob(decodeURIComponent(match[1]))))) as string;
}

const count = async (table: "events" | "notifications" | "flags" | "rate_limits") =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

/** Everything a moderation or admin action could change. */
async function everything() {
  return {
    ideas: await t.db.selectFrom("ideas").select(["id", "moderation", "moderation_reason", "moderated_at", "status"]).orderBy("id").execute(),
    comments: await t.db.selectFrom("comments").select(["id", "body", "moderation", "moderation_reason", "moderated_at", "deleted_at"]).orderBy("id").execute(),
    members: await t.db.selectFrom("members").select(["id", "role", "suspended_until", "suspension_reason", "moderation", "moderation_reason"]).orderBy("id").execute(),
    flags: await t.db.selectFrom("flags").selectAll().orderBy("id").execute(),
    settings: await t.db.selectFrom("settings").selectAll().orderBy("key").execute(),
    events: await count("events"),
    notifications: await count("notifications"),
  };
}

const ideaRow = (id: number) => t.db.selectFrom("ideas").select(["moderation", "moderation_reason"]).where("id", "=", id).executeTakeFirstOrThrow();
const commentRow = (id: number) =>
  t.db.selectFrom("comments").select(["body", "moderation", "moderation_reason", "deleted_at"]).where("id", "=", id).executeTakeFirstOrThrow();
const flagStatuses = (kind: FlagTargetKind, id: number) =>
  t.db.selectFrom("flags").select(["status", "resolved_by"]).where("target_kind", "=", kind).where("target_id", "=", id).orderBy("id").execute();

// The queue is global, so these tests come first: before them no flag exists.
describe("the moderation queue", () => {
  it("groups open flags by item, with content, context, author history and flaggers, most weight first, in a fixed number of queries", async () => {
    expect((await queue(cookies.moderator)).data.queue).toEqual([]);

    const newbie = await makeMember(t.db, { displayName: "Newbie Flagger" });
    const [b, c, d] = [await established(60, 25, "Bea Regular"), await established(60, 25, "Cal Regular"), await established(60, 25, "Dee Regular")];
    const troll = await makeMember(t.db, { displayName: "Troll Account" });
    await t.db.updateTable("members").set({ bio: "I sell watches" }).where("id", "=", troll.id).execute();
    // The author's history: a post hidden before.
    const earlier = await makeIdea(t.db, author, { title: "An earlier idea that was hidden" });
    await moderate(t.db, staff.moderator, { kind: "idea", targetId: earlier.id, action: "hide", reason: "Advertising" });

    const i1 = await makeIdea(t.db, author, { title: "Cheap watches for sale here", body: "Buy **now**" });
    await flag(newbie, "idea", i1.id, "spam", "Looks like an ad");

    const measure = async () => {
      t.queries.reset();
      const res = await queue(cookies.moderator);
      expect(res.status).toBe(200);
      return { res, queries: t.queries.count };
    };
    const one = await measure();
    expect(one.res.data.queue).toHaveLength(1);

    const context = await makeIdea(t.db, staff.member, { title: "Context idea title" });
    const c1 = await addComment(t.db, author, { ideaId: context.id, body: "You are all *fools*", parentId: null });
    await flag(newbie, "comment", c1.id, "abusive");
    await flag(b, "comment", c1.id, "abusive", "Insulting");
    await flag(b, "member", troll.id, "spam");
    await flag(c, "member", troll.id, "spam");
    const i2 = await makeIdea(t.db, troll, { title: "Visit my watch shop today" });
    for (const f of [b, c, d]) await flag(f, "idea", i2.id, "spam");
    const c2 = await addComment(t.db, troll, { ideaId: context.id, body: "Off topic remark", parentId: null });
    await flag(newbie, "comment", c2.id, "off_topic");

    const five = await measure();
    expect(five.queries).toBe(one.queries);
    expect(one.queries).toBeLessThanOrEqual(9); // session, groups, flags, ideas, comments, members, author history, posts awaiting approval (ideas, comments)

    const items = five.res.data.queue;
    expect(items.map((q: { kind: string; targetId: number }) => [q.kind, q.targetId])).toEqual([
      ["idea", i2.id], // 3.0
      ["member", troll.id], // 2.0
      ["comment", c1.id], // 1.25
      ["idea", i1.id], // 0.25, flagged first
      ["comment", c2.id], // 0.25
    ]);
    expect(items.map((q: { weight: number }) => q.weight)).toEqual([3, 2, 1.25, 0.25, 0.25]);
    expect(items.map((q: { count: number }) => q.count)).toEqual([3, 2, 2, 1, 1]);

    const [top, member, comment, idea] = items;
    expect(top.idea).toMatchObject({ id: i2.id, title: "Visit my watch shop today", moderation: "pending" });
    expect(idea).toMatchObject({
      comment: null,
      member: null,
      idea: { id: i1.id, title: "Cheap watches for sale here", body_html: "<p>Buy <strong>now</strong></p>\n", moderation: "visible", author_name: "Post Author", author_handle: author.handle },
      author: { id: author.id, ideas: 2, comments: 1, upheld_against: 1, suspended_until: null },
    });
    expect(idea.flags).toEqual([
      expect.objectContaining({ reason: "spam", note: "Looks like an ad", weight: 0.25, flagger_name: "Newbie Flagger", flagger_handle: newbie.handle }),
    ]);
    expect(comment).toMatchObject({
      idea: null,
      comment: { id: c1.id, idea_id: context.id, idea_title: "Context idea title", body_html: "<p>You are all <em>fools</em></p>\n", author_name: "Post Author" },
      author: { id: author.id },
    });
    expect(comment.flags.map((f: { flagger_name: string; note: string }) => [f.flagger_name, f.note])).toEqual([["Newbie Flagger", ""], ["Bea Regular", "Insulting"]]);
    expect(member).toMatchObject({ member: { id: troll.id, display_name: "Troll Account", bio: "I sell watches" }, author: { id: troll.id, ideas: 1, comments: 1 } });
    expect(member.flags.map((f: { flagger_name: string }) => f.flagger_name)).toEqual(["Bea Regular", "Cal Regular"]);

    // Resolved flags leave the queue.
    await moderate(t.db, staff.moderator, { kind: "idea", targetId: i2.id, action: "delete", reason: "Spam" });
    for (const [kind, id] of [["member", troll.id], ["comment", c1.id], ["idea", i1.id], ["comment", c2.id]] as const) {
      await moderate(t.db, staff.moderator, { kind, targetId: id, action: "dismiss", reason: "" });
    }
    expect((await queue(cookies.admin)).data.queue).toEqual([]);
  });
});

describe("who may moderate: everyone else is refused and nothing changes", () => {
  let f: { idea: { id: number }; comment: { id: number }; target: Member; suspended: Member };

  beforeAll(async () => {
    const idea = await makeIdea(t.db, author, { title: "Pending idea for the matrix" });
    const host = await makeIdea(t.db, staff.member);
    const comment = await addComment(t.db, author, { ideaId: host.id, body: "Pending comment for the matrix", parentId: null });
    // A moderator's flag hides at once, so both are pending with an open flag: every action would apply.
    const flagger = await makeMember(t.db, { role: "moderator" });
    await flag(flagger, "idea", idea.id);
    await flag(flagger, "comment", comment.id);
    const target = await makeMember(t.db, { displayName: "Matrix Target" });
    const suspended = await makeMember(t.db, { displayName: "Matrix Suspended" });
    await suspendMember(t.db, staff.admin, { memberId: suspended.id, until: null, reason: "Earlier trouble" });
    f = { idea, comment, target, suspended };
  });

  const settingsForm = () => ({
    ...Object.fromEntries(Object.entries(DEFAULT_SETTINGS).map(([k, v]) => [k, String(v)])),
    allow_down_votes: "on",
    ideas_per_day_new: "9",
  });

  type Op = { name: string; path: string; run: (cookie?: string) => Promise<RouteResult>; allowed: Role[] };
  const ops = (): Op[] => [
    ...(["idea", "comment"] as const).flatMap((kind) =>
      (["dismiss", "hide", "delete", "restore"] as const).map((action) => ({
        name: `moderate ${action} ${kind}`,
        path: "/moderation",
        allowed: ["moderator", "admin"] as Role[],
        run: (cookie?: string) =>
          moderateRoute({ kind, targetId: String(kind === "idea" ? f.idea.id : f.comment.id), action, reason: "Breaks the rules" }, cookie),
      })),
    ),
    {
      name: "suspend",
      path: `/members/${f.target.handle}`,
      allowed: ["moderator", "admin"],
      run: (cookie) => callRoute(memberPage.action, t.db, { path: `/members/${f.target.handle}`, params: { handle: f.target.handle }, cookie, form: { intent: "suspend", memberId: String(f.target.id), until: "", reason: "Spam" } }),
    },
    {
      name: "unsuspend",
      path: `/members/${f.suspended.handle}`,
      allowed: ["moderator", "admin"],
      run: (cookie) => callRoute(memberPage.action, t.db, { path: `/members/${f.suspended.handle}`, params: { handle: f.suspended.handle }, cookie, form: { intent: "unsuspend", memberId: String(f.suspended.id) } }),
    },
    {
      name: "set-role",
      path: `/members/${f.target.handle}`,
      allowed: ["admin"],
      run: (cookie) => callRoute(memberPage.action, t.db, { path: `/members/${f.target.handle}`, params: { handle: f.target.handle }, cookie, form: { intent: "set-role", memberId: String(f.target.id), role: "moderator" } }),
    },
    { name: "queue", path: "/moderation", allowed: ["moderator", "admin"], run: (cookie) => queue(cookie) },
    { name: "audit", path: "/audit", allowed: ["admin"], run: (cookie) => callRoute(auditRoute.loader, t.db, { path: "/audit", cookie }) },
    { name: "settings page", path: "/manage/settings", allowed: ["admin"], run: (cookie) => callRoute(settingsRoute.loader, t.db, { path: "/manage/settings", cookie }) },
    {
      name: "save settings",
      path: "/manage/settings",
      allowed: ["admin"],
      run: (cookie) => callRoute(settingsRoute.action, t.db, { path: "/manage/settings", cookie, form: settingsForm() }),
    },
  ];
  const NAMES = ["moderate dismiss idea", "moderate hide idea", "moderate delete idea", "moderate restore idea",
    "moderate dismiss comment", "moderate hide comment", "moderate delete comment", "moderate restore comment",
    "suspend", "unsuspend", "set-role", "queue", "audit", "settings page", "save settings"];
  const ADMIN_ONLY = new Set(["set-role", "audit", "settings page", "save settings"]);
  const cases = (["visitor", "member", "product_manager", "moderator"] as const)
    .flatMap((who) => NAMES.map((name) => [who, name] as const))
    .filter(([who, name]) => who !== "moderator" || ADMIN_ONLY.has(name));

  it.each(cases)("%s: %s", async (who: Who, name) => {
    const op = ops().find((o) => o.name === name)!;
    expect(op.allowed).not.toContain(who);
    const before = await everything();
    const res = await op.run(who === "visitor" ? undefined : cookies[who]);
    if (who === "visitor") {
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(op.path)}`);
    } else {
      expect(res.status).toBe(403);
      expect(res.data.message ?? res.data.fieldErrors?.form).toMatch(/admins/);
    }
    expect(flashOf(res)).toBeNull();
    expect(await everything()).toEqual(before);
  });

  it("the same requests succeed for the roles allowed", async () => {
    for (const op of ops()) {
      const who = op.allowed[0]!;
      const res = await op.run(cookies[who]);
      expect([200, 302], `${who}: ${op.name} → ${res.status} ${JSON.stringify(res.data)}`).toContain(res.status);
    }
    expect(await ideaRow(f.idea.id)).toEqual({ moderation: "visible", moderation_reason: null }); // …, delete, restore
    const target = await t.db.selectFrom("members").select(["role", "suspension_reason"]).where("id", "=", f.target.id).executeTakeFirstOrThrow();
    expect(target).toEqual({ role: "moderator", suspension_reason: "Spam" });
    const suspended = await t.db.selectFrom("members").select("suspended_until").where("id", "=", f.suspended.id).executeTakeFirstOrThrow();
    expect(suspended.suspended_until).toBeNull();
  });
});

describe("moderators' decisions", () => {
  const mod = () => cookies.moderator;

  it("hide: needs a reason; upholds the open flags; the author is told why; others see a placeholder", async () => {
    const idea = await makeIdea(t.db, author, { title: "Rude idea title here" });
    const [x, y] = [await makeMember(t.db), await makeMember(t.db)];
    await flag(x, "idea", idea.id, "abusive");
    await flag(y, "idea", idea.id, "abusive");
    const before = await everything();
    const noReason = await moderateRoute({ kind: "idea", targetId: String(idea.id), action: "hide", reason: "  " }, mod());
    expect(noReason.status).toBe(400);
    expect(noReason.data.fieldErrors.reason).toMatch(/Give a reason/);
    const noReasonDelete = await moderateRoute({ kind: "idea", targetId: String(idea.id), action: "delete" }, mod());
    expect(noReasonDelete.status).toBe(400);
    expect(await everything()).toEqual(before);

    const res = await moderateRoute({ kind: "idea", targetId: String(idea.id), action: "hide", reason: "Name-calling is not allowed" }, mod());
    expect(res).toMatchObject({ status: 200, data: { ok: true, message: "Hidden. The author has been told why." } });
    expect(await ideaRow(idea.id)).toEqual({ moderation: "hidden", moderation_reason: "Name-calling is not allowed" });
    expect(await flagStatuses("idea", idea.id)).toEqual([
      { status: "upheld", resolved_by: staff.moderator.id },
      { status: "upheld", resolved_by: staff.moderator.id },
    ]);
    const events = await t.db.selectFrom("events").select(["actor_id", "actor_role", "member_id", "data"]).where("type", "=", "moderation.hidden").where("idea_id", "=", idea.id).execute();
    expect(events).toEqual([{
      actor_id: staff.moderator.id,
      actor_role: "moderator",
      member_id: author.id,
      data: { kind: "idea", targetId: idea.id, decisionId: expect.any(Number) },
    }]);
    // The decision the event refers to holds the before, after and reason (so the event copies no words).
    const decision = await t.db.selectFrom("moderation_decisions").select(["actor_id", "action", "before", "after", "reason", "flags_resolved"])
      .where("id", "=", (events[0]!.data as { decisionId: number }).decisionId).executeTakeFirstOrThrow();
    expect(decision).toEqual({ actor_id: staff.moderator.id, action: "hide", before: "visible", after: "hidden", reason: "Name-calling is not allowed", flags_resolved: 2 });
    const note = await t.db.selectFrom("notifications").select(["member_id", "actor_id", "idea_id"]).where("reason", "=", "content_author").where("idea_id", "=", idea.id).execute();
    expect(note).toEqual([{ member_id: author.id, actor_id: staff.moderator.id, idea_id: idea.id }]);
    const inbox = await callRoute(notificationsPage.loader, t.db, { path: "/notifications", cookie: authorCookie });
    expect(inbox.data.notifications[0].text).toBe("Your idea “Rude idea title here” was hidden by a moderator: Name-calling is not allowed");

    expect(await listedIds()).not.toContain(idea.id);
    expect((await loadIdea(idea.id, bystanderCookie)).data).toEqual({
      hidden: { id: idea.id, text: "This idea was hidden by a moderator. Reason: Name-calling is not allowed" },
    });
    expect((await loadIdea(idea.id, authorCookie)).data.idea).toMatchObject({ moderation: "hidden", moderation_reason: "Name-calling is not allowed" });

    // Nobody votes on or discusses what they cannot see.
    const onIdea = (form: Record<string, string>) =>
      callRoute(ideaPage.action, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, form, cookie: bystanderCookie });
    expect((await onIdea({ intent: "vote", value: "up" })).status).toBe(409);
    expect((await onIdea({ intent: "comment", body: "What happened here?" })).status).toBe(409);
    expect(await t.db.selectFrom("votes").select("member_id").where("idea_id", "=", idea.id).execute()).toEqual([]);
  });

  it("dismiss: the flags are dismissed and a pending item is visible again", async () => {
    const idea = await makeIdea(t.db, author);
    await flag(staff.admin, "idea", idea.id); // hides at once
    const regular = await makeMember(t.db);
    await flag(regular, "idea", idea.id);
    expect((await ideaRow(idea.id)).moderation).toBe("pending");
    expect(await listedIds()).not.toContain(idea.id);

    const res = await moderateRoute({ kind: "idea", targetId: String(idea.id), action: "dismiss", returnTo: "/moderation" }, mod());
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/moderation");
    expect(flashOf(res)).toBe("Flags dismissed; it stays visible.");
    expect(await ideaRow(idea.id)).toEqual({ moderation: "visible", moderation_reason: null });
    expect((await flagStatuses("idea", idea.id)).map((f) => f.status)).toEqual(["dismissed", "dismissed"]);
    expect(await listedIds()).toContain(idea.id);
    expect((await loadIdea(idea.id, bystanderCookie)).data.hidden).toBeNull();

    // Dismissing flags on a visible item keeps it visible; with nothing left to do it is a 409.
    const again = await moderateRoute({ kind: "idea", targetId: String(idea.id), action: "dismiss" }, mod());
    expect(again.status).toBe(409);
    expect(again.data.fieldErrors.form).toMatch(/Nothing to do/);
  });

  it("delete is soft: the row stays, marked deleted, and the author is told", async () => {
    const host = await makeIdea(t.db, staff.member, { title: "Host idea for a comment" });
    const comment = await addComment(t.db, author, { ideaId: host.id, body: "Spam link farm", parentId: null });
    const reply = await addComment(t.db, staff.member, { ideaId: host.id, body: "Reported", parentId: comment.id });
    const flagger = await makeMember(t.db);
    await flag(flagger, "comment", comment.id);
    const res = await moderateRoute({ kind: "comment", targetId: String(comment.id), action: "delete", reason: "Spam" }, cookies.admin);
    expect(res).toMatchObject({ status: 200, data: { ok: true, message: "Deleted. The author has been told why." } });
    expect(await commentRow(comment.id)).toEqual({ body: "Spam link farm", moderation: "deleted", moderation_reason: "Spam", deleted_at: null });
    expect((await flagStatuses("comment", comment.id)).map((f) => f.status)).toEqual(["upheld"]);
    const event = await t.db.selectFrom("events").select(["actor_role", "comment_id", "data"]).where("type", "=", "moderation.deleted").where("comment_id", "=", comment.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_role: "admin", data: { kind: "comment", targetId: comment.id } });
    const decision = await t.db.selectFrom("moderation_decisions").select(["before", "after", "reason"])
      .where("id", "=", (event.data as { decisionId: number }).decisionId).executeTakeFirstOrThrow();
    expect(decision).toEqual({ before: "visible", after: "deleted", reason: "Spam" });
    const inbox = await callRoute(notificationsPage.loader, t.db, { path: "/notifications", cookie: authorCookie });
    expect(inbox.data.notifications[0].text).toBe("Your comment on “Host idea for a comment” was removed by a moderator: Spam");

    const [node] = (await loadIdea(host.id, bystanderCookie)).data.thread;
    expect(node).toMatchObject({ id: comment.id, redacted: true, authorName: "" });
    expect(node.body).toBeUndefined();
    expect(node.replies[0]).toMatchObject({ id: reply.id, bodyHtml: "<p>Reported</p>\n" });
  });

  it("restore: a hidden idea or comment is visible again", async () => {
    const idea = await makeIdea(t.db, author);
    const comment = await addComment(t.db, author, { ideaId: idea.id, body: "Hidden remark", parentId: null });
    await moderate(t.db, staff.moderator, { kind: "idea", targetId: idea.id, action: "hide", reason: "Check later" });
    await moderate(t.db, staff.moderator, { kind: "comment", targetId: comment.id, action: "delete", reason: "Check later" });
    expect(await listedIds()).not.toContain(idea.id);

    const restoredIdea = await moderateRoute({ kind: "idea", targetId: String(idea.id), action: "restore" }, mod());
    expect(restoredIdea).toMatchObject({ status: 200, data: { message: "Restored." } });
    const restoredComment = await moderateRoute({ kind: "comment", targetId: String(comment.id), action: "restore" }, mod());
    expect(restoredComment.status).toBe(200);
    expect(await ideaRow(idea.id)).toEqual({ moderation: "visible", moderation_reason: null });
    expect(await commentRow(comment.id)).toMatchObject({ moderation: "visible", moderation_reason: null });
    expect(await listedIds()).toContain(idea.id);
    const page = await loadIdea(idea.id, bystanderCookie);
    expect(page.data.hidden).toBeNull();
    expect(page.data.thread[0]).toMatchObject({ id: comment.id, bodyHtml: "<p>Hidden remark</p>\n" });
    expect(page.data.thread[0].redacted).toBeUndefined();
    const inbox = await callRoute(notificationsPage.loader, t.db, { path: "/notifications", cookie: authorCookie });
    expect(inbox.data.notifications[0].text).toMatch(/^Your comment on “.*” is visible again\.$/);

    expect((await moderateRoute({ kind: "idea", targetId: String(idea.id), action: "restore" }, mod())).status).toBe(409);
  });

  it("answers bad moderation requests with 400/404", async () => {
    const someone = await makeMember(t.db);
    const member = await moderateRoute({ kind: "member", targetId: String(someone.id), action: "delete", reason: "x" }, mod());
    expect(member.status).toBe(400);
    expect(member.data.fieldErrors.action).toMatch(/suspended, not deleted/);
    expect((await moderateRoute({ kind: "idea", targetId: "999999", action: "hide", reason: "x" }, mod())).status).toBe(404);
    expect((await moderateRoute({ kind: "idea", targetId: "abc", action: "hide", reason: "x" }, mod())).status).toBe(400);
    expect((await moderateRoute({ kind: "idea", targetId: "1", action: "burn", reason: "x" }, mod())).status).toBe(400);
  });
});
