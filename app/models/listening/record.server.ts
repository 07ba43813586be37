import { sql } from "kysely";
import type { Channel } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";
import { addComment } from "../discussion/comments.server";
import { emit } from "../events/events.server";
import { loadActor } from "../members/members.server";
import { allowed, assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { decodeCursor, encodeCursor } from "../shared/keyset";
import { castVote, type VoteValue } from "../votes/votes.server";
import { CHANNEL_LABELS, kindOfEvent, memberRecordKinds, RECORD_KINDS, type RecordKind } from "./listening";

/**
 * The member record: what a member did and what was done about them, read
 * from the events log, plus what staff heard from them on other channels
 * (interactions, append-only). See docs/decisions/018-member-record-and-cohorts.md.
 */

export interface InteractionInput {
  memberId: number;
  channel: Channel;
  happenedAt: Date;
  summary: string;
  ideaIds: number[];
  shared: boolean;
  correctsId: number | null;
}

async function insertInteraction(trx: DB, staff: Actor, input: InteractionInput & { summaryHtml: string }) {
  if (input.correctsId !== null) {
    const corrected = await trx.selectFrom("interactions").select("id").where("id", "=", input.correctsId).where("member_id", "=", input.memberId).executeTakeFirst();
    if (!corrected) throw new DomainError(400, "The entry to correct is not on this member's record.", "correctsId");
  }
  if (input.ideaIds.length) {
    const found = await trx.selectFrom("ideas").select("id").where("id", "in", input.ideaIds).execute();
    const missing = input.ideaIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new DomainError(400, `No idea has the number ${missing.join(", ")}.`, "ideas");
  }
  const row = await trx
    .insertInto("interactions")
    .values({
      member_id: input.memberId,
      logged_by: staff.id,
      channel: input.channel,
      happened_at: input.happenedAt,
      summary: input.summary,
      summary_html: input.summaryHtml,
      shared: input.shared,
      corrects_id: input.correctsId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (input.ideaIds.length) {
    await trx.insertInto("interaction_ideas").values(input.ideaIds.map((idea_id) => ({ interaction_id: row.id, idea_id }))).execute();
  }
  await emit(trx, { type: "interaction.logged", actor: staff, memberId: input.memberId, payload: { interactionId: row.id, correctsId: input.correctsId } });
  return row;
}

async function lockMember(trx: DB, memberId: number) {
  const member = await trx.selectFrom("members").select(["id"]).where("id", "=", memberId).where("deleted_at", "is", null).executeTakeFirst();
  if (!member) throw notFound("That member");
  return member;
}

/** Logs what staff heard from a member on another channel. Never edited: a correction is a new entry. */
export async function logInteraction(db: DB, staff: Actor | null, input: InteractionInput): Promise<{ id: number }> {
  const summaryHtml = await renderMarkdown(input.summary);
  return db.transaction().execute(async (trx) => {
    assertCan(staff, "interaction.log", { memberId: input.memberId });
    await lockMember(trx, input.memberId);
    return insertInteraction(trx, staff, { ...input, summaryHtml });
  });
}

const defaultNote = (what: string, channel: Channel) => `${what} (${CHANNEL_LABELS[channel].toLowerCase()}).`;

/**
 * The start of every action staff record for a member: the permission (checked again inside the
 * transaction), the member's row locked, and the interaction the action is logged under (shared
 * with the member), all in the caller's transaction.
 */
async function onBehalfOf(
  trx: DB,
  staff: Actor | null,
  input: { memberId: number; ideaId: number; channel: Channel; happenedAt: Date },
  summary: string,
  summaryHtml: string,
) {
  assertCan(staff, "on_behalf.record", { memberId: input.memberId });
  await lockMember(trx, input.memberId);
  const member = await loadActor(trx, input.memberId);
  const interaction = await insertInteraction(trx, staff, {
    memberId: input.memberId, channel: input.channel, happenedAt: input.happenedAt, summary, summaryHtml,
    ideaIds: [input.ideaId], shared: true, correctsId: null,
  });
  return { member, interaction };
}

/**
 * Records a member's vote that came in on another channel: an interaction
 * (who logged it, from where, when) and the vote itself through `castVote`
 * as the member, so every voting rule is theirs (one vote per idea, closed
 * and hidden ideas, suspension), in one transaction. The vote's event names
 * the staff member too, and the member is told (a notification).
 */
export async function voteOnBehalf(
  db: DB,
  staff: Actor | null,
  input: { memberId: number; ideaId: number; value: VoteValue; channel: Channel; happenedAt: Date; note: string },
) {
  assertCan(staff, "on_behalf.record", { memberId: input.memberId });
  const summary = input.note || defaultNote(input.value === 0 ? `Asked to take back their vote on idea #${input.ideaId}` : `${input.value === 1 ? "Voted for" : "Voted against"} idea #${input.ideaId}`, input.channel);
  const summaryHtml = await renderMarkdown(summary);
  return db.transaction().execute(async (trx) => {
    const { member, interaction } = await onBehalfOf(trx, staff, input, summary, summaryHtml);
    const result = await castVote(trx, member, {
      ideaId: input.ideaId,
      value: input.value,
      onBehalf: { staffId: staff.id, channel: input.channel, interactionId: interaction.id },
    });
    if (!result.changed) throw new DomainError(409, input.value === 0 ? "The member has no vote on that idea." : "The member already has that vote on that idea.", "ideaId");
    return result;
  });
}

/** Posts a comment a member made on another channel, as theirs, marked as logged by staff. */
export async function commentOnBehalf(
  db: DB,
  staff: Actor | null,
  input: { memberId: number; ideaId: number; body: string; channel: Channel; happenedAt: Date },
) {
  assertCan(staff, "on_behalf.record", { memberId: input.memberId });
  const summary = defaultNote(`Commented on idea #${input.ideaId}`, input.channel);
  const [summaryHtml, bodyHtml] = await Promise.all([renderMarkdown(summary), renderMarkdown(input.body)]);
  return db.transaction().execute(async (trx) => {
    const { member, interaction } = await onBehalfOf(trx, staff, input, summary, summaryHtml);
    return addComment(trx, member, {
      ideaId: input.ideaId, body: input.body, bodyHtml, parentId: null,
      onBehalf: { staffId: staff.id, channel: input.channel, interactionId: interaction.id },
    });
  });
}

/** The member a handle names (a 404 when none). */
export async function memberIdByHandle(db: DB, handle: string): Promise<number> {
  const row = await db.selectFrom("members").select("id").where("handle", "=", handle).where("deleted_at", "is", null).executeTakeFirst();
  if (!row) throw notFound("That member");
  return row.id;
}

export const RECORD_PAGE = 30;

export interface RecordEntry {
  id: string;
  kind: RecordKind;
  type: string;
  createdAt: string;
  actor: { name: string; handle: string } | null;
  /** The member's own doing (false: something done about them, by staff or the system). */
  own: boolean;
  idea: { id: number; title: string } | null;
  commentId: number | null;
  data: Record<string, unknown>;
  interaction: {
    id: number;
    channel: Channel;
    happenedAt: string;
    summaryHtml: string;
    shared: boolean;
    correctsId: number | null;
    ideas: { id: number; title: string }[];
  } | null;
  decision: { action: string; after: string; reason: string | null } | null;
}

/**
 * One page of a member's record, newest first, for staff, filtered to the
 * kinds the viewer's role may read. Four branches of the log, each an index
 * scan from the cursor down (what the member did; what names them; outcomes
 * on their ideas; moderation of their comments), merged and cut to one page:
 * never the member's whole history at once. The cursor is the shared keyset
 * cursor (an event id).
 */
export async function getMemberRecord(
  db: DB,
  viewer: Actor | null,
  handle: string,
  options: { kind?: RecordKind | null; cursor?: string | null } = {},
) {
  assertCan(viewer, "member_record.read", null);
  const member = await db
    .selectFrom("members")
    .select(["id", "handle", "display_name", "email", "role", "created_at", "staff_messages", "suspended_until", "moderation"])
    .where("handle", "=", handle)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!member) throw notFound("That member");
  const readable = memberRecordKinds(viewer.role);
  if (options.kind && !readable.includes(options.kind)) throw new DomainError(403, "That part of the record is for product managers and admins.");
  const kinds = options.kind ? [options.kind] : readable;
  const types = kinds.flatMap((k) => RECORD_KINDS[k].types as readonly string[]);
  const cursor = options.cursor ? decodeCursor(options.cursor, null, "bigint") : null;
  const below = cursor ? sql`and id < ${cursor.id}::bigint` : sql``;
  const limit = RECORD_PAGE + 1;
  const m = member.id;
  const outcomeTypes = types.filter((t) => t.startsWith("idea.") && t !== "idea.posted" && t !== "idea.edited" && t !== "idea.followed" && t !== "idea.unfollowed" || t.startsWith("moderation."));
  const moderationTypes = types.filter((t) => t.startsWith("moderation."));
  const branches = [
    sql`(select id from events where actor_id = ${m} and type = any(${types}) ${below} order by id desc limit ${limit})`,
    sql`(select id from events where member_id = ${m} and type = any(${types}) ${below} order by id desc limit ${limit})`,
  ];
  if (outcomeTypes.length) {
    // The partial index events_idea_outcomes_idx holds only these types, so votes on a popular idea are never read.
    branches.push(sql`(select e.id from ideas i cross join lateral (
        select id from events where idea_id = i.id and type = any(${outcomeTypes}) and actor_id is distinct from ${m} ${below}
        and (type in ('idea.status_changed', 'idea.responded', 'idea.revisited', 'idea.merged', 'idea.unmerged') or type like 'moderation.%')
        order by id desc limit ${limit}) e
      where i.author_id = ${m} order by e.id desc limit ${limit})`);
  }
  if (moderationTypes.length) {
    branches.push(sql`(select e.id from comments c cross join lateral (
        select id from events where comment_id = c.id and type = any(${moderationTypes}) ${below} order by id desc limit ${limit}) e
      where c.author_id = ${m} order by e.id desc limit ${limit})`);
  }
  const ids = await sql<{ id: string }>`select r.id::text from (${sql.join(branches, sql` union `)}) r order by r.id desc limit ${limit}`.execute(db);
  const more = ids.rows.length > RECORD_PAGE;
  const pageIds = ids.rows.slice(0, RECORD_PAGE).map((r) => r.id);
  const rows = pageIds.length
    ? await db
        .selectFrom("events")
        .leftJoin("members as actor", "actor.id", "events.actor_id")
        .leftJoin("ideas", "ideas.id", "events.idea_id")
        .leftJoin("interactions", (join) =>
          join.on(sql<boolean>`interactions.id = case when events.type = 'interaction.logged' then (events.data->>'interactionId')::int end`),
        )
        .leftJoin("moderation_decisions as decision", (join) =>
          join.on(sql<boolean>`decision.id = case when events.type like 'moderation.%' then (events.data->>'decisionId')::int end`),
        )
        .select([
          sql<string>`events.id::text`.as("id"),
          "events.type",
          "events.actor_id",
          "events.comment_id",
          "events.data",
          "events.created_at",
          "actor.display_name as actor_name",
          "actor.handle as actor_handle",
          "ideas.id as idea_id",
          "ideas.title as idea_title",
          "ideas.author_id as idea_author_id",
          "ideas.moderation as idea_moderation",
          "interactions.id as interaction_id",
          "interactions.channel",
          "interactions.happened_at",
          "interactions.summary_html",
          "interactions.shared",
          "interactions.corrects_id",
          "decision.action as decision_action",
          "decision.after as decision_after",
          "decision.reason as decision_reason",
        ])
        .where(sql<boolean>`events.id = any(${pageIds}::bigint[])`)
        .orderBy("events.id", "desc")
        .execute()
    : [];
  const interactionIds = rows.map((r) => r.interaction_id).filter((id): id is number => id !== null);
  const linked = interactionIds.length
    ? await db
        .selectFrom("interaction_ideas")
        .innerJoin("ideas", "ideas.id", "interaction_ideas.idea_id")
        .select(["interaction_ideas.interaction_id", "ideas.id", "ideas.title", "ideas.moderation", "ideas.author_id"])
        .where("interaction_ideas.interaction_id", "in", interactionIds)
        .orderBy("ideas.id")
        .execute()
    : [];
  const entries: RecordEntry[] = rows.map((r) => ({
    id: r.id,
    kind: kindOfEvent(r.type)!,
    type: r.type,
    createdAt: new Date(r.created_at).toISOString(),
    actor: r.actor_name && r.actor_handle ? { name: r.actor_name, handle: r.actor_handle } : null,
    own: r.actor_id === m,
    idea:
      r.idea_id !== null && r.idea_title !== null
        ? {
            id: r.idea_id,
            // A title moderation hid stays hidden from staff who may not see hidden posts.
            title: r.idea_moderation === "visible" || allowed(viewer, "idea.view_hidden", { authorId: r.idea_author_id! }) ? r.idea_title : "an idea hidden by moderation",
          }
        : null,
    commentId: r.comment_id,
    data: r.data as Record<string, unknown>,
    interaction:
      r.interaction_id !== null
        ? {
            id: r.interaction_id,
            channel: r.channel!,
            happenedAt: new Date(r.happened_at!).toISOString(),
            summaryHtml: r.summary_html!,
            shared: !!r.shared,
            correctsId: r.corrects_id,
            ideas: linked
              .filter((l) => l.interaction_id === r.interaction_id)
              .map((l) => ({ id: l.id, title: l.moderation === "visible" || allowed(viewer, "idea.view_hidden", { authorId: l.author_id }) ? l.title : "an idea hidden by moderation" })),
          }
        : null,
    decision: r.decision_action ? { action: r.decision_action, after: r.decision_after!, reason: r.decision_reason } : null,
  }));
  const last = pageIds[pageIds.length - 1];
  return {
    member: {
      id: member.id,
      handle: member.handle,
      displayName: member.display_name,
      // The e-mail address is for the product team (to answer on the right channel), not moderators.
      email: readable.includes("interaction") ? member.email : null,
      role: member.role,
      createdAt: new Date(member.created_at).toISOString(),
      staffMessages: member.staff_messages,
    },
    kinds: readable,
    kind: options.kind ?? null,
    entries,
    nextCursor: more && last ? encodeCursor({ key: null, id: Number(last) }) : null,
  };
}

/** Interactions staff chose to share with the member, for the member themselves. */
export async function listSharedInteractions(db: DB, viewer: Actor | null, memberId: number) {
  if (!viewer || viewer.id !== memberId) return [];
  return db
    .selectFrom("interactions")
    .innerJoin("members as staff", "staff.id", "interactions.logged_by")
    .select(["interactions.id", "interactions.channel", "interactions.happened_at", "interactions.summary_html", "staff.display_name as staff_name"])
    .where("interactions.member_id", "=", memberId)
    .where("interactions.shared", "=", true)
    .orderBy("interactions.id", "desc")
    .limit(20)
    .execute();
}

export async function staffMessagesAccepted(db: DB, memberId: number): Promise<boolean> {
  const row = await db.selectFrom("members").select("staff_messages").where("id", "=", memberId).executeTakeFirst();
  return row?.staff_messages ?? true;
}

/** A member accepts or refuses messages staff send to cohorts. */
export async function setStaffMessages(db: DB, actor: Actor | null, accept: boolean) {
  assertCan(actor, "member.preferences", null);
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("members").select("staff_messages").where("id", "=", actor.id).forUpdate().executeTakeFirstOrThrow();
    if (row.staff_messages === accept) return;
    await trx.updateTable("members").set({ staff_messages: accept }).where("id", "=", actor.id).execute();
    await emit(trx, { type: "member.staff_messages_changed", actor, memberId: actor.id, payload: { to: accept } });
  });
}
