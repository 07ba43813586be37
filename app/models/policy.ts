import type { IdeaStatus, Moderation, Role } from "../../db/schema";
import { DomainError } from "./shared/errors";
import { formatDate } from "./shared/format";
import { isVotingOpen } from "./ideas/idea";
import { isAdmin, isModerator, isProductTeam, isStaff } from "./members/roles";

/**
 * Who may do what: one pure module, shared by the server and the UI. Every
 * command asks `assertCan` inside its own transaction, after locking what it
 * changes, so a route, a job, the API and a staff action on someone's behalf
 * all obey the same rules. The UI asks `can` only to hide or disable what
 * the server would refuse, and to say why.
 */

/** The person acting, as every rule sees them. */
export interface Actor {
  id: number;
  role: Role;
  createdAt: Date;
  /** Set while suspended (the far future for "indefinitely"). */
  suspendedUntil: Date | null;
  suspensionReason: string | null;
}

/** How long an author may edit their own idea after posting it. */
export const IDEA_EDIT_WINDOW_MINUTES = 60;

const STATUS_WORDS: Record<IdeaStatus, string> = {
  new: "new",
  under_review: "under review",
  planned: "planned",
  in_progress: "in progress",
  adopted: "adopted",
  declined: "declined",
  duplicate: "a duplicate",
};

/** What each action is about (null: nothing beyond the actor). */
export interface Subjects {
  "idea.post": null;
  "idea.edit": { authorId: number; createdAt: Date };
  "idea.view_hidden": { authorId: number };
  "idea.view_history": { authorId: number };
  "idea.vote": { status: IdeaStatus; moderation: Moderation };
  "idea.follow": null;
  "category.follow": null;
  /** lockReason: set while the idea's discussion is locked. */
  "comment.add": { ideaModeration: Moderation; lockReason?: string | null };
  "idea.lock": null;
  "moderation.approve": null;
  "member.follow": { id: number };
  /** A member's points and the site's threshold for proposing duplicates. */
  "idea.propose_duplicate": { points: number; threshold: number };
  "duplicate.decide": null;
  "comment.edit": { authorId: number; deleted: boolean };
  "comment.delete": { authorId: number; deleted: boolean };
  "comment.view_hidden": { authorId: number };
  "flag.raise": { authorId: number; kind: "idea" | "comment" | "member" };
  "flag.withdraw": { flaggerId: number };
  "content.preview": null;
  "idea.respond": { status: IdeaStatus };
  "idea.merge": null;
  "idea.unmerge": null;
  "idea.tag": null;
  "idea.categorise": null;
  "idea.assign": null;
  "staff_note.add": null;
  "staff_note.read": null;
  "triage.read": null;
  "tag.create": null;
  "moderation.queue": null;
  "moderation.decide": null;
  "member.suspend": { id: number; role: Role };
  "member.unsuspend": { id: number; role: Role };
  "member.change_role": { id: number };
  "category.manage": null;
  "settings.update": null;
  "audit.read": null;
  /** The member record: staff only (moderators see its moderation side, see memberRecordKinds). */
  "member_record.read": null;
  "interaction.log": { memberId: number };
  /** Recording a vote or comment for a member from another channel. */
  "on_behalf.record": { memberId: number };
  /** A member's own preferences (messages from staff). */
  "member.preferences": null;
  "cohort.build": null;
  "cohort.message": null;
  /** One's own account: e-mail, password, sessions, notification choices (allowed while suspended). */
  "account.manage": { memberId: number };
  /** One's public name and bio. */
  "profile.edit": { memberId: number };
  "mail.read_deliveries": null;
}
export type Action = keyof Subjects;

export type Decision = { ok: true } | { ok: false; status: 403 | 404 | 409; message: string };

const yes: Decision = { ok: true };
const no = (message: string, status: 403 | 404 | 409 = 403): Decision => ({ ok: false, status, message });

/** A reason as the end of a sentence: with a full stop unless it has its own punctuation. */
export const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

export function isSuspended(actor: Pick<Actor, "suspendedUntil">, now = new Date()): boolean {
  return !!actor.suspendedUntil && actor.suspendedUntil > now;
}

/** What a suspended member is told wherever they try to take part. */
export function suspensionMessage(actor: Pick<Actor, "suspendedUntil" | "suspensionReason">): string {
  const until = actor.suspendedUntil!;
  const when = until.getUTCFullYear() >= 9999 ? "until further notice" : `until ${formatDate(until)}`;
  return `Your account is suspended ${when}${actor.suspensionReason ? `: ${sentence(actor.suspensionReason)}` : "."} You can still read.`;
}

/** Actions a suspended member may still take: they change nothing others see. */
const ALLOWED_WHILE_SUSPENDED = new Set<Action>([
  "idea.follow", "category.follow", "member.follow", "flag.withdraw", "idea.view_hidden", "idea.view_history", "comment.view_hidden",
  "staff_note.read", "triage.read", "moderation.queue", "audit.read", "member_record.read",
  "member.preferences", "account.manage", "mail.read_deliveries",
]);

const SIGN_IN: Partial<Record<Action, string>> = {
  "idea.post": "Sign in to post an idea.",
  "idea.vote": "Sign in to vote.",
  "comment.add": "Sign in to comment.",
  "idea.follow": "Sign in to follow ideas.",
  "category.follow": "Sign in to follow categories.",
  "member.follow": "Sign in to follow members.",
  "flag.raise": "Sign in to flag.",
};

/** Whether `actor` may do `action` on `subject`, and if not, why (with the status to answer). */
export function can<A extends Action>(actor: Actor | null, action: A, subject: Subjects[A], now = new Date()): Decision {
  if (!actor) {
    if (action === "idea.view_hidden" || action === "comment.view_hidden" || action === "idea.view_history") return no("Not allowed.");
    return no(SIGN_IN[action] ?? "Sign in first.");
  }
  if (isSuspended(actor, now) && !ALLOWED_WHILE_SUSPENDED.has(action)) return no(suspensionMessage(actor));
  const s = subject as Subjects[Action];
  switch (action) {
    case "idea.post":
    case "idea.follow":
    case "category.follow":
    case "content.preview":
      return yes;
    case "idea.propose_duplicate": {
      const { points, threshold } = s as Subjects["idea.propose_duplicate"];
      if (isStaff(actor.role)) return no("Staff merge duplicates themselves.", 409);
      return points >= threshold ? yes : no(`Members with ${threshold.toLocaleString("en")} points or more can propose duplicates; you have ${points.toLocaleString("en")}.`);
    }
    case "duplicate.decide":
      return isProductTeam(actor.role) ? yes : no("Only product managers and admins decide on proposed duplicates.");
    case "member.follow":
      return (s as Subjects["member.follow"]).id === actor.id ? no("You cannot follow yourself.", 409) : yes;
    case "idea.edit": {
      const idea = s as Subjects["idea.edit"];
      if (isStaff(actor.role)) return yes;
      if (actor.id !== idea.authorId) return no("Only the author or staff can edit this idea.");
      const withinWindow = now.getTime() - idea.createdAt.getTime() <= IDEA_EDIT_WINDOW_MINUTES * 60_000;
      return withinWindow
        ? yes
        : no(`Ideas can be edited for ${IDEA_EDIT_WINDOW_MINUTES} minutes after posting. Add a comment to say what changed.`);
    }
    case "idea.view_hidden":
    case "comment.view_hidden":
      return actor.id === (s as { authorId: number }).authorId || isModerator(actor.role) ? yes : no("Not allowed.", 404);
    case "idea.view_history":
      return actor.id === (s as { authorId: number }).authorId || isStaff(actor.role) ? yes : no("Only the author and staff see an idea's history.");
    case "idea.vote": {
      const idea = s as Subjects["idea.vote"];
      if (idea.moderation !== "visible") return no("This idea is hidden by moderation; voting is paused.", 409);
      if (!isVotingOpen(idea.status)) return no(`Voting is closed: this idea is ${STATUS_WORDS[idea.status]}.`, 409);
      return yes;
    }
    case "comment.add": {
      const idea = s as Subjects["comment.add"];
      if (idea.ideaModeration !== "visible") return no("This idea is hidden by moderation; the discussion is paused.", 409);
      // Staff can still answer in a locked discussion (the company's word, a moderator's note).
      if (idea.lockReason && !isStaff(actor.role)) return no(`This discussion is locked: ${sentence(idea.lockReason)}`, 409);
      return yes;
    }
    case "idea.lock":
      return isStaff(actor.role) ? yes : no("Only moderators and staff lock discussions.");
    case "moderation.approve":
      return isModerator(actor.role) ? yes : no("Only moderators and admins approve posts.");
    case "comment.edit":
    case "comment.delete": {
      const comment = s as Subjects["comment.edit"];
      if (comment.deleted) return no("That comment was deleted.", 409);
      if (actor.id === comment.authorId || isModerator(actor.role)) return yes;
      return no(action === "comment.edit" ? "You can only edit your own comments." : "You can only delete your own comments.");
    }
    case "flag.raise": {
      const target = s as Subjects["flag.raise"];
      if (target.authorId !== actor.id) return yes;
      return no(target.kind === "member" ? "You cannot flag yourself." : "You cannot flag your own post.");
    }
    case "flag.withdraw":
      return (s as Subjects["flag.withdraw"]).flaggerId === actor.id ? yes : no("That flag does not exist or was removed.", 404);
    case "idea.respond":
      if (!isProductTeam(actor.role)) return no("Only product managers and admins answer for the company.");
      return (s as Subjects["idea.respond"]).status === "duplicate"
        ? no("This idea was merged into another. Answer there, or undo the merge first.", 409)
        : yes;
    case "idea.merge":
      return isProductTeam(actor.role) ? yes : no("Only product managers and admins merge ideas.");
    case "idea.unmerge":
      return isProductTeam(actor.role) ? yes : no("Only product managers and admins undo merges.");
    case "idea.tag":
    case "idea.categorise":
    case "idea.assign":
    case "staff_note.add":
    case "staff_note.read":
      return isProductTeam(actor.role) ? yes : no("Only product managers and admins can do that.");
    case "triage.read":
      return isProductTeam(actor.role) ? yes : no("The triage queue is for product managers and admins.");
    case "tag.create":
      return isProductTeam(actor.role) ? yes : no("Tags are managed by product managers and admins.");
    case "moderation.queue":
      return isModerator(actor.role) ? yes : no("The moderation queue is for moderators and admins.");
    case "moderation.decide":
      return isModerator(actor.role) ? yes : no("Only moderators and admins moderate.");
    case "member.suspend":
    case "member.unsuspend": {
      const target = s as Subjects["member.suspend"];
      if (!isModerator(actor.role)) return no("Only moderators and admins suspend members.");
      if (target.id === actor.id) {
        return no(action === "member.suspend" ? "You cannot suspend yourself." : "You cannot lift your own suspension.");
      }
      if (target.role !== "member" && !isAdmin(actor.role)) {
        return no(action === "member.suspend" ? "Only admins can suspend staff." : "Only admins can lift a suspension of staff.");
      }
      return yes;
    }
    case "member.change_role":
      if (!isAdmin(actor.role)) return no("Only admins change roles.");
      return (s as Subjects["member.change_role"]).id === actor.id ? no("You cannot change your own role.") : yes;
    case "category.manage":
      return isAdmin(actor.role) ? yes : no("Categories are managed by admins.");
    case "settings.update":
      return isAdmin(actor.role) ? yes : no("Site settings are for admins.");
    case "audit.read":
      return isAdmin(actor.role) ? yes : no("The audit log is for admins.");
    case "member_record.read":
      return isStaff(actor.role) ? yes : no("Member records are for staff.", 404);
    case "interaction.log":
      if (!isProductTeam(actor.role)) return no("Only product managers and admins log interactions.");
      return (s as Subjects["interaction.log"]).memberId === actor.id ? no("Log interactions with other members, not yourself.", 409) : yes;
    case "on_behalf.record":
      if (!isProductTeam(actor.role)) return no("Only product managers and admins record votes and comments on a member's behalf.");
      return (s as Subjects["on_behalf.record"]).memberId === actor.id ? no("Vote and comment as yourself on the idea page.", 409) : yes;
    case "member.preferences":
      return yes;
    case "cohort.build":
      return isProductTeam(actor.role) ? yes : no("Cohorts are for product managers and admins.");
    case "cohort.message":
      return isProductTeam(actor.role) ? yes : no("Only product managers and admins message cohorts.");
    case "account.manage":
    case "profile.edit":
      return (s as { memberId: number }).memberId === actor.id ? yes : no("You can only change your own account.");
    case "mail.read_deliveries":
      return isAdmin(actor.role) ? yes : no("Mail deliveries are for admins.");
  }
  return no("Not allowed.");
}

/** Throws the refusal as a DomainError (its status and message reach the member). */
export function assertCan<A extends Action>(actor: Actor | null, action: A, subject: Subjects[A], now?: Date): asserts actor is Actor {
  const decision = can(actor, action, subject, now);
  if (!decision.ok) throw new DomainError(decision.status, decision.message);
}

/** The same rule as `can`, as a yes or no (for the UI). */
export const allowed = <A extends Action>(actor: Actor | null, action: A, subject: Subjects[A], now?: Date) =>
  can(actor, action, subject, now).ok;

/**
 * The viewer as loaders send them to the page (dates as strings), and back
 * into an Actor for `can` in components.
 */
export interface ViewerData {
  id: number;
  role: Role;
  createdAt: string;
  suspendedUntil: string | null;
  suspensionReason: string | null;
}

export function viewerData(actor: Actor | null): ViewerData | null {
  if (!actor) return null;
  return {
    id: actor.id,
    role: actor.role,
    createdAt: actor.createdAt.toISOString(),
    suspendedUntil: actor.suspendedUntil ? actor.suspendedUntil.toISOString() : null,
    suspensionReason: actor.suspensionReason,
  };
}

export function actorFromViewer(viewer: ViewerData | null): Actor | null {
  if (!viewer) return null;
  return {
    id: viewer.id,
    role: viewer.role,
    createdAt: new Date(viewer.createdAt),
    suspendedUntil: viewer.suspendedUntil ? new Date(viewer.suspendedUntil) : null,
    suspensionReason: viewer.suspensionReason,
  };
}
