import { beforeAll, describe, expect, it } from "vitest";
import type { FlagReason, FlagTargetKind } from "../../db/schema";
import * as flagsRoute from "../../app/routes/flags";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as index from "../../app/routes/_index";
import * as notificationsPage from "../../app/routes/notifications";
import * as moderationRoute from "../../app/routes/moderation";
import { addComment } from "../../app/models/discussion/comments.server";
import { flagItem } from "../../app/models/moderation/flags.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, agedMember, currentMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let author: Member;
let authorCookie: string;
let moderator: Member;
let moderatorCookie: string;
let bystander: Member;
let bystanderCookie: string;
let chatter: { id: number };

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "general", "General");
  author = await makeMember(t.db, { displayName: "Post Author" });
  moderator = await makeMember(t.db, { role: "moderator", displayName: "Mo Derator" });
  bystander = await makeMember(t.db, { displayName: "Just Reading" });
  authorCookie = await cookieFor(t.db, author.id);
  moderatorCookie = await cookieFor(t.db, moderator.id);
  bystanderCookie = await cookieFor(t.db, bystander.id);
  // Where the established members' past posts live.
  chatter = await makeIdea(t.db, moderator, { title: "General chatter thread for regulars" });
});

const current = (id: number) => currentMember(t.db, id);

const established = (days: number, posts: number, displayName?: string) =>
  agedMember(t.db, { days, posts, ideaId: chatter.id, displayName });

const flag = async (who: { id: number }, kind: FlagTargetKind, targetId: number, reason: FlagReason = "spam") =>
  flagItem(t.db, await current(who.id), { kind, targetId, reason, note: "" });

const flagRoute = (form: Record<string, string>, cookie?: string) => callRoute(flagsRoute.action, t.db, { path: "/flags", form, cookie });

const loadIdea = (id: number, cookie?: string) =>
  callRoute(ideaPage.loader, t.db, { path: `/ideas/${id}`, params: { ideaId: String(id) }, cookie });

/** Ids of the ideas on the public list, newest first. */
async function listedIds(cookie?: string): Promise<number[]> {
  const res = await callRoute(index.loader, t.db, { path: "/?sort=new&limit=50", cookie });
  expect(res.status).toBe(200);
  return res.data.ideas.map((i: { id: number }) => i.id);
}

const ideaRow = (id: number) => t.db.selectFrom("ideas").select(["moderation", "moderation_reason"]).where("id", "=", id).executeTakeFirstOrThrow();
const flagRows = (kind: FlagTargetKind, id: number) =>
  t.db.selectFrom("flags").select(["id", "flagger_id", "status", "weight"]).where("target_kind", "=", kind).where("target_id", "=", id).orderBy("id").execute();
const moderationNotifications = (memberId: number) =>
  t.db.selectFrom("notifications").select(["idea_id", "comment_id", "actor_id"]).where("member_id", "=", memberId).where("reason", "=", "content_author").orderBy("id").execute();

function flashOf(res: { headers: Headers }): string | null {
  const match = /gs_flash=([^;]*)/.exec(res.headers.get("Set-Cookie") ?? "");
  if (!match?.[1]) return null;
  return JSON.parse(decodeURIComponent(escape(atob(decodeURIComponent(match[1]))))) as string;
}

describe("a flag weighs what the flagger's trust says", () => {
  it("a brand-new member's flag weighs less than a 60-day-old member's with 25 posts", async () => {
    const fresh = await makeMember(t.db);
    const regular = await established(60, 25);
    const idea = await makeIdea(t.db, author);
    const light = await flag(fresh, "idea", idea.id);
    const heavy = await flag(regular, "idea", idea.id);
    expect(light.weight).toBe(0.25);
    expect(heavy.weight).toBe(1);
    expect(light.weight).toBeLessThan(heavy.weight);
    // Only flags from established members count towards hiding: the newcomer's reaches the queue only.
    expect(light).toMatchObject({ established: false, total: 0 });
    expect(heavy).toMatchObject({ established: true });
    expect(heavy.total).toBeCloseTo(1, 5);
    const stored = await flagRows("idea", idea.id);
    expect(stored.map((f) => [f.flagger_id, Number(f.weight)])).toEqual([[fresh.id, 0.25], [regular.id, 1]]);
    expect((await ideaRow(idea.id)).moderation).toBe("visible");
  });

  it("flags that moderators upheld make later flags weigh more; dismissed ones, less", async () => {
    const reliable = await makeMember(t.db);
    const unreliable = await makeMember(t.db);
    const newcomer = await makeMember(t.db);
    const mod = await current(moderator.id);
    for (let i = 0; i < 2; i++) {
      const bad = await makeIdea(t.db, author);
      await flag(reliable, "idea", bad.id);
      await moderate(t.db, mod, { kind: "idea", targetId: bad.id, action: "hide", reason: "Advertising" });
      const fine = await makeIdea(t.db, author);
      await flag(unreliable, "idea", fine.id);
      await moderate(t.db, mod, { kind: "idea", targetId: fine.id, action: "dismiss", reason: "" });
    }
    const statuses = await t.db.selectFrom("flags").select(["flagger_id", "status"]).where("flagger_id", "in", [reliable.id, unreliable.id]).execute();
    expect(statuses.filter((f) => f.flagger_id === reliable.id).map((f) => f.status)).toEqual(["upheld", "upheld"]);
    expect(statuses.filter((f) => f.flagger_id === unreliable.id).map((f) => f.status)).toEqual(["dismissed", "dismissed"]);

    const target = await makeIdea(t.db, author);
    const good = await flag(reliable, "idea", target.id);
    const poor = await flag(unreliable, "idea", target.id);
    const neutral = await flag(newcomer, "idea", target.id);
    // Same age and posts; only the record differs.
    expect(good.weight).toBeCloseTo(0.375, 5);
    expect(poor.weight).toBeCloseTo(0.125, 5);
    expect(neutral.weight).toBe(0.25);
    expect(poor.weight).toBeLessThan(neutral.weight);
    expect(neutral.weight).toBeLessThan(good.weight);
  });

  it("moderators' and admins' flags hide at once", async () => {
    const admin = await makeMember(t.db, { role: "admin" });
    for (const who of [moderator, admin]) {
      const idea = await makeIdea(t.db, author);
      const res = await flag(who, "idea", idea.id, "abusive");
      expect(res).toMatchObject({ weight: 50, hidden: true });
      expect(await ideaRow(idea.id)).toEqual({ moderation: "pending", moderation_reason: "Flagged by members as abusive or disrespectful" });
    }
  });
});

describe("enough flag weight hides a post pending review", () => {
  it("flags below the threshold leave an idea visible; the flag that crosses it hides it from everyone but its author and moderators", async () => {
    const flaggers = [await established(60, 25), await established(60, 25), await established(60, 25)];
    const cookies = await Promise.all(flaggers.map((f) => cookieFor(t.db, f.id)));
    const idea = await makeIdea(t.db, author, { title: "Buy cheap watches at my shop" });
    const notesBefore = (await moderationNotifications(author.id)).length;

    for (const [i, cookie] of cookies.slice(0, 2).entries()) {
      const res = await flagRoute({ intent: "flag", kind: "idea", targetId: String(idea.id), reason: "spam", note: `seen it ${i}` }, cookie);
      expect(res).toMatchObject({ status: 200, data: { ok: true, message: "Thank you. A moderator will review it." } });
    }
    // 2.0 of 2.5: still there for everyone.
    expect(await ideaRow(idea.id)).toEqual({ moderation: "visible", moderation_reason: null });
    expect(await listedIds()).toContain(idea.id);
    expect((await loadIdea(idea.id, bystanderCookie)).data).toMatchObject({ hidden: null, idea: { id: idea.id } });
    expect(await moderationNotifications(author.id)).toHaveLength(notesBefore);

    const crossing = await flagRoute({ intent: "flag", kind: "idea", targetId: String(idea.id), reason: "spam" }, cookies[2]);
    expect(crossing).toMatchObject({ status: 200, data: { ok: true, message: "Thank you. It is hidden until a moderator reviews it." } });
    expect(await ideaRow(idea.id)).toEqual({ moderation: "pending", moderation_reason: "Flagged by members as spam or advertising" });
    const auto = await t.db.selectFrom("events").select(["actor_id", "data"]).where("type", "=", "moderation.auto_hidden").where("idea_id", "=", idea.id).execute();
    expect(auto).toHaveLength(1);
    const decision = await t.db.selectFrom("moderation_decisions").select(["actor_id", "action", "before", "after", "reason"])
      .where("id", "=", (auto[0]!.data as { decisionId: number }).decisionId).executeTakeFirstOrThrow();
    expect(decision).toEqual({ actor_id: null, action: "auto_hide", before: "visible", after: "pending", reason: "Flagged by members as spam or advertising" });
    expect(auto[0]!.actor_id).toBeNull();

    // The author is told.
    const notes = await moderationNotifications(author.id);
    expect(notes).toHaveLength(notesBefore + 1);
    expect(notes.at(-1)).toMatchObject({ idea_id: idea.id, comment_id: null });
    const inbox = await callRoute(notificationsPage.loader, t.db, { path: "/notifications", cookie: authorCookie });
    expect(inbox.data.notifications[0].text).toBe(
      "Your idea “Buy cheap watches at my shop” is hidden while moderators review it: Flagged by members as spam or advertising",
    );

    // Gone from the public list, for visitors and members alike.
    expect(await listedIds()).not.toContain(idea.id);
    expect(await listedIds(bystanderCookie)).not.toContain(idea.id);
    expect(await listedIds(authorCookie)).not.toContain(idea.id);

    // Others get a placeholder, and nothing of the post.
    for (const cookie of [undefined, bystanderCookie, cookies[0]]) {
      const page = await loadIdea(idea.id, cookie);
      expect(page.status).toBe(200);
      expect(page.data).toEqual({ hidden: { id: idea.id, text: "This idea is hidden while moderators review it." } });
      expect(JSON.stringify(page.data)).not.toContain("watches");
    }
    // Its author and moderators still see it, marked pending.
    for (const cookie of [authorCookie, moderatorCookie]) {
      const page = await loadIdea(idea.id, cookie);
      expect(page.data.hidden).toBeNull();
      expect(page.data.idea).toMatchObject({ id: idea.id, title: "Buy cheap watches at my shop", moderation: "pending" });
    }
  });

  it("weight exactly at the threshold (2.5) hides; just below does not", async () => {
    const regulars = [await established(60, 25), await established(60, 25)];
    // 12 days and 4 posts weighs 0.5; 11 days and 4 posts, 0.483 (docs/decisions/007).
    const atHalf = await established(12, 4);
    const justUnder = await established(11, 4);
    const kept = await makeIdea(t.db, author);
    for (const r of regulars) expect((await flag(r, "idea", kept.id)).hidden).toBe(false);
    const below = await flag(justUnder, "idea", kept.id, "off_topic");
    expect(below.total).toBeCloseTo(2.483, 5);
    expect(below.hidden).toBe(false);
    expect((await ideaRow(kept.id)).moderation).toBe("visible");
    const hidden = await makeIdea(t.db, author);
    for (const r of regulars) await flag(r, "idea", hidden.id);
    const at = await flag(atHalf, "idea", hidden.id, "off_topic");
    expect(at).toMatchObject({ total: 2.5, hidden: true });
    expect(await ideaRow(hidden.id)).toEqual({ moderation: "pending", moderation_reason: "Flagged by members as off-topic" });
  });

  it("ten throwaway accounts cannot hide a post together: their flags reach the queue, nothing is hidden", async () => {
    const popular = await makeIdea(t.db, author, { title: "Loyalty points for refills" });
    const brigade = [];
    for (let i = 0; i < 10; i++) brigade.push(await makeMember(t.db));
    for (const m of brigade) {
      const res = await flag(m, "idea", popular.id, "abusive");
      expect(res).toMatchObject({ established: false, hidden: false, total: 0 });
    }
    expect(await ideaRow(popular.id)).toEqual({ moderation: "visible", moderation_reason: null });
    expect(await listedIds()).toContain(popular.id);
    const open = await t.db.selectFrom("flags").select(["established"]).where("target_kind", "=", "idea").where("target_id", "=", popular.id).where("status", "=", "open").execute();
    expect(open).toHaveLength(10);
    expect(open.every((f) => f.established === false)).toBe(true);
    // A moderator sees them, with the weight they would have had.
    const queue = await callRoute(moderationRoute.loader, t.db, { path: "/moderation", cookie: moderatorCookie });
    const item = queue.data.queue.find((q: { kind: string; targetId: number }) => q.kind === "idea" && q.targetId === popular.id);
    expect(item.count).toBe(10);
    expect(item.flags.every((f: { established: boolean }) => f.established === false)).toBe(true);
    // Even a month-old regular's flag on top does not reach the threshold alone.
    const regular = await established(60, 25);
    expect(await flag(regular, "idea", popular.id, "abusive")).toMatchObject({ established: true, hidden: false });
    expect((await ideaRow(popular.id)).moderation).toBe("visible");
  });

  it("a comment over the threshold is redacted in the thread for others, and shown to its author and moderators", async () => {
    const idea = await makeIdea(t.db, bystander, { title: "Longer opening hours on Sundays" });
    const bad = await addComment(t.db, author, { ideaId: idea.id, body: "Visit my **shop** instead", parentId: null });
    const reply = await addComment(t.db, bystander, { ideaId: idea.id, body: "Please do not", parentId: bad.id });
    const flagged = await flag(moderator, "comment", bad.id);
    expect(flagged.hidden).toBe(true);
    const note = (await moderationNotifications(author.id)).at(-1);
    expect(note).toMatchObject({ idea_id: idea.id, comment_id: bad.id });

    const outsider = await makeMember(t.db);
    for (const cookie of [undefined, bystanderCookie, await cookieFor(t.db, outsider.id)]) {
      const page = await loadIdea(idea.id, cookie);
      expect(page.data.hidden).toBeNull(); // the idea itself is fine
      const [node] = page.data.thread;
      expect(node).toMatchObject({ id: bad.id, redacted: true, moderation: "pending", bodyHtml: "", authorName: "", authorHandle: "" });
      expect(node.body).toBeUndefined();
      expect(JSON.stringify(page.data.thread)).not.toContain("shop");
      expect(node.replies).toHaveLength(1);
      expect(node.replies[0]).toMatchObject({ id: reply.id, bodyHtml: "<p>Please do not</p>\n" });
      expect(node.replies[0].redacted).toBeUndefined();
    }
    for (const cookie of [authorCookie, moderatorCookie]) {
      const [node] = (await loadIdea(idea.id, cookie)).data.thread;
      expect(node).toMatchObject({ id: bad.id, moderation: "pending", body: "Visit my **shop** instead", authorName: "Post Author" });
      expect(node.redacted).toBeUndefined();
    }
  });
});

describe("what a member may flag", () => {
  it("one flag per member per item: the second is a 409 and adds nothing", async () => {
    const idea = await makeIdea(t.db, author);
    const flagger = await makeMember(t.db);
    const cookie = await cookieFor(t.db, flagger.id);
    const form = { intent: "flag", kind: "idea", targetId: String(idea.id), reason: "off_topic" };
    expect((await flagRoute(form, cookie)).status).toBe(200);
    const again = await flagRoute({ ...form, reason: "abusive" }, cookie);
    expect(again.status).toBe(409);
    expect(again.data.fieldErrors.form).toMatch(/already flagged/);
    expect(await flagRows("idea", idea.id)).toHaveLength(1);
    await expect(flag(flagger, "idea", idea.id)).rejects.toMatchObject({ status: 409 });
  });

  it("flagging your own idea, comment or self is refused with 403", async () => {
    const idea = await makeIdea(t.db, author);
    const comment = await addComment(t.db, author, { ideaId: idea.id, body: "My own note", parentId: null });
    for (const [kind, id, message] of [["idea", idea.id, /own post/], ["comment", comment.id, /own post/], ["member", author.id, /yourself/]] as const) {
      const res = await flagRoute({ intent: "flag", kind, targetId: String(id), reason: "spam" }, authorCookie);
      expect(res.status, kind).toBe(403);
      expect(res.data.fieldErrors.form).toMatch(message);
    }
    const own = await t.db.selectFrom("flags").select("id").where("flagger_id", "=", author.id).execute();
    expect(own).toEqual([]);
  });

  it("answers bad flags with 400/404 and visitors with a redirect to sign in", async () => {
    const idea = await makeIdea(t.db, author);
    const noNote = await flagRoute({ intent: "flag", kind: "idea", targetId: String(idea.id), reason: "other", note: "" }, bystanderCookie);
    expect(noNote.status).toBe(400);
    expect(noNote.data.fieldErrors.note).toMatch(/Say what is wrong/);
    expect((await flagRoute({ intent: "flag", kind: "recipe", targetId: String(idea.id), reason: "spam" }, bystanderCookie)).status).toBe(400);
    expect((await flagRoute({ intent: "flag", kind: "idea", targetId: String(idea.id), reason: "ugly" }, bystanderCookie)).status).toBe(400);
    expect((await flagRoute({ intent: "flag", kind: "idea", targetId: "999999", reason: "spam" }, bystanderCookie)).status).toBe(404);
    expect((await flagRoute({ intent: "flag", kind: "comment", targetId: "999999", reason: "spam" }, bystanderCookie)).status).toBe(404);
    const visitor = await flagRoute({ intent: "flag", kind: "idea", targetId: String(idea.id), reason: "spam" });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe("/login?redirectTo=%2Fflags");
    expect(await flagRoute({ intent: "withdraw-flag", flagId: "999999" }, bystanderCookie)).toMatchObject({ status: 404 });
    expect(await flagRows("idea", idea.id)).toEqual([]);
  });

  it("caps flags per member per day (20): the 21st is a 429 with Retry-After", async () => {
    const flagger = await makeMember(t.db);
    const cookie = await cookieFor(t.db, flagger.id);
    const ideas = [];
    for (let i = 0; i < 21; i++) ideas.push(await makeIdea(t.db, author));
    for (const idea of ideas.slice(0, 20)) await flag(flagger, "idea", idea.id);
    const res = await flagRoute({ intent: "flag", kind: "idea", targetId: String(ideas[20]!.id), reason: "spam" }, cookie);
    expect(res.status).toBe(429);
    expect(res.data.fieldErrors.form).toMatch(/most items allowed in a day \(20\)\. Try again in \d+ (hours|minutes?)\./);
    const retryAfter = Number(res.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(await flagRows("idea", ideas[20]!.id)).toEqual([]);
    const mine = await t.db.selectFrom("flags").select("id").where("flagger_id", "=", flagger.id).execute();
    expect(mine).toHaveLength(20);
  });
});

describe("withdrawing a flag", () => {
  it("brings back an item hidden only by flags once the weight drops below the threshold", async () => {
    const flaggers = await Promise.all([0, 1, 2, 3].map(() => established(60, 25)));
    const cookies = await Promise.all(flaggers.map((f) => cookieFor(t.db, f.id)));
    const idea = await makeIdea(t.db, author);
    for (const f of flaggers) await flag(f, "idea", idea.id); // 4.0
    expect((await ideaRow(idea.id)).moderation).toBe("pending");
    const ids = (await flagRows("idea", idea.id)).map((f) => f.id);

    // 3.0 left: still over 2.5.
    const first = await flagRoute({ intent: "withdraw-flag", flagId: String(ids[0]) }, cookies[0]);
    expect(first).toMatchObject({ status: 200, data: { ok: true, withdrawn: true } });
    expect((await ideaRow(idea.id)).moderation).toBe("pending");
    expect(await listedIds()).not.toContain(idea.id);

    // Someone else's flag is not yours to withdraw.
    expect((await flagRoute({ intent: "withdraw-flag", flagId: String(ids[2]) }, cookies[1])).status).toBe(404);

    // 2.0 left: back for everyone.
    const second = await flagRoute({ intent: "withdraw-flag", flagId: String(ids[1]), returnTo: `/ideas/${idea.id}` }, cookies[1]);
    expect(second.status).toBe(302);
    expect(second.headers.get("Location")).toBe(`/ideas/${idea.id}`);
    expect(flashOf(second)).toBe("Your flag is withdrawn.");
    expect(await ideaRow(idea.id)).toEqual({ moderation: "visible", moderation_reason: null });
    expect(await listedIds()).toContain(idea.id);
    expect((await loadIdea(idea.id, bystanderCookie)).data.hidden).toBeNull();
    expect((await flagRows("idea", idea.id)).map((f) => f.status)).toEqual(["withdrawn", "withdrawn", "open", "open"]);

    // Withdrawing twice is refused; flagging again after withdrawing is allowed.
    expect((await flagRoute({ intent: "withdraw-flag", flagId: String(ids[0]) }, cookies[0])).status).toBe(409);
    expect((await flagRoute({ intent: "flag", kind: "idea", targetId: String(idea.id), reason: "spam" }, cookies[0])).status).toBe(200);
  });

  it("does not bring back an item a moderator hid", async () => {
    const idea = await makeIdea(t.db, author);
    await moderate(t.db, await current(moderator.id), { kind: "idea", targetId: idea.id, action: "hide", reason: "Off-topic advertising" });
    const flagger = await makeMember(t.db);
    const { flagId } = await flag(flagger, "idea", idea.id);
    const res = await flagRoute({ intent: "withdraw-flag", flagId: String(flagId) }, await cookieFor(t.db, flagger.id));
    expect(res.status).toBe(200);
    expect(await ideaRow(idea.id)).toEqual({ moderation: "hidden", moderation_reason: "Off-topic advertising" });
  });
});

describe("the /flags route flags members and comments", () => {
  it("answers a fetcher with data when flagging a member", async () => {
    const troll = await makeMember(t.db, { displayName: "Troll Account" });
    const res = await flagRoute({ intent: "flag", kind: "member", targetId: String(troll.id), reason: "abusive", note: "Insults everyone" }, bystanderCookie);
    expect(res).toMatchObject({ status: 200, data: { ok: true, message: "Thank you. A moderator will review it." } });
    expect(flashOf(res)).toBeNull();
    const rows = await t.db.selectFrom("flags").select(["flagger_id", "reason", "note", "status", "target_kind"]).where("target_kind", "=", "member").where("target_id", "=", troll.id).execute();
    expect(rows).toEqual([{ flagger_id: bystander.id, reason: "abusive", note: "Insults everyone", status: "open", target_kind: "member" }]);
    const event = await t.db.selectFrom("events").select(["actor_id", "member_id", "actor_role"]).where("type", "=", "flag.raised").where("member_id", "=", troll.id).executeTakeFirstOrThrow();
    expect(event).toEqual({ actor_id: bystander.id, member_id: troll.id, actor_role: null });
  });

  it("redirects back with a flash when posted without JavaScript (a comment), never off-site", async () => {
    const idea = await makeIdea(t.db, bystander);
    const comment = await addComment(t.db, author, { ideaId: idea.id, body: "Rude remark", parentId: null });
    const res = await flagRoute(
      { intent: "flag", kind: "comment", targetId: String(comment.id), reason: "abusive", returnTo: `/ideas/${idea.id}` },
      bystanderCookie,
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/ideas/${idea.id}`);
    expect(flashOf(res)).toBe("Thank you. A moderator will review it.");
    const rows = await flagRows("comment", comment.id);
    expect(rows).toMatchObject([{ flagger_id: bystander.id, status: "open" }]);

    const other = await makeMember(t.db);
    const offsite = await flagRoute(
      { intent: "flag", kind: "comment", targetId: String(comment.id), reason: "abusive", returnTo: "//evil.example/" },
      await cookieFor(t.db, other.id),
    );
    expect(offsite.status).toBe(302);
    expect(offsite.headers.get("Location")).toBe("/");
  });
});
