import type { Channel, FlagTargetKind, IdeaStatus, Role } from "../../../db/schema";

/** A vote or comment staff recorded for the member (the event's actor) from another channel. */
export interface OnBehalf {
  staffId: number;
  channel: Channel;
  interactionId: number;
}

/**
 * The event catalogue: every kind of change the product records, with its
 * payload type, its subject (which column names what it is about), whether
 * it is a staff action for the audit log, and the payload's version. Payloads
 * reference rows (a revision, a suspension, a decision) instead of copying a
 * member's words, so erasing a member's text later never rewrites history.
 * See docs/decisions/008-events-reactors-jobs.md.
 */
export interface EventPayloads {
  "member.joined": Record<string, never>;
  "member.suspended": { suspensionId: number };
  "member.unsuspended": { suspensionId: number };
  "member.role_changed": { from: Role; to: Role };
  /** The member proved an address is theirs (on sign-up, or a changed address now in use). */
  "member.email_verified": { via: "sign_up" | "change" };
  /** `profileComplete` (version 2): a bio and a photo after the edit (earns points while true; see points.server.ts). */
  "member.profile_edited": { profileComplete?: boolean };
  /** A photo uploaded (or replaced) or removed; `profileComplete` as for profile_edited. */
  "member.avatar_changed": { change: "uploaded" | "removed"; profileComplete: boolean };
  /** Whether the member's public page lists the ideas they up-voted. */
  "member.votes_visibility_changed": { showVotes: boolean };
  "member.password_changed": { via: "account" | "reset" };
  "member.mail_preferences_changed": Record<string, never>;
  /** `member_id`: the member followed; the actor follows them. */
  "member.followed": Record<string, never>;
  "member.unfollowed": Record<string, never>;
  /** A badge from the catalogue (app/models/engagement/badges.ts), awarded by a reactor. */
  "badge.awarded": { badge: string };

  "idea.posted": Record<string, never>;
  "idea.edited": { revisionId: number };
  "idea.status_changed": { from: IdeaStatus; to: IdeaStatus; responseId: number };
  "idea.responded": { status: IdeaStatus; responseId: number };
  "idea.revisited": { from: "declined"; to: "under_review"; responseId: number };
  "idea.merged": { mergeId: number; targetId: number; movedVotes: number; movedFollows: number };
  "idea.unmerged": { mergeId: number; targetId: number; removedVotes: number; removedFollows: number };
  "idea.categorised": { from: number | null; to: number };
  "idea.tagged": { added: number[]; removed: number[] };
  "idea.assigned": { from: number | null; to: number | null };
  /** `via`: the member's own choice, or automatic on posting, voting or a merge. */
  "idea.followed": { via: "member" | "posting" | "voting" | "merge"; mergeId?: number };
  "idea.unfollowed": { via: "member" | "unmerge"; mergeId?: number };
  "staff_note.added": { noteId: number };
  /** The reason is on the idea's row while it stays locked (staff's words, shown to members). */
  "idea.locked": Record<string, never>;
  "idea.unlocked": Record<string, never>;
  /** A member proposed that this idea duplicates `targetId`. */
  "duplicate.proposed": { proposalId: number; targetId: number };
  "duplicate.rejected": { proposalId: number; targetId: number };

  "vote.cast": { from: 0; to: -1 | 1; onBehalf?: OnBehalf };
  "vote.changed": { from: -1 | 1; to: -1 | 1; onBehalf?: OnBehalf };
  "vote.retracted": { from: -1 | 1; to: 0; onBehalf?: OnBehalf };
  /** A merge copied the member's vote from the duplicate to the idea it was merged into. */
  "vote.moved": { mergeId: number; fromIdeaId: number; value: -1 | 1 };
  /** Undoing a merge took that copied vote back off. */
  "vote.move_undone": { mergeId: number; value: -1 | 1 };

  "comment.added": { parentId: number | null; onBehalf?: OnBehalf };
  "comment.edited": { revisionId: number };
  "comment.deleted": Record<string, never>;

  "flag.raised": { flagId: number; kind: FlagTargetKind; targetId: number };
  "flag.withdrawn": { flagId: number; kind: FlagTargetKind; targetId: number };
  "moderation.auto_hidden": { decisionId: number; kind: FlagTargetKind; targetId: number };
  "moderation.auto_restored": { decisionId: number; kind: FlagTargetKind; targetId: number };
  "moderation.dismissed": { decisionId: number; kind: FlagTargetKind; targetId: number };
  "moderation.hidden": { decisionId: number; kind: FlagTargetKind; targetId: number };
  "moderation.deleted": { decisionId: number; kind: FlagTargetKind; targetId: number };
  "moderation.restored": { decisionId: number; kind: FlagTargetKind; targetId: number };
  /** A new member's first post was held for approval, then approved (made public). */
  "moderation.held": { decisionId: number; kind: FlagTargetKind; targetId: number };
  "moderation.approved": { decisionId: number; kind: FlagTargetKind; targetId: number };

  "tag.created": { tagId: number };
  "category.created": { categoryId: number };
  "category.followed": { categoryId: number };
  "category.unfollowed": { categoryId: number };
  "category.renamed": { categoryId: number; before: { name: string; description: string }; after: { name: string; description: string } };
  "settings.changed": { before: Record<string, unknown>; after: Record<string, unknown> };

  /** Staff logged what they heard from the member (`member_id`) on another channel. */
  "interaction.logged": { interactionId: number; correctsId: number | null };
  "member.staff_messages_changed": { to: boolean };
  "cohort.saved": { cohortId: number };
  /** A message to a cohort; a job fans it out as notifications (reason "recipient"). */
  "cohort.messaged": { messageId: number; cohortId: number };
}

export type EventType = keyof EventPayloads;

/**
 * Which column says what an event is about; commands must set it. "target": a
 * flagged or moderated item (idea_id, plus comment_id or member_id, by kind).
 */
export type EventSubject = "idea" | "comment" | "member" | "target" | "none";

/**
 * always: a staff action whoever does it (the audit log lists it);
 * for_others: a staff action when the actor acts on someone else's content (a staff edit);
 * never: a member's own doing.
 */
export type AuditRule = "always" | "for_others" | "never";

export interface EventSpec {
  subject: EventSubject;
  audit: AuditRule;
  version: number;
}

export const EVENT_CATALOGUE: { [T in EventType]: EventSpec } = {
  "member.joined": { subject: "member", audit: "never", version: 1 },
  "member.suspended": { subject: "member", audit: "always", version: 1 },
  "member.unsuspended": { subject: "member", audit: "always", version: 1 },
  "member.role_changed": { subject: "member", audit: "always", version: 1 },
  "member.email_verified": { subject: "member", audit: "never", version: 1 },
  "member.profile_edited": { subject: "member", audit: "never", version: 2 },
  "member.avatar_changed": { subject: "member", audit: "never", version: 1 },
  "member.votes_visibility_changed": { subject: "member", audit: "never", version: 1 },
  "member.password_changed": { subject: "member", audit: "never", version: 1 },
  "member.mail_preferences_changed": { subject: "member", audit: "never", version: 1 },
  "badge.awarded": { subject: "member", audit: "never", version: 1 },
  "member.followed": { subject: "member", audit: "never", version: 1 },
  "member.unfollowed": { subject: "member", audit: "never", version: 1 },

  "idea.posted": { subject: "idea", audit: "never", version: 1 },
  "idea.edited": { subject: "idea", audit: "for_others", version: 1 },
  "idea.status_changed": { subject: "idea", audit: "always", version: 1 },
  "idea.responded": { subject: "idea", audit: "always", version: 1 },
  "idea.revisited": { subject: "idea", audit: "never", version: 1 },
  "idea.merged": { subject: "idea", audit: "always", version: 1 },
  "idea.unmerged": { subject: "idea", audit: "always", version: 1 },
  "idea.categorised": { subject: "idea", audit: "always", version: 1 },
  "idea.tagged": { subject: "idea", audit: "always", version: 1 },
  "idea.assigned": { subject: "idea", audit: "always", version: 1 },
  "idea.followed": { subject: "idea", audit: "never", version: 1 },
  "idea.unfollowed": { subject: "idea", audit: "never", version: 1 },
  "staff_note.added": { subject: "idea", audit: "always", version: 1 },
  "idea.locked": { subject: "idea", audit: "always", version: 1 },
  "idea.unlocked": { subject: "idea", audit: "always", version: 1 },
  "duplicate.proposed": { subject: "idea", audit: "never", version: 1 },
  "duplicate.rejected": { subject: "idea", audit: "always", version: 1 },

  // Version 2: `onBehalf` when staff recorded it for the member.
  "vote.cast": { subject: "idea", audit: "never", version: 2 },
  "vote.changed": { subject: "idea", audit: "never", version: 2 },
  "vote.retracted": { subject: "idea", audit: "never", version: 2 },
  "vote.moved": { subject: "idea", audit: "never", version: 1 },
  "vote.move_undone": { subject: "idea", audit: "never", version: 1 },

  "comment.added": { subject: "comment", audit: "never", version: 2 },
  "comment.edited": { subject: "comment", audit: "for_others", version: 1 },
  "comment.deleted": { subject: "comment", audit: "for_others", version: 1 },

  "flag.raised": { subject: "target", audit: "never", version: 1 },
  "flag.withdrawn": { subject: "target", audit: "never", version: 1 },
  "moderation.auto_hidden": { subject: "target", audit: "never", version: 1 },
  "moderation.auto_restored": { subject: "target", audit: "never", version: 1 },
  "moderation.dismissed": { subject: "target", audit: "always", version: 1 },
  "moderation.hidden": { subject: "target", audit: "always", version: 1 },
  "moderation.deleted": { subject: "target", audit: "always", version: 1 },
  "moderation.restored": { subject: "target", audit: "always", version: 1 },
  "moderation.held": { subject: "target", audit: "never", version: 1 },
  "moderation.approved": { subject: "target", audit: "always", version: 1 },

  "tag.created": { subject: "none", audit: "always", version: 1 },
  "category.created": { subject: "none", audit: "always", version: 1 },
  "category.followed": { subject: "none", audit: "never", version: 1 },
  "category.unfollowed": { subject: "none", audit: "never", version: 1 },
  "category.renamed": { subject: "none", audit: "always", version: 1 },
  "settings.changed": { subject: "none", audit: "always", version: 1 },

  "interaction.logged": { subject: "member", audit: "always", version: 1 },
  "member.staff_messages_changed": { subject: "member", audit: "never", version: 1 },
  "cohort.saved": { subject: "none", audit: "always", version: 1 },
  "cohort.messaged": { subject: "none", audit: "always", version: 1 },
};

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

/** The event types the audit log lists (staff actions). */
export const AUDITED_EVENT_TYPES = EVENT_TYPES.filter((t) => EVENT_CATALOGUE[t].audit !== "never");
