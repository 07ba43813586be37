import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import * as root from "../../app/root";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as newIdea from "../../app/routes/ideas.new";
import * as index from "../../app/routes/_index";
import * as flagsRoute from "../../app/routes/flags";
import * as memberPage from "../../app/routes/members.$handle";
import * as moderationRoute from "../../app/routes/moderation";
import * as triage from "../../app/routes/triage";
import { addComment } from "../../app/models/discussion/comments.server";
import { formatDate } from "../../app/models/shared/format";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let admin: Member;
let moderator: Member;
let adminCookie: string;
let moderatorCookie: string;
let host: Member;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "general", "General");
  admin = await makeMember(t.db, { role: "admin", displayName: "Ada Admin" });
  moderator = await makeMember(t.db, { role: "moderator", displayName: "Mo Derator" });
  adminCookie = await cookieFor(t.db, admin.id);
  moderatorCookie = await cookieFor(t.db, moderator.id);
  host = await makeMember(t.db, { displayName: "Idea Host" });
});

function flashOf(res: { headers: Headers }): string | null {
  const match = /gs_flash=([^;]*)/.exec(res.headers.get("Set-Cookie") ?? "");
  if (!match?.[1]) return null;
  return JSON.parse(decodeURIComponent(escape(atob(decodeURIComponent(match[1]))))) as string;
}

const memberAction = (target: { handle: string }, form: Record<string, string>, cookie: string) =>
  callRoute(memberPage.action, t.db, { path: `/members/${target.handle}`, params: { handle: target.handle }, form, cookie });
const suspend = (target: Member, cookie: string, reason = "Posting spam links", until = "") =>
  memberAction(target, { intent: "suspend", memberId: String(target.id), until, reason }, cookie);
const unsuspend = (target: Member, cookie: string) => memberAction(target, { intent: "unsuspend", memberId: String(target.id) }, cookie);
const setRole = (target: Member, role: Role, cookie: string) => memberAction(target, { intent: "set-role", memberId: String(target.id), role }, cookie);

const onIdea = (ideaId: number, form: Record<string, string>, cookie: string) =>
  callRoute(ideaPage.action, t.db, { path: `/ideas/${ideaId}`, params: { ideaId: String(ideaId) }, form, cookie });
const rootData = async (cookie: string) => (await callRoute(root.loader, t.db, { path: "/", cookie })).data;
const memberRow = (id: number) =>
  t.db.selectFrom("members").select(["role", "suspended_until", "suspension_reason"]).where("id", "=", id).executeTakeFirstOrThrow();

/** A date some days from now, as the suspension form sends it. */
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** What a suspended member's participation leaves behind: nothing. */
async function traces(memberId: number) {
  const of = (table: "votes" | "ideas" | "comments" | "flags", column: "member_id" | "author_id" | "flagger_id") =>
    t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).where(column, "=", memberId).executeTakeFirstOrThrow().then((r) => Number(r.n));
  return { votes: await of("votes", "member_id"), ideas: await of("ideas", "author_id"), comments: await of("comments", "author_id"), flags: await of("flags", "flagger_id") };
}

describe("a suspension applies to a live session at once", () => {
  it("refuses voting, commenting, posting and flagging with the reason; reading still works; lifting it restores everything", async () => {
    const member = await makeMember(t.db, { displayName: "Soon Suspended" });
    const cookie = await cookieFor(t.db, member.id);
    const idea = await makeIdea(t.db, host, { title: "Seasonal pumpkin spice menu" });
    const other = await makeIdea(t.db, host, { title: "Larger cup sizes for iced drinks" });
    const hostComment = await addComment(t.db, host, { ideaId: idea.id, body: "Agreed", parentId: null });
    expect((await onIdea(idea.id, { intent: "vote", value: "up" }, cookie)).status).toBe(200);
    expect((await rootData(cookie)).member.suspension).toBeNull();

    const until = daysFromNow(30);
    const res = await suspend(member, moderatorCookie, "Posting spam links", until);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/members/${member.handle}`);
    expect(flashOf(res)).toBe("Member suspended. Their sessions obey at once.");
    expect(await memberRow(member.id)).toEqual({ role: "member", suspended_until: new Date(`${until}T00:00:00Z`), suspension_reason: "Posting spam links" });

    // The very next request with the same cookie knows.
    const data = await rootData(cookie);
    expect(data.member).toMatchObject({ handle: member.handle, suspension: { until: `${until}T00:00:00.000Z`, reason: "Posting spam links" } });

    const before = await traces(member.id);
    const refusals = {
      vote: await onIdea(other.id, { intent: "vote", value: "up" }, cookie),
      unvote: await onIdea(idea.id, { intent: "vote", value: "none" }, cookie),
      comment: await onIdea(idea.id, { intent: "comment", body: "Buy my watches" }, cookie),
      reply: await onIdea(idea.id, { intent: "comment", body: "Buy my watches", parentId: String(hostComment.id) }, cookie),
      idea: await callRoute(newIdea.action, t.db, {
        path: "/ideas/new",
        cookie,
        form: { intent: "save", title: "Zebra quokka xylophone plan", category: "general", body: "" },
      }),
      flagIdea: await callRoute(flagsRoute.action, t.db, { path: "/flags", cookie, form: { intent: "flag", kind: "idea", targetId: String(other.id), reason: "spam" } }),
      flagMember: await callRoute(flagsRoute.action, t.db, { path: "/flags", cookie, form: { intent: "flag", kind: "member", targetId: String(moderator.id), reason: "abusive" } }),
    };
    for (const [what, r] of Object.entries(refusals)) {
      expect(r.status, what).toBe(403);
      expect(r.data.fieldErrors.form, what).toBe(`Your account is suspended until ${formatDate(`${until}T00:00:00Z`)}: Posting spam links. You can still read.`);
    }
    expect(await traces(member.id)).toEqual(before);

    // Reading still works.
    const list = await callRoute(index.loader, t.db, { path: "/?sort=new", cookie });
    expect(list.status).toBe(200);
    expect(list.data.ideas.map((i: { id: number }) => i.id)).toContain(idea.id);
    const page = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie });
    expect(page.status).toBe(200);
    expect(page.data.idea).toMatchObject({ id: idea.id, my_vote: 1 });
    // The suspension shows on their own page and to staff, not to other members.
    const own = await callRoute(memberPage.loader, t.db, { path: `/members/${member.handle}`, params: { handle: member.handle }, cookie });
    expect(own.data.member).toMatchObject({ suspension_reason: "Posting spam links" });
    const stranger = await callRoute(memberPage.loader, t.db, { path: `/members/${member.handle}`, params: { handle: member.handle }, cookie: await cookieFor(t.db, host.id) });
    expect(stranger.data.member).toMatchObject({ suspended_until: null, suspension_reason: null });

    const lifted = await unsuspend(member, moderatorCookie);
    expect(lifted.status).toBe(302);
    expect(flashOf(lifted)).toBe("Suspension lifted.");
    expect((await rootData(cookie)).member.suspension).toBeNull();
    expect(await onIdea(other.id, { intent: "vote", value: "up" }, cookie)).toMatchObject({ status: 200, data: { ok: true, value: 1 } });
    expect((await onIdea(idea.id, { intent: "comment", body: "Back again" }, cookie)).status).toBe(200);
    const events = await t.db.selectFrom("events").select(["type", "actor_id", "actor_role"]).where("member_id", "=", member.id).where("type", "like", "member.%suspended").orderBy("id").execute();
    expect(events).toEqual([
      { type: "member.suspended", actor_id: moderator.id, actor_role: "moderator" },
      { type: "member.unsuspended", actor_id: moderator.id, actor_role: "moderator" },
    ]);
    expect((await unsuspend(member, moderatorCookie)).status).toBe(409);
  });

  it("with no end date, lasts until further notice", async () => {
    const member = await makeMember(t.db);
    const cookie = await cookieFor(t.db, member.id);
    const idea = await makeIdea(t.db, host);
    expect((await suspend(member, adminCookie, "Repeated abuse")).status).toBe(302);
    expect((await memberRow(member.id)).suspended_until?.getUTCFullYear()).toBe(9999);
    expect((await rootData(cookie)).member.suspension).toEqual({ until: null, reason: "Repeated abuse" });
    const vote = await onIdea(idea.id, { intent: "vote", value: "up" }, cookie);
    expect(vote.status).toBe(403);
    expect(vote.data.fieldErrors.form).toBe("Your account is suspended until further notice: Repeated abuse. You can still read.");
  });

  it("a suspension whose end has passed no longer applies", async () => {
    const member = await makeMember(t.db);
    const cookie = await cookieFor(t.db, member.id);
    const idea = await makeIdea(t.db, host);
    await t.db.updateTable("members").set({ suspended_until: new Date(Date.now() - 60_000), suspension_reason: "Old trouble" }).where("id", "=", member.id).execute();
    expect((await rootData(cookie)).member.suspension).toBeNull();
    expect((await onIdea(idea.id, { intent: "vote", value: "up" }, cookie)).status).toBe(200);
  });
});

describe("who may suspend whom", () => {
  it("a moderator cannot suspend staff; an admin can; nobody can suspend themselves", async () => {
    const otherModerator = await makeMember(t.db, { role: "moderator" });
    const otherAdmin = await makeMember(t.db, { role: "admin" });
    const pm = await makeMember(t.db, { role: "product_manager" });
    for (const target of [otherAdmin, otherModerator, pm]) {
      const before = await memberRow(target.id);
      const res = await suspend(target, moderatorCookie);
      expect(res.status, target.role).toBe(403);
      expect(res.data.fieldErrors.form).toBe("Only admins can suspend staff.");
      expect(await memberRow(target.id)).toEqual(before);
    }
    for (const [self, cookie] of [[moderator, moderatorCookie], [admin, adminCookie]] as const) {
      const res = await suspend(self, cookie);
      expect(res.status, self.role).toBe(403);
      expect(res.data.fieldErrors.form).toBe("You cannot suspend yourself.");
      expect((await memberRow(self.id)).suspended_until).toBeNull();
    }
    const byAdmin = await suspend(otherModerator, adminCookie, "Abused moderator powers");
    expect(byAdmin.status).toBe(302);
    expect(await memberRow(otherModerator.id)).toMatchObject({ suspension_reason: "Abused moderator powers" });
    const event = await t.db.selectFrom("events").select(["actor_id", "actor_role", "data"]).where("type", "=", "member.suspended").where("member_id", "=", otherModerator.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_id: admin.id, actor_role: "admin", data: { suspensionId: expect.any(Number) } });
    const suspension = await t.db.selectFrom("suspensions").select(["member_id", "actor_id", "reason", "lifted_at"])
      .where("id", "=", (event.data as { suspensionId: number }).suspensionId).executeTakeFirstOrThrow();
    expect(suspension).toEqual({ member_id: otherModerator.id, actor_id: admin.id, reason: "Abused moderator powers", lifted_at: null });
    expect((await suspend(pm, adminCookie, "Testing")).status).toBe(302);
  });

  it("answers bad suspensions with 400 and unknown members with 404", async () => {
    const member = await makeMember(t.db);
    const past = await suspend(member, moderatorCookie, "Spam", daysFromNow(-1));
    expect(past.status).toBe(400);
    expect(past.data.fieldErrors.until).toMatch(/future/);
    const today = await suspend(member, moderatorCookie, "Spam", daysFromNow(0));
    expect(today.status).toBe(400);
    expect((await suspend(member, moderatorCookie, "Spam", "next week")).data.fieldErrors.until).toMatch(/YYYY-MM-DD/);
    expect((await suspend(member, moderatorCookie, "   ")).data.fieldErrors.reason).toMatch(/required/);
    expect((await memberAction(member, { intent: "suspend", memberId: "999999", until: "", reason: "x" }, moderatorCookie)).status).toBe(404);
    expect((await memberRow(member.id)).suspended_until).toBeNull();
  });

  // Regression (found by these tests, fixed since).
  it("a suspended moderator cannot lift their own suspension", async () => {
    const rogue = await makeMember(t.db, { role: "moderator", displayName: "Rogue Moderator" });
    const rogueCookie = await cookieFor(t.db, rogue.id);
    expect((await suspend(rogue, adminCookie, "Abused moderator powers")).status).toBe(302);
    const res = await unsuspend(rogue, rogueCookie);
    expect([400, 403]).toContain(res.status);
    expect(await memberRow(rogue.id)).toMatchObject({ suspension_reason: "Abused moderator powers" });
  });

  // Regression (found by these tests, fixed since).
  it("a suspended moderator cannot moderate", async () => {
    const rogue = await makeMember(t.db, { role: "moderator" });
    const rogueCookie = await cookieFor(t.db, rogue.id);
    await suspend(rogue, adminCookie, "Abused moderator powers");
    const idea = await makeIdea(t.db, host);
    const res = await callRoute(moderationRoute.action, t.db, {
      path: "/moderation",
      cookie: rogueCookie,
      form: { intent: "moderate", kind: "idea", targetId: String(idea.id), action: "hide", reason: "Because I can" },
    });
    expect(res.status).toBe(403);
    const row = await t.db.selectFrom("ideas").select("moderation").where("id", "=", idea.id).executeTakeFirstOrThrow();
    expect(row.moderation).toBe("visible");
  });
});

describe("admins change roles", () => {
  it("the new role applies to the live session at once", async () => {
    const member = await makeMember(t.db, { displayName: "Future Product Manager" });
    const cookie = await cookieFor(t.db, member.id);
    expect((await callRoute(triage.loader, t.db, { path: "/triage", cookie })).status).toBe(403);

    const res = await setRole(member, "product_manager", adminCookie);
    expect(res.status).toBe(302);
    expect(flashOf(res)).toBe("Role changed to Product manager.");
    expect((await memberRow(member.id)).role).toBe("product_manager");
    expect((await rootData(cookie)).member).toMatchObject({ role: "product_manager" });
    expect((await callRoute(triage.loader, t.db, { path: "/triage", cookie })).status).toBe(200);
    const event = await t.db.selectFrom("events").select(["actor_id", "actor_role", "data"]).where("type", "=", "member.role_changed").where("member_id", "=", member.id).execute();
    expect(event).toEqual([{ actor_id: admin.id, actor_role: "admin", data: { from: "member", to: "product_manager" } }]);

    expect((await setRole(member, "member", adminCookie)).status).toBe(302);
    expect((await callRoute(triage.loader, t.db, { path: "/triage", cookie })).status).toBe(403);
  });

  it("an admin cannot change their own role; moderators cannot change roles", async () => {
    const own = await setRole(admin, "member", adminCookie);
    expect(own.status).toBe(403);
    expect(own.data.fieldErrors.form).toBe("You cannot change your own role.");
    expect((await memberRow(admin.id)).role).toBe("admin");
    const member = await makeMember(t.db);
    const byModerator = await setRole(member, "moderator", moderatorCookie);
    expect(byModerator.status).toBe(403);
    expect((await memberRow(member.id)).role).toBe("member");
    expect((await setRole(member, "overlord" as Role, adminCookie)).status).toBe(400);
  });
});
