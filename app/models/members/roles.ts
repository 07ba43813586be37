import type { Role } from "../../../db/schema";

// The roles and who counts as staff: read by every page's header, so kept apart from the
// rules in policy.ts (which only the pages that ask `can` load in the browser).

export const ROLE_LABELS: Record<Role, string> = {
  member: "Member",
  moderator: "Moderator",
  product_manager: "Product manager",
  admin: "Admin",
};

/** Staff: every role but member (moderators, the product team, admins). */
export const isStaff = (role: Role) => role !== "member";
/** The product team: product managers and admins. */
export const isProductTeam = (role: Role) => role === "product_manager" || role === "admin";
/** Moderators and admins. */
export const isModerator = (role: Role) => role === "moderator" || role === "admin";
export const isAdmin = (role: Role) => role === "admin";
