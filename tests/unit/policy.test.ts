import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import {
  allowed,
  can,
  IDEA_EDIT_WINDOW_MINUTES,
  type Action,
  type Actor,
  type Subjects,
} from "../../app/models/policy";
import { CLOSED_STATUSES, isVotingOpen } from "../../app/models/ideas/idea";
import { isModerator, isProductTeam, isStaff } from "../../app/models/members/roles";

const AUTHOR_ID = 10;
const OTHER_ID = 11;
const CREATED = new Date("2024-05-01T10:00:00Z");
const idea = { authorId: AUTHOR_ID, createdAt: CREATED };
const minutesAfter = (minutes: number) => new Date(CREATED.getTime() + minutes * 60_000);
const actor = (id: number, role: Role = "member", suspendedUntil: Date | null = null): Actor => ({
  id, role, createdAt: new Date("2024-01-01T00:00:00Z"), suspendedUntil, suspensionReason: suspendedUntil ? "Spamming" : null,
});
const STAFF: Role[] = ["moderator", "product_manager", "admin"];
const ROLES: Role[] = ["member", ...STAFF];

describe("role predicates", () => {
  it.each([
    ["member", false, false, false],
    ["moderator", true, false, true],
    ["product_manager", true, true, false],
    ["admin", true, true, true],
  ] as const)("%s: staff %s, product team %s, moderator %s", (role, staff, product, moderator) => {
    expect(isStaff(role)).toBe(staff);
    expect(isProductTeam(role)).toBe(product);
    expect(isModerator(role)).toBe(moderator);
  });
});

describe("idea.edit", () => {
  const edit = (a: Actor | null, at?: Date) => allowed(a, "idea.edit", idea, at);
  it("has a 60-minute window", () => expect(IDEA_EDIT_WINDOW_MINUTES).toBe(60));
  it("refuses a signed-out visitor", () => expect(edit(null, minutesAfter(1))).toBe(false));
  it("lets the author edit within the window, up to and including its last millisecond", () => {
    expect(edit(actor(AUTHOR_ID), CREATED)).toBe(true);
    expect(edit(actor(AUTHOR_ID), minutesAfter(30))).toBe(true);
    expect(edit(actor(AUTHOR_ID), minutesAfter(IDEA_EDIT_WINDOW_MINUTES))).toBe(true);
  });
  it("refuses the author after the window, saying why", () => {
    expect(edit(actor(AUTHOR_ID), new Date(minutesAfter(IDEA_EDIT_WINDOW_MINUTES).getTime() + 1))).toBe(false);
    expect(can(actor(AUTHOR_ID), "idea.edit", idea, minutesAfter(61))).toEqual({
      ok: false, status: 403, message: "Ideas can be edited for 60 minutes after posting. Add a comment to say what changed.",
    });
  });
  it("refuses another member, even within the window", () => expect(edit(actor(OTHER_ID), minutesAfter(1))).toBe(false));
  it.each(STAFF)("always lets %s edit, long after the window", (role) => {
    expect(edit(actor(OTHER_ID, role), minutesAfter(60 * 24 * 365))).toBe(true);
  });
  it("refuses a suspended author within the window, and suspended staff", () => {
    const until = new Date(Date.now() + 86_400_000);
    expect(allowed(actor(AUTHOR_ID, "member", until), "idea.edit", { authorId: AUTHOR_ID, createdAt: new Date() })).toBe(false);
    expect(allowed(actor(OTHER_ID, "admin", until), "idea.edit", idea)).toBe(false);
  });
});

describe.each(["comment.edit", "comment.delete"] as const)("%s", (action) => {
  const live = { authorId: AUTHOR_ID, deleted: false };
  const deleted = { authorId: AUTHOR_ID, deleted: true };
  const may = (a: Actor | null, c = live) => allowed(a, action, c);
  it("refuses a visitor and another member; allows the author", () => {
    expect(may(null)).toBe(false);
    expect(may(actor(OTHER_ID))).toBe(false);
    expect(may(actor(AUTHOR_ID))).toBe(true);
  });
  it("allows moderators and admins, not a product manager who is not the author", () => {
    expect(may(actor(OTHER_ID, "moderator"))).toBe(true);
    expect(may(actor(OTHER_ID, "admin"))).toBe(true);
    expect(may(actor(OTHER_ID, "product_manager"))).toBe(false);
    expect(may(actor(AUTHOR_ID, "product_manager"))).toBe(true);
  });
  it("refuses everyone on a deleted comment", () => {
    for (const a of [actor(AUTHOR_ID), actor(OTHER_ID, "moderator"), actor(OTHER_ID, "admin")]) expect(may(a, deleted)).toBe(false);
  });
});

describe("idea.view_history", () => {
  it("allows the author and staff only", () => {
    expect(allowed(null, "idea.view_history", idea)).toBe(false);
    expect(allowed(actor(AUTHOR_ID), "idea.view_history", idea)).toBe(true);
    expect(allowed(actor(OTHER_ID), "idea.view_history", idea)).toBe(false);
    for (const role of STAFF) expect(allowed(actor(OTHER_ID, role), "idea.view_history", idea)).toBe(true);
  });
});

describe("idea.vote", () => {
  it("is closed on adopted, declined and duplicate ideas, and paused on hidden ones", () => {
    expect([...CLOSED_STATUSES].sort()).toEqual(["adopted", "declined", "duplicate"]);
    expect(isVotingOpen("planned")).toBe(true);
    expect(can(actor(OTHER_ID), "idea.vote", { status: "adopted", moderation: "visible" })).toEqual({
      ok: false, status: 409, message: "Voting is closed: this idea is adopted.",
    });
    expect(can(actor(OTHER_ID), "idea.vote", { status: "planned", moderation: "pending" })).toMatchObject({ ok: false, status: 409 });
    expect(allowed(actor(OTHER_ID), "idea.vote", { status: "planned", moderation: "visible" })).toBe(true);
  });
});

describe("suspension", () => {
  const until = new Date("2999-01-01T00:00:00Z");
  const suspended = (role: Role = "member") => actor(OTHER_ID, role, until);
  const participation: [Action, Subjects[Action]][] = [
    ["idea.post", null],
    ["idea.vote", { status: "new", moderation: "visible" }],
    ["comment.add", { ideaModeration: "visible" }],
    ["flag.raise", { authorId: AUTHOR_ID, kind: "idea" }],
    ["content.preview", null],
  ];
  it.each(participation)("refuses %s with the reason and the end date", (action, subject) => {
    expect(can(suspended(), action, subject)).toEqual({
      ok: false, status: 403, message: "Your account is suspended until Jan 1, 2999: Spamming. You can still read.",
    });
  });
  it("is over once its end has passed", () => {
    expect(allowed(actor(OTHER_ID, "member", new Date("2000-01-01T00:00:00Z")), "idea.post", null)).toBe(true);
  });
  it("stops staff from acting as staff, but not from reading", () => {
    expect(allowed(suspended("admin"), "settings.update", null)).toBe(false);
    expect(allowed(suspended("product_manager"), "idea.respond", { status: "new" })).toBe(false);
    expect(allowed(suspended("moderator"), "moderation.decide", null)).toBe(false);
    expect(allowed(suspended("admin"), "audit.read", null)).toBe(true);
    expect(allowed(suspended("product_manager"), "triage.read", null)).toBe(true);
  });
  it("says 'until further notice' for an indefinite suspension", () => {
    const forever = actor(OTHER_ID, "member", new Date("9999-12-31T00:00:00Z"));
    expect(can(forever, "idea.post", null)).toMatchObject({ message: "Your account is suspended until further notice: Spamming. You can still read." });
  });
});

describe("staff actions, by role", () => {
  const cases: [Action, Subjects[Action], Role[]][] = [
    ["idea.respond", { status: "new" }, ["product_manager", "admin"]],
    ["idea.merge", null, ["product_manager", "admin"]],
    ["idea.tag", null, ["product_manager", "admin"]],
    ["staff_note.add", null, ["product_manager", "admin"]],
    ["triage.read", null, ["product_manager", "admin"]],
    ["tag.create", null, ["product_manager", "admin"]],
    ["moderation.decide", null, ["moderator", "admin"]],
    ["moderation.queue", null, ["moderator", "admin"]],
    ["category.manage", null, ["admin"]],
    ["settings.update", null, ["admin"]],
    ["audit.read", null, ["admin"]],
  ];
  it.each(cases)("%s is for %j", (action, subject, roles) => {
    for (const role of ROLES) expect(allowed(actor(OTHER_ID, role), action, subject), `${role}`).toBe(roles.includes(role));
    expect(allowed(null, action, subject)).toBe(false);
  });
  it("refuses an official response on a merged idea", () => {
    expect(can(actor(OTHER_ID, "admin"), "idea.respond", { status: "duplicate" })).toMatchObject({ ok: false, status: 409 });
  });
  it("lets moderators suspend members but not staff, admins anyone but themselves", () => {
    expect(allowed(actor(OTHER_ID, "moderator"), "member.suspend", { id: AUTHOR_ID, role: "member" })).toBe(true);
    expect(allowed(actor(OTHER_ID, "moderator"), "member.suspend", { id: AUTHOR_ID, role: "product_manager" })).toBe(false);
    expect(allowed(actor(OTHER_ID, "admin"), "member.suspend", { id: AUTHOR_ID, role: "moderator" })).toBe(true);
    expect(allowed(actor(OTHER_ID, "admin"), "member.suspend", { id: OTHER_ID, role: "admin" })).toBe(false);
    expect(allowed(actor(OTHER_ID, "moderator"), "member.unsuspend", { id: OTHER_ID, role: "moderator" })).toBe(false);
  });
  it("lets admins change others' roles, never their own", () => {
    expect(allowed(actor(OTHER_ID, "admin"), "member.change_role", { id: AUTHOR_ID })).toBe(true);
    expect(allowed(actor(OTHER_ID, "admin"), "member.change_role", { id: OTHER_ID })).toBe(false);
    expect(allowed(actor(OTHER_ID, "moderator"), "member.change_role", { id: AUTHOR_ID })).toBe(false);
  });
  it("refuses flagging one's own post or oneself", () => {
    expect(can(actor(AUTHOR_ID), "flag.raise", { authorId: AUTHOR_ID, kind: "comment" })).toMatchObject({ message: "You cannot flag your own post." });
    expect(can(actor(AUTHOR_ID), "flag.raise", { authorId: AUTHOR_ID, kind: "member" })).toMatchObject({ message: "You cannot flag yourself." });
  });
});
