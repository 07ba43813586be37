import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema";
import {
  canDeleteComment,
  canEditComment,
  canEditIdea,
  canViewIdeaHistory,
  IDEA_EDIT_WINDOW_MINUTES,
  isModerator,
  isProductTeam,
  isStaff,
  type Actor,
} from "../../app/models/permissions";

const AUTHOR_ID = 10;
const OTHER_ID = 11;
const CREATED = new Date("2024-05-01T10:00:00Z");
const idea = { authorId: AUTHOR_ID, createdAt: CREATED };
const minutesAfter = (minutes: number) => new Date(CREATED.getTime() + minutes * 60_000);
const actor = (id: number, role: Role = "member"): Actor => ({ id, role });
const STAFF: Role[] = ["moderator", "product_manager", "admin"];

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

describe("canEditIdea", () => {
  it("has a 60-minute window", () => {
    expect(IDEA_EDIT_WINDOW_MINUTES).toBe(60);
  });

  it("refuses a signed-out visitor", () => {
    expect(canEditIdea(null, idea, minutesAfter(1))).toBe(false);
  });

  it("lets the author edit within the window, up to and including its last millisecond", () => {
    expect(canEditIdea(actor(AUTHOR_ID), idea, CREATED)).toBe(true);
    expect(canEditIdea(actor(AUTHOR_ID), idea, minutesAfter(30))).toBe(true);
    expect(canEditIdea(actor(AUTHOR_ID), idea, minutesAfter(IDEA_EDIT_WINDOW_MINUTES))).toBe(true);
  });

  it("refuses the author after the window", () => {
    expect(canEditIdea(actor(AUTHOR_ID), idea, new Date(minutesAfter(IDEA_EDIT_WINDOW_MINUTES).getTime() + 1))).toBe(false);
    expect(canEditIdea(actor(AUTHOR_ID), idea, minutesAfter(IDEA_EDIT_WINDOW_MINUTES + 1))).toBe(false);
    expect(canEditIdea(actor(AUTHOR_ID), idea, minutesAfter(60 * 24 * 365))).toBe(false);
  });

  it("refuses another member, even within the window", () => {
    expect(canEditIdea(actor(OTHER_ID), idea, minutesAfter(1))).toBe(false);
  });

  it.each(STAFF)("always lets %s edit, long after the window", (role) => {
    expect(canEditIdea(actor(OTHER_ID, role), idea, minutesAfter(1))).toBe(true);
    expect(canEditIdea(actor(OTHER_ID, role), idea, minutesAfter(60 * 24 * 365))).toBe(true);
  });

  it("uses the current time by default", () => {
    const recent = { authorId: AUTHOR_ID, createdAt: new Date(Date.now() - 5 * 60_000) };
    const old = { authorId: AUTHOR_ID, createdAt: new Date(Date.now() - 2 * 3600_000) };
    expect(canEditIdea(actor(AUTHOR_ID), recent)).toBe(true);
    expect(canEditIdea(actor(AUTHOR_ID), old)).toBe(false);
  });
});

describe.each([
  ["canEditComment", canEditComment],
  ["canDeleteComment", canDeleteComment],
] as const)("%s", (_name, can) => {
  const live = { authorId: AUTHOR_ID, deletedAt: null };
  const deleted = { authorId: AUTHOR_ID, deletedAt: new Date("2024-05-02T00:00:00Z") };

  it("refuses a signed-out visitor", () => {
    expect(can(null, live)).toBe(false);
  });

  it("allows the author", () => {
    expect(can(actor(AUTHOR_ID), live)).toBe(true);
  });

  it("refuses another member", () => {
    expect(can(actor(OTHER_ID), live)).toBe(false);
  });

  it("allows moderators and admins", () => {
    expect(can(actor(OTHER_ID, "moderator"), live)).toBe(true);
    expect(can(actor(OTHER_ID, "admin"), live)).toBe(true);
  });

  it("refuses a product manager who is not the author", () => {
    expect(can(actor(OTHER_ID, "product_manager"), live)).toBe(false);
  });

  it("allows a product manager who is the author", () => {
    expect(can(actor(AUTHOR_ID, "product_manager"), live)).toBe(true);
  });

  it("refuses everyone on a deleted comment", () => {
    for (const a of [actor(AUTHOR_ID), actor(OTHER_ID, "moderator"), actor(OTHER_ID, "admin"), actor(OTHER_ID, "product_manager")]) {
      expect(can(a, deleted)).toBe(false);
    }
  });
});

describe("canViewIdeaHistory", () => {
  it("refuses a signed-out visitor", () => {
    expect(canViewIdeaHistory(null, idea)).toBe(false);
  });
  it("allows the author, even after the edit window", () => {
    expect(canViewIdeaHistory(actor(AUTHOR_ID), { authorId: AUTHOR_ID, createdAt: new Date("2000-01-01T00:00:00Z") })).toBe(true);
  });
  it("refuses another member", () => {
    expect(canViewIdeaHistory(actor(OTHER_ID), idea)).toBe(false);
  });
  it.each(STAFF)("allows %s", (role) => {
    expect(canViewIdeaHistory(actor(OTHER_ID, role), idea)).toBe(true);
  });
});
