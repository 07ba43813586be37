import type { Channel, Role } from "../../../db/schema";
import type { EventType } from "../events/catalogue";
import { isProductTeam } from "../members/roles";

/** Channels staff hear members on, as the forms and the record name them. */
export const CHANNEL_LABELS: Record<Channel, string> = {
  phone: "Phone call",
  email: "E-mail",
  store: "Store visit",
  event: "Event",
  support: "Support ticket",
};

/** "from a phone call", for sentences about something logged on a member's behalf. */
export const CHANNEL_PHRASES: Record<Channel, string> = {
  phone: "from a phone call",
  email: "from an e-mail",
  store: "from a store visit",
  event: "from an event",
  support: "from a support ticket",
};

/** The member record's filters, each a set of event types from the log. */
export const RECORD_KINDS = {
  interaction: { label: "Interactions logged by staff", types: ["interaction.logged"] },
  idea: { label: "Ideas", types: ["idea.posted", "idea.edited"] },
  vote: { label: "Votes", types: ["vote.cast", "vote.changed", "vote.retracted", "vote.moved", "vote.move_undone"] },
  comment: { label: "Comments", types: ["comment.added", "comment.edited", "comment.deleted"] },
  status: { label: "Status changes of their ideas", types: ["idea.status_changed", "idea.responded", "idea.revisited", "idea.merged", "idea.unmerged"] },
  flag: { label: "Flags", types: ["flag.raised", "flag.withdrawn"] },
  moderation: {
    label: "Moderation decisions",
    types: [
      "moderation.auto_hidden", "moderation.auto_restored", "moderation.dismissed", "moderation.hidden", "moderation.deleted",
      "moderation.restored", "member.suspended", "member.unsuspended",
    ],
  },
  following: { label: "Follows", types: ["idea.followed", "idea.unfollowed"] },
} as const satisfies Record<string, { label: string; types: readonly EventType[] }>;
export type RecordKind = keyof typeof RECORD_KINDS;
export const RECORD_KIND_NAMES = Object.keys(RECORD_KINDS) as RecordKind[];

/**
 * What of a member's record a staff role may read. The product team reads all of it;
 * moderators what moderation needs (their public posts, flags, moderation history),
 * never interactions, votes or follows.
 */
export function memberRecordKinds(role: Role): RecordKind[] {
  if (isProductTeam(role)) return RECORD_KIND_NAMES;
  if (role === "moderator") return ["idea", "comment", "flag", "moderation"];
  return [];
}

export const kindOfEvent = (type: string): RecordKind | null =>
  RECORD_KIND_NAMES.find((k) => (RECORD_KINDS[k].types as readonly string[]).includes(type)) ?? null;

/** One condition of a cohort; a cohort is every member meeting all of them. */
export type CohortCriterion =
  | { kind: "voted_tag"; tagId: number; min: number }
  | { kind: "commented_category"; categoryId: number; days: number }
  | { kind: "supporters"; ideaId: number }
  | { kind: "adopted_authors" };

export interface CohortNames {
  tags: Record<number, string>;
  categories: Record<number, string>;
  ideas: Record<number, string>;
}

/** A criterion as a sentence: "voted for at least 2 ideas tagged “mobile”". */
export function describeCriterion(c: CohortCriterion, names: CohortNames): string {
  switch (c.kind) {
    case "voted_tag":
      return `voted for at least ${c.min} idea${c.min === 1 ? "" : "s"} tagged “${names.tags[c.tagId] ?? `#${c.tagId}`}”`;
    case "commented_category":
      return `commented on ideas in “${names.categories[c.categoryId] ?? `#${c.categoryId}`}” in the last ${c.days} day${c.days === 1 ? "" : "s"}`;
    case "supporters":
      return `voted for “${names.ideas[c.ideaId] ?? `idea #${c.ideaId}`}”`;
    case "adopted_authors":
      return "have an idea that was adopted";
  }
}

/**
 * One CSV cell, quoted when needed (RFC 4180), and defused against formula
 * injection: a spreadsheet runs a cell starting with = + - @ (or a tab or
 * carriage return, which some strip first) as a formula, so those get a
 * leading apostrophe.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(",")}\r\n`;
