import type { DB } from "../../lib/db.server";
import type { EventType } from "../events/catalogue";
import { assertCan, type Actor } from "../policy";
import { keysetPage } from "../shared/keyset.server";
import { AUDIT_GROUPS, type AuditEntry, type AuditGroup } from "./audit";

export const AUDIT_PAGE = 50;

const ids = (values: unknown[]) => [...new Set(values.filter((v): v is number => typeof v === "number" && Number.isInteger(v) && v > 0))];

/**
 * The audit log: every staff action from the events log, newest first,
 * filterable by staff member and group, keyset-paginated, with what each
 * entry refers to (decisions, suspensions, tag and category names) resolved
 * in a fixed number of queries per page.
 */
export async function listAuditLog(
  db: DB,
  actor: Actor | null,
  filter: { actor?: string; group?: AuditGroup; cursor?: string | null },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  assertCan(actor, "audit.read", null);
  let q = db
    .selectFrom("events")
    .leftJoin("members as actor", "actor.id", "events.actor_id")
    .leftJoin("members as subject", "subject.id", "events.member_id")
    .leftJoin("ideas", "ideas.id", "events.idea_id")
    .leftJoin("comments", "comments.id", "events.comment_id")
    .leftJoin("members as comment_author", "comment_author.id", "comments.author_id")
    .leftJoin("members as idea_author", "idea_author.id", "ideas.author_id")
    .select([
      "events.id",
      "events.type",
      "events.actor_role",
      "events.data",
      "events.created_at",
      "events.idea_id",
      "events.comment_id",
      "actor.display_name as actor_name",
      "actor.handle as actor_handle",
      "subject.display_name as subject_name",
      "subject.handle as subject_handle",
      "ideas.title as idea_title",
      "comment_author.display_name as comment_author_name",
      "comment_author.handle as comment_author_handle",
      "idea_author.display_name as idea_author_name",
      "idea_author.handle as idea_author_handle",
    ])
    .where("events.actor_role", "is not", null)
    .where("events.actor_role", "<>", "member");
  if (filter.actor) q = q.where("actor.handle", "=", filter.actor);
  if (filter.group) q = q.where("events.type", "in", [...AUDIT_GROUPS[filter.group].types]);
  const page = await keysetPage(q, { key: null, id: "events.id", idType: "bigint", direction: "desc", cursor: filter.cursor, limit: AUDIT_PAGE });

  const data = page.items.map((e) => e.data as Record<string, unknown>);
  const decisionIds = ids(data.map((d) => d.decisionId));
  const suspensionIds = ids(data.map((d) => d.suspensionId));
  const tagIds = ids(data.flatMap((d) => [d.tagId, ...((d.added as unknown[]) ?? []), ...((d.removed as unknown[]) ?? [])]));
  const categoryIds = ids(page.items.flatMap((e) => (e.type.startsWith("category.") || e.type === "idea.categorised" ? [(e.data as Record<string, unknown>).categoryId, (e.data as Record<string, unknown>).from, (e.data as Record<string, unknown>).to] : [])));
  const memberIds = ids(page.items.filter((e) => e.type === "idea.assigned").flatMap((e) => [(e.data as Record<string, unknown>).from, (e.data as Record<string, unknown>).to]));
  const targetIds = ids(page.items.filter((e) => e.type === "idea.merged" || e.type === "idea.unmerged").map((e) => (e.data as Record<string, unknown>).targetId));
  const none = [-1];
  const [decisions, suspensions, tags, categories, members, targets] = await Promise.all([
    db.selectFrom("moderation_decisions").select(["id", "before", "after", "reason", "flags_resolved"]).where("id", "in", decisionIds.length ? decisionIds : none).execute(),
    db.selectFrom("suspensions").select(["id", "until", "reason"]).where("id", "in", suspensionIds.length ? suspensionIds : none).execute(),
    db.selectFrom("tags").select(["id", "name"]).where("id", "in", tagIds.length ? tagIds : none).execute(),
    db.selectFrom("categories").select(["id", "name"]).where("id", "in", categoryIds.length ? categoryIds : none).execute(),
    db.selectFrom("members").select(["id", "display_name"]).where("id", "in", memberIds.length ? memberIds : none).execute(),
    db.selectFrom("ideas").select(["id", "title"]).where("id", "in", targetIds.length ? targetIds : none).execute(),
  ]);
  const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
  const decisionMap = byId(decisions);
  const suspensionMap = byId(suspensions);
  const targetMap = byId(targets);
  const tagNames = Object.fromEntries(tags.map((t) => [t.id, t.name]));
  const categoryNames = Object.fromEntries(categories.map((c) => [c.id, c.name]));
  const memberNames = Object.fromEntries(members.map((m) => [m.id, m.display_name]));

  const items = page.items.map((e): AuditEntry => {
    const payload = e.data as Record<string, unknown>;
    const decision = decisionMap.get(payload.decisionId as number);
    const suspension = suspensionMap.get(payload.suspensionId as number);
    const target = targetMap.get(payload.targetId as number);
    // Whose content a staff edit touched: the comment's or the idea's author.
    const owner =
      e.type === "comment.edited" || e.type === "comment.deleted"
        ? e.comment_author_handle ? { name: e.comment_author_name!, handle: e.comment_author_handle } : null
        : e.type === "idea.edited"
          ? e.idea_author_handle ? { name: e.idea_author_name!, handle: e.idea_author_handle } : null
          : e.subject_handle ? { name: e.subject_name!, handle: e.subject_handle } : null;
    return {
      id: String(e.id),
      type: e.type as EventType,
      createdAt: new Date(e.created_at).toISOString(),
      actor: e.actor_handle ? { name: e.actor_name!, handle: e.actor_handle, role: e.actor_role } : null,
      idea: e.idea_id && e.idea_title !== null ? { id: e.idea_id, title: e.idea_title } : null,
      commentId: e.comment_id,
      subject: owner,
      payload,
      details: {
        decision: decision ? { before: decision.before, after: decision.after, reason: decision.reason, flagsResolved: decision.flags_resolved } : null,
        suspension: suspension ? { until: new Date(suspension.until).toISOString(), reason: suspension.reason } : null,
        tags: tagNames,
        categories: categoryNames,
        members: memberNames,
        target: target ? { id: target.id, title: target.title } : null,
      },
    };
  });
  return { items, nextCursor: page.nextCursor };
}
