import { beforeAll, describe, expect, it } from "vitest";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as mergeRoute from "../../app/routes/ideas.$ideaId_.merge";
import * as staffRoute from "../../app/routes/ideas.$ideaId_.staff";
import * as moderationRoute from "../../app/routes/moderation";
import * as settingsRoute from "../../app/routes/manage.settings";
import { addComment } from "../../app/models/discussion/comments.server";
import { setDiscussionLock } from "../../app/models/discussion/locks.server";
import { decideHeldPost, listAwaitingApproval } from "../../app/models/moderation/approval.server";
import { getBranding, getSettings } from "../../app/models/settings/settings.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let pm: Member;
let moderator: Member;
let admin: Member;
let author: Member;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  [pm, moderator, admin, author] = await Promise.all([
    makeMember(t.db, { role: "product_manager", displayName: "Polish PM" }),
    makeMember(t.db, { role: "moderator", displayName: "Polish Moderator" }),
    makeMember(t.db, { role: "admin", displayName: "Polish Admin" }),
    makeMember(t.db, { displayName: "Regular Author" }),
  ]);
});

const eventsOf = (type: string, ideaId: number) =>
  t.db.selectFrom("events").select(["actor_id"]).where("type", "=", type).where("idea_id", "=", ideaId).execute();

describe("merging asks for confirmation with both ideas side by side", () => {
  it("a merge posted without confirmation merges nothing and goes to the confirmation", async () => {
    const a = await makeIdea(t.db, author, { title: "Oat milk at no extra charge" });
    const b = await makeIdea(t.db, author, { title: "Free oat milk swaps" });
    const res = await callRoute(staffRoute.action, t.db, {
      path: `/ideas/${b.id}/staff`, params: { ideaId: String(b.id) }, form: { intent: "merge", targetId: String(a.id) }, cookie: await cookieFor(t.db, pm.id),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${b.id}/merge?into=${a.id}`);
    const idea = await t.db.selectFrom("ideas").select(["status", "duplicate_of_id"]).where("id", "=", b.id).executeTakeFirstOrThrow();
    expect(idea).toEqual({ status: "new", duplicate_of_id: null });
    expect(await eventsOf("idea.merged", b.id)).toHaveLength(0);
  });

  it("the confirmation shows both ideas; a typed number wins over a chosen candidate", async () => {
    const a = await makeIdea(t.db, author, { title: "Ceramic mugs for staying in" });
    const b = await makeIdea(t.db, author, { title: "Unsweetened iced tea" });
    const c = await makeIdea(t.db, author, { title: "Iced tea without sugar" });
    const cookie = await cookieFor(t.db, pm.id);
    const res = await callRoute(mergeRoute.loader, t.db, { path: `/ideas/${b.id}/merge?into=${a.id}&number=%23${c.id}`, params: { ideaId: String(b.id) }, cookie });
    expect(res.status).toBe(200);
    expect(res.data.preview.source).toMatchObject({ id: b.id, title: "Unsweetened iced tea", status: "new", score: 0, follower_count: 1, author_name: "Regular Author" });
    expect(res.data.preview.target).toMatchObject({ id: c.id, title: "Iced tea without sugar" });
  });

  it("refuses what the merge would refuse, with the reason and its status", async () => {
    const a = await makeIdea(t.db, author);
    const cookie = await cookieFor(t.db, pm.id);
    const load = (query: string) => callRoute(mergeRoute.loader, t.db, { path: `/ideas/${a.id}/merge${query}`, params: { ideaId: String(a.id) }, cookie });
    expect((await load("")).status).toBe(400);
    expect((await load("")).data.error).toBe("Choose one of the possible duplicates, or enter an idea's number.");
    expect((await load(`?into=${a.id}`)).data).toMatchObject({ error: "An idea cannot be merged into itself.", preview: null });
    const missing = await load("?number=2147483000");
    expect(missing.status).toBe(404);
    expect(missing.data.error).toBe("There is no idea number 2147483000.");
    // Not the product team: refused outright.
    const member = await callRoute(mergeRoute.loader, t.db, { path: `/ideas/${a.id}/merge?into=1`, params: { ideaId: String(a.id) }, cookie: await cookieFor(t.db, author.id) });
    expect(member.status).toBe(403);
  });

  it("with confirm=yes it merges, and the flash says where to undo it", async () => {
    const a = await makeIdea(t.db, author, { title: "Plant milk at no extra cost" });
    const b = await makeIdea(t.db, author, { title: "Plant milk for free please" });
    const res = await callRoute(staffRoute.action, t.db, {
      path: `/ideas/${b.id}/staff`, params: { ideaId: String(b.id) }, form: { intent: "merge", targetId: String(a.id), confirm: "yes" }, cookie: await cookieFor(t.db, pm.id),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${a.id}`);
    expect(await eventsOf("idea.merged", b.id)).toHaveLength(1);
  });
});

describe("locking a discussion", () => {
  it("a moderator locks it with a reason: members cannot comment (409, the reason said), staff still can; unlocking reopens it", async () => {
    const idea = await makeIdea(t.db, author);
    const member = await makeMember(t.db);
    const modCookie = await cookieFor(t.db, moderator.id);
    const lock = await callRoute(ideaPage.action, t.db, {
      path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, form: { intent: "lock", reason: "Off topic now; the answer above stands" }, cookie: modCookie,
    });
    expect(lock.status).toBe(200);
    expect(await eventsOf("idea.locked", idea.id)).toEqual([{ actor_id: moderator.id }]);

    const refused = await callRoute(ideaPage.action, t.db, {
      path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, form: { intent: "comment", body: "One more thing!" }, cookie: await cookieFor(t.db, member.id),
    });
    expect(refused.status).toBe(409);
    expect(refused.data.fieldErrors.form).toBe("This discussion is locked: Off topic now; the answer above stands.");
    await expect(addComment(t.db, pm, { ideaId: idea.id, body: "The company's word still goes here.", parentId: null })).resolves.toMatchObject({ held: false });

    const page = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: await cookieFor(t.db, member.id) });
    expect(page.data.idea.lock_reason).toBe("Off topic now; the answer above stands");

    // Twice is a conflict; members may not lock or unlock.
    await expect(setDiscussionLock(t.db, moderator, { ideaId: idea.id, lock: true, reason: "again" })).rejects.toMatchObject({ status: 409 });
    await expect(setDiscussionLock(t.db, member, { ideaId: idea.id, lock: false })).rejects.toMatchObject({ status: 403 });
    await setDiscussionLock(t.db, pm, { ideaId: idea.id, lock: false });
    await expect(addComment(t.db, member, { ideaId: idea.id, body: "Back open.", parentId: null })).resolves.toMatchObject({ held: false });
    expect(await eventsOf("idea.unlocked", idea.id)).toEqual([{ actor_id: pm.id }]);
  });

  it("a lock without a reason is a 400", async () => {
    const idea = await makeIdea(t.db, author);
    const res = await callRoute(ideaPage.action, t.db, {
      path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, form: { intent: "lock", reason: " " }, cookie: await cookieFor(t.db, moderator.id),
    });
    expect(res.status).toBe(400);
    const row = await t.db.selectFrom("ideas").select("locked_at").where("id", "=", idea.id).executeTakeFirstOrThrow();
    expect(row.locked_at).toBeNull();
  });
});

describe("first posts wait for approval", () => {
  const setApproval = async (on: boolean) => {
    await t.db.insertInto("settings").values({ key: "approve_first_posts", value: JSON.stringify(on) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(on) })).execute();
  };

  it("is off by default: a newcomer's first idea is public at once", async () => {
    expect((await getSettings(t.db)).approve_first_posts).toBe(false);
    const newcomer = await makeMember(t.db);
    const idea = await makeIdea(t.db, newcomer);
    expect(idea.held).toBe(false);
  });

  it("when on, a newcomer's first idea and comment are pending, hidden from others, and listed for moderators; approval makes them public and tells people", async () => {
    await setApproval(true);
    try {
      const newcomer = await makeMember(t.db, { displayName: "Nadia Newcomer" });
      const other = await makeMember(t.db);
      const idea = await makeIdea(t.db, newcomer, { title: "Seasonal cardamom buns" });
      expect(idea.held).toBe(true);
      const row = await t.db.selectFrom("ideas").select(["moderation", "awaiting_approval_since"]).where("id", "=", idea.id).executeTakeFirstOrThrow();
      expect(row.moderation).toBe("pending");
      expect(row.awaiting_approval_since).not.toBeNull();

      // Others see only a placeholder; the author sees it, marked as waiting.
      const otherView = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: await cookieFor(t.db, other.id) });
      expect(otherView.data.hidden).toBeTruthy();
      const ownView = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: await cookieFor(t.db, newcomer.id) });
      expect(ownView.data.idea.awaiting_approval_since).toBeTruthy();

      // A comment of theirs on someone else's idea waits too, and tells the idea's author nothing yet.
      const target = await makeIdea(t.db, author);
      const comment = await addComment(t.db, newcomer, { ideaId: target.id, body: "Yes please!", parentId: null });
      expect(comment.held).toBe(true);
      const told = () => t.db.selectFrom("notifications").select("reason").where("member_id", "=", author.id).where("comment_id", "=", comment.id).execute();
      expect(await told()).toEqual([]);
      const thread = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${target.id}`, params: { ideaId: String(target.id) }, cookie: await cookieFor(t.db, other.id) });
      expect(thread.data.thread).toEqual([]);

      const queue = await listAwaitingApproval(t.db, moderator);
      expect(queue.filter((q) => q.authorName === "Nadia Newcomer").map((q) => [q.kind, q.id])).toEqual([["idea", idea.id], ["comment", comment.id]]);
      await expect(listAwaitingApproval(t.db, other)).rejects.toMatchObject({ status: 403 });

      // Approve the comment through the page (a plain form post).
      const res = await callRoute(moderationRoute.action, t.db, {
        path: "/moderation", form: { intent: "approve", kind: "comment", targetId: String(comment.id) }, cookie: await cookieFor(t.db, moderator.id),
      });
      expect(res.status).toBe(302);
      const approved = await t.db.selectFrom("comments").select(["moderation", "awaiting_approval_since"]).where("id", "=", comment.id).executeTakeFirstOrThrow();
      expect(approved).toEqual({ moderation: "visible", awaiting_approval_since: null });
      expect(await told()).toEqual([{ reason: "idea_author" }]);
      // Deciding twice is a conflict.
      await expect(decideHeldPost(t.db, moderator, { kind: "comment", id: comment.id, approve: true, reason: "" })).rejects.toMatchObject({ status: 409 });

      // Now established: the next post is public at once.
      const second = await makeIdea(t.db, newcomer);
      expect(second.held).toBe(false);

      // The held idea is removed with a reason its author sees.
      await decideHeldPost(t.db, moderator, { kind: "idea", id: idea.id, approve: false, reason: "Posted twice" });
      const removed = await t.db.selectFrom("ideas").select(["moderation", "moderation_reason"]).where("id", "=", idea.id).executeTakeFirstOrThrow();
      expect(removed).toEqual({ moderation: "deleted", moderation_reason: "Posted twice" });
    } finally {
      await setApproval(false);
    }
  });

  it("staff and members with a public post skip it", async () => {
    await setApproval(true);
    try {
      expect((await makeIdea(t.db, pm)).held).toBe(false);
      expect((await makeIdea(t.db, author)).held).toBe(false);
    } finally {
      await setApproval(false);
    }
  });
});

describe("branding", () => {
  it("admins set the site name, accent, welcome and footer links; mail and pages read them from getBranding", async () => {
    const cookie = await cookieFor(t.db, admin.id);
    const current = await getSettings(t.db);
    const form: Record<string, string> = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, String(v)]));
    delete form.allow_down_votes;
    delete form.approve_first_posts;
    const bad = await callRoute(settingsRoute.action, t.db, { path: "/manage/settings", form: { ...form, accent_color: "red", footer_links: "Privacy | javascript:alert(1)", logo_url: "javascript:alert(1)" }, cookie });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data.fieldErrors).sort()).toEqual(["accent_color", "footer_links", "logo_url"]);

    const ok = await callRoute(settingsRoute.action, t.db, {
      path: "/manage/settings",
      form: { ...form, allow_down_votes: "on", site_name: "Acme Ideas", accent_color: "#FFEE00", welcome_text: "Tell Acme what to build.", footer_links: "Privacy | https://acme.example/privacy\r\nHelp | /help" },
      cookie,
    });
    expect(ok.status).toBe(302);
    const brand = await getBranding(t.db);
    expect(brand).toMatchObject({ siteName: "Acme Ideas", welcomeText: "Tell Acme what to build.", logoUrl: null, footerLinks: [{ label: "Privacy", href: "https://acme.example/privacy" }, { label: "Help", href: "/help" }] });
    // Too light for white text: darkened until it reads (WCAG AA, 4.5:1).
    expect(brand.accent).not.toBe("#ffee00");
    const { contrast } = await import("../../app/models/settings/branding");
    expect(contrast(brand.accent, "#ffffff")).toBeGreaterThanOrEqual(4.5);
    const changed = await t.db.selectFrom("events").select("data").where("type", "=", "settings.changed").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(Object.keys((changed.data as { after: object }).after).sort()).toEqual(["accent_color", "footer_links", "site_name", "welcome_text"]);
  });
});
