import type { IdeaStatus, Role } from "../../../db/schema";
import type { EventType } from "../events/catalogue";
import { STATUS_LABELS } from "../ideas/idea";
import { ROLE_LABELS } from "../members/roles";
import { formatDate, plural } from "../shared/format";

/** The audit log's filters: groups of staff actions, by exact event type. */
export const AUDIT_GROUPS = {
  moderation: { label: "Moderation", types: ["moderation.dismissed", "moderation.hidden", "moderation.deleted", "moderation.restored", "moderation.approved", "idea.locked", "idea.unlocked"] },
  members: { label: "Suspensions and roles", types: ["member.suspended", "member.unsuspended", "member.role_changed"] },
  pipeline: { label: "Status changes, official responses and merges", types: ["idea.status_changed", "idea.responded", "idea.merged", "idea.unmerged"] },
  triage: { label: "Tags, categories and owners of ideas", types: ["idea.tagged", "idea.categorised", "idea.assigned"] },
  edits: { label: "Staff edits of members' posts", types: ["idea.edited", "comment.edited", "comment.deleted"] },
  staff_notes: { label: "Staff notes", types: ["staff_note.added"] },
  catalog: { label: "Tags and categories created or renamed", types: ["tag.created", "category.created", "category.renamed"] },
  settings: { label: "Site settings", types: ["settings.changed"] },
  listening: { label: "Interactions logged, cohorts saved and messaged", types: ["interaction.logged", "cohort.saved", "cohort.messaged"] },
} as const satisfies Record<string, { label: string; types: readonly EventType[] }>;
export type AuditGroup = keyof typeof AUDIT_GROUPS;

/** A piece of an audit sentence: plain text, a link, or a quoted name. */
export type Segment = { text: string; href?: string; quote?: boolean };

/** One audit entry with what its sentence needs (resolved by listAuditLog in a fixed number of queries). */
export interface AuditEntry {
  id: string;
  type: EventType;
  createdAt: string;
  actor: { name: string; handle: string; role: Role | null } | null;
  idea: { id: number; title: string } | null;
  commentId: number | null;
  subject: { name: string; handle: string } | null;
  payload: Record<string, unknown>;
  /** Names and details the payload refers to. */
  details: {
    decision?: { before: string; after: string; reason: string | null; flagsResolved: number } | null;
    suspension?: { until: string; reason: string } | null;
    tags?: Record<number, string>;
    categories?: Record<number, string>;
    members?: Record<number, string>;
    target?: { id: number; title: string } | null;
  };
}

const ideaLink = (idea: { id: number; title: string } | null, commentId?: number | null): Segment[] =>
  idea
    ? commentId
      ? [{ text: "a comment" , href: `/ideas/${idea.id}#comment-${commentId}` }, { text: " on " }, { text: idea.title, href: `/ideas/${idea.id}`, quote: true }]
      : [{ text: idea.title, href: `/ideas/${idea.id}`, quote: true }]
    : [{ text: "an idea that no longer exists" }];

const memberLink = (m: { name: string; handle: string } | null): Segment[] => (m ? [{ text: m.name, href: `/members/${m.handle}` }] : [{ text: "a member" }]);

const list = (names: string[]) => names.map((n, i) => [{ text: n, quote: true }, ...(i < names.length - 1 ? [{ text: i === names.length - 2 ? " and " : ", " }] : [])]).flat();

/** The sentence an audit entry reads as, after the actor's name: "tagged “Oat milk” as pricing". */
export function auditSentence(e: AuditEntry): Segment[] {
  const p = e.payload;
  const d = e.details;
  const status = (s: unknown) => ({ text: STATUS_LABELS[s as IdeaStatus] ?? String(s), quote: true });
  switch (e.type) {
    case "moderation.dismissed":
    case "moderation.hidden":
    case "moderation.deleted":
    case "moderation.restored": {
      const verb = { "moderation.dismissed": "kept", "moderation.hidden": "hid", "moderation.deleted": "removed", "moderation.restored": "restored" }[e.type];
      const what = p.kind === "member" ? [{ text: "the profile of " }, ...memberLink(e.subject)] : p.kind === "comment" ? ideaLink(e.idea, e.commentId) : ideaLink(e.idea);
      const flags = d.decision?.flagsResolved ? [{ text: ` (${d.decision.flagsResolved} flag${d.decision.flagsResolved === 1 ? "" : "s"} ${e.type === "moderation.hidden" || e.type === "moderation.deleted" ? "upheld" : "dismissed"})` }] : [];
      const reason = d.decision?.reason ? [{ text: ": " }, { text: d.decision.reason, quote: true }] : [];
      return [{ text: `${verb} ` }, ...what, ...flags, ...reason];
    }
    case "moderation.approved":
      return [{ text: "approved " }, ...(p.kind === "comment" ? ideaLink(e.idea, e.commentId) : ideaLink(e.idea)), { text: ", a new member's first post" }];
    case "idea.locked":
      return [{ text: "locked the discussion on " }, ...ideaLink(e.idea)];
    case "idea.unlocked":
      return [{ text: "unlocked the discussion on " }, ...ideaLink(e.idea)];
    case "member.suspended": {
      const until = d.suspension ? (new Date(d.suspension.until).getUTCFullYear() >= 9999 ? " until further notice" : ` until ${formatDate(d.suspension.until)}`) : "";
      return [{ text: "suspended " }, ...memberLink(e.subject), { text: until }, ...(d.suspension?.reason ? [{ text: ": " }, { text: d.suspension.reason, quote: true }] : [])];
    }
    case "member.unsuspended":
      return [{ text: "lifted the suspension of " }, ...memberLink(e.subject)];
    case "member.role_changed":
      return [{ text: "made " }, ...memberLink(e.subject), { text: ` ${ROLE_LABELS[p.to as Role] ?? p.to} (was ${ROLE_LABELS[p.from as Role] ?? p.from})` }];
    case "idea.status_changed":
      return [{ text: "moved " }, ...ideaLink(e.idea), { text: " from " }, status(p.from), { text: " to " }, status(p.to), { text: " with an official response" }];
    case "idea.responded":
      return [{ text: "posted an official response on " }, ...ideaLink(e.idea)];
    case "idea.merged": {
      const votes = Number(p.movedVotes ?? 0);
      const follows = Number(p.movedFollows ?? 0);
      const moved = votes || follows
        ? ` (${[votes ? plural(votes, "vote") : null, follows ? plural(follows, "follower") : null].filter(Boolean).join(" and ")} moved)`
        : " (no votes or followers to move)";
      return [{ text: "merged " }, ...ideaLink(e.idea), { text: " into " }, ...ideaLink(d.target ?? null), { text: moved }];
    }
    case "idea.unmerged":
      return [{ text: "undid the merge of " }, ...ideaLink(e.idea), { text: " into " }, ...ideaLink(d.target ?? null)];
    case "idea.tagged": {
      const added = ((p.added as number[]) ?? []).map((id) => d.tags?.[id] ?? `#${id}`);
      const removed = ((p.removed as number[]) ?? []).map((id) => d.tags?.[id] ?? `#${id}`);
      return [
        { text: "tagged " }, ...ideaLink(e.idea),
        ...(added.length ? [{ text: " as " }, ...list(added)] : []),
        ...(removed.length ? [{ text: added.length ? " and removed " : " removing " }, ...list(removed)] : []),
      ];
    }
    case "idea.categorised":
      return [{ text: "moved " }, ...ideaLink(e.idea), { text: " to the category " }, { text: d.categories?.[p.to as number] ?? "?", quote: true },
        ...(p.from ? [{ text: " (was " }, { text: d.categories?.[p.from as number] ?? "?", quote: true }, { text: ")" }] : [])];
    case "idea.assigned":
      return p.to
        ? [{ text: "assigned " }, ...ideaLink(e.idea), { text: ` to ${d.members?.[p.to as number] ?? "a product manager"}` }]
        : [{ text: "removed the owner of " }, ...ideaLink(e.idea)];
    case "idea.edited":
      return [{ text: "edited " }, ...ideaLink(e.idea), { text: " by " }, ...memberLink(e.subject), { text: " (the earlier version is in its history)" }];
    case "comment.edited":
      return [{ text: "edited " }, ...ideaLink(e.idea, e.commentId), { text: " by " }, ...memberLink(e.subject)];
    case "comment.deleted":
      return [{ text: "deleted " }, ...ideaLink(e.idea, e.commentId), { text: " by " }, ...memberLink(e.subject)];
    case "staff_note.added":
      return [{ text: "added a private note on " }, ...ideaLink(e.idea)];
    case "tag.created":
      return [{ text: "created the tag " }, { text: d.tags?.[p.tagId as number] ?? "?", quote: true }];
    case "category.created":
      return [{ text: "created the category " }, { text: d.categories?.[p.categoryId as number] ?? "?", quote: true }];
    case "category.renamed": {
      const before = p.before as { name: string };
      const after = p.after as { name: string };
      return before.name === after.name
        ? [{ text: "changed the description of the category " }, { text: after.name, quote: true }]
        : [{ text: "renamed the category " }, { text: before.name, quote: true }, { text: " to " }, { text: after.name, quote: true }];
    }
    case "settings.changed": {
      const keys = Object.keys((p.after as Record<string, unknown>) ?? {});
      return [{ text: "changed the site settings: " }, ...keys.flatMap((k, i) => [
        { text: `${k.replaceAll("_", " ")} ` }, { text: String((p.before as Record<string, unknown>)[k]) , quote: true }, { text: " → " },
        { text: String((p.after as Record<string, unknown>)[k]), quote: true }, ...(i < keys.length - 1 ? [{ text: "; " }] : []),
      ])];
    }
    case "interaction.logged":
      return [{ text: p.correctsId ? "corrected an interaction logged with " : "logged an interaction with " }, ...memberLink(e.subject)];
    case "cohort.saved":
      return [{ text: "saved a cohort", href: `/cohorts/${p.cohortId as number}` }];
    case "cohort.messaged":
      return [{ text: "sent a message to a cohort", href: `/cohorts/${p.cohortId as number}` }];
    default:
      return [{ text: e.type.replace(".", " ").replaceAll("_", " ") }];
  }
}
