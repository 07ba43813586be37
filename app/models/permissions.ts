import type { Role } from "../../db/schema";

/** The signed-in member as every permission check sees them. */
export interface Actor {
  id: number;
  role: Role;
}

export const ROLE_LABELS: Record<Role, string> = {
  member: "Member",
  moderator: "Moderator",
  product_manager: "Product manager",
  admin: "Admin",
};

/** How long an author may edit their own idea after posting it. */
export const IDEA_EDIT_WINDOW_MINUTES = 60;

export const isStaff = (role: Role) => role !== "member";
export const isProductTeam = (role: Role) => role === "product_manager" || role === "admin";
export const isModerator = (role: Role) => role === "moderator" || role === "admin";

type IdeaTarget = { authorId: number; createdAt: Date };
type CommentTarget = { authorId: number; deletedAt: Date | null };

/**
 * Every permission as a pure predicate, shared by server and UI. The server
 * always asks; the UI only hides what the server would refuse.
 */
export function canEditIdea(actor: Actor | null, idea: IdeaTarget, now = new Date()): boolean {
  if (!actor) return false;
  if (isStaff(actor.role)) return true;
  if (actor.id !== idea.authorId) return false;
  return now.getTime() - idea.createdAt.getTime() <= IDEA_EDIT_WINDOW_MINUTES * 60_000;
}

export function canEditComment(actor: Actor | null, comment: CommentTarget): boolean {
  if (!actor || comment.deletedAt) return false;
  return actor.id === comment.authorId || isModerator(actor.role);
}

export const canDeleteComment = canEditComment;

export function canViewIdeaHistory(actor: Actor | null, idea: IdeaTarget): boolean {
  return !!actor && (actor.id === idea.authorId || isStaff(actor.role));
}
