import { sql } from "kysely";
import type { FlagTargetKind, NotificationReason } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import type { StoredEvent } from "../events/events.server";
import type { EventPayloads, EventType } from "../events/catalogue";
import type { ReactorTable } from "../reactors.server";
import { kindForReason } from "../mail/kinds";
import { mentionedHandles } from "../discussion/mentions";

/**
 * In-app notifications, made from events inside the change's transaction.
 * One row per member per event (whatever number of reasons they have), keyed
 * (member, event) so a replay adds nothing. The text is written when shown.
 */

/** Everyone who backs or follows the idea, except whoever caused the event. */
async function notifyIdeaAudience(trx: DB, event: StoredEvent, ideaId: number): Promise<void> {
  await sql`
    insert into notifications (member_id, event_id, reason, idea_id, comment_id, actor_id, created_at)
    select audience.member_id, ${event.id}::bigint, 'audience', ${ideaId}, null, ${event.actorId}::int, ${event.createdAt}
    from (
      select member_id from votes where idea_id = ${ideaId}
      union
      select member_id from idea_follows where idea_id = ${ideaId}
    ) audience
    join members on members.id = audience.member_id and members.deleted_at is null
    where audience.member_id is distinct from ${event.actorId}::int
      -- "Off" on the account page: not even the bell.
      and not exists (select 1 from mail_preferences p where p.member_id = audience.member_id and p.kind = 'idea_update' and p.choice = 'off')
    on conflict (member_id, event_id) do nothing`.execute(trx);
}

/**
 * A new idea tells the members who follow its author, then those who follow its category
 * (one notification each, whatever their reasons; never its author), in one statement per
 * audience whatever their number, naming the author. An idea that is not visible (held for a
 * moderator's approval) tells nobody: its approval does. "Off" for new ideas on the account
 * page means not even the bell.
 */
async function tellFollowersOfNewIdea(trx: DB, e: StoredEvent, ideaId: number): Promise<void> {
  const off = sql`not exists (select 1 from mail_preferences p where p.member_id = m.id and p.kind = 'category_idea' and p.choice = 'off')`;
  await sql`
    insert into notifications (member_id, event_id, reason, idea_id, comment_id, actor_id, created_at)
    select f.follower_id, ${e.id}::bigint, 'member_followed', i.id, null, i.author_id, ${e.createdAt}
    from ideas i
    join member_follows f on f.member_id = i.author_id
    join members m on m.id = f.follower_id and m.deleted_at is null
    where i.id = ${ideaId} and i.moderation = 'visible' and ${off}
    on conflict (member_id, event_id) do nothing`.execute(trx);
  await sql`
    insert into notifications (member_id, event_id, reason, idea_id, comment_id, actor_id, created_at)
    select f.member_id, ${e.id}::bigint, 'category_followed', i.id, null, i.author_id, ${e.createdAt}
    from ideas i
    join category_follows f on f.category_id = i.category_id
    join members m on m.id = f.member_id and m.deleted_at is null
    where i.id = ${ideaId} and i.moderation = 'visible' and f.member_id <> i.author_id and ${off}
    on conflict (member_id, event_id) do nothing`.execute(trx);
}

const onIdeaPosted = async (trx: DB, events: StoredEvent[]) => {
  for (const e of events) if (e.ideaId) await tellFollowersOfNewIdea(trx, e, e.ideaId);
};

/** One member, for one reason (never the actor themselves). */
async function notifyOne(
  trx: DB,
  event: StoredEvent,
  memberId: number,
  reason: NotificationReason,
  about: { ideaId: number | null; commentId?: number | null },
): Promise<void> {
  if (memberId === event.actorId) return;
  const off = await trx
    .selectFrom("mail_preferences")
    .select("choice")
    .where("member_id", "=", memberId)
    .where("kind", "=", kindForReason(reason))
    .where("choice", "=", "off")
    .executeTakeFirst();
  if (off) return;
  await trx
    .insertInto("notifications")
    .values({
      member_id: memberId,
      event_id: event.id,
      reason,
      idea_id: about.ideaId,
      comment_id: about.commentId ?? null,
      actor_id: event.actorId,
      created_at: event.createdAt,
    })
    .onConflict((oc) => oc.columns(["member_id", "event_id"]).doNothing())
    .execute();
}

const toIdeaAudience = async (trx: DB, events: StoredEvent[]) => {
  for (const e of events) if (e.ideaId) await notifyIdeaAudience(trx, e, e.ideaId);
};

/** A reply tells the author of the comment replied to; any comment tells the idea's author. */
const onCommentAdded = async (trx: DB, events: StoredEvent[]) => {
  for (const e of events as StoredEvent<"comment.added">[]) await tellAboutComment(trx, e, e.commentId!);
};

/** A first post approved by a moderator is told about as if it had just been posted. */
const onApproved = async (trx: DB, events: StoredEvent[]) => {
  for (const e of events as StoredEvent<"moderation.approved">[]) {
    if (e.payload.kind === "comment") await tellAboutComment(trx, e, e.payload.targetId);
    if (e.payload.kind === "idea") await tellFollowersOfNewIdea(trx, e, e.payload.targetId);
  }
};

async function tellAboutComment(trx: DB, e: StoredEvent, commentId: number) {
  {
    const row = await trx
      .selectFrom("comments")
      .innerJoin("ideas", "ideas.id", "comments.idea_id")
      .leftJoin("comments as parent", "parent.id", "comments.parent_id")
      .select(["ideas.author_id as idea_author", "parent.author_id as parent_author", "comments.moderation", "comments.body"])
      .where("comments.id", "=", commentId)
      .executeTakeFirst();
    // A comment waiting for approval tells no one yet (its approval does).
    if (!row || row.moderation !== "visible") return;
    // The parent's author first: "replied to your comment" says more than "commented on your idea".
    if (row.parent_author) await notifyOne(trx, e, row.parent_author, "comment_author", { ideaId: e.ideaId, commentId });
    await notifyOne(trx, e, row.idea_author, "idea_author", { ideaId: e.ideaId, commentId });
    // Then everyone mentioned (outside quotes and code); a member told above is not told twice.
    const handles = mentionedHandles(row.body);
    if (handles.length) {
      const mentioned = await trx.selectFrom("members").select("id").where("handle", "in", handles).where("deleted_at", "is", null).execute();
      for (const m of mentioned) await notifyOne(trx, e, m.id, "mentioned", { ideaId: e.ideaId, commentId });
    }
  }
}

type ModerationEvent = StoredEvent<Extract<EventType, `moderation.${string}`>>;

/** A moderation decision that changed what others see tells the content's author. */
const onModerationDecision = async (trx: DB, events: StoredEvent[]) => {
  for (const e of events as ModerationEvent[]) {
    const payload = e.payload as EventPayloads["moderation.hidden"];
    const decision = await trx
      .selectFrom("moderation_decisions")
      .select(["before", "after"])
      .where("id", "=", payload.decisionId)
      .executeTakeFirstOrThrow();
    if (decision.before === decision.after) continue;
    const authorId = await authorOf(trx, payload.kind, payload.targetId);
    if (authorId) await notifyOne(trx, e, authorId, "content_author", { ideaId: e.ideaId, commentId: e.commentId });
  }
};

async function authorOf(trx: DB, kind: FlagTargetKind, id: number): Promise<number | null> {
  if (kind === "member") return id;
  const row =
    kind === "idea"
      ? await trx.selectFrom("ideas").select("author_id").where("id", "=", id).executeTakeFirst()
      : await trx.selectFrom("comments").select("author_id").where("id", "=", id).executeTakeFirst();
  return row?.author_id ?? null;
}

/** A badge tells the member who earned it. */
const onBadgeAwarded = async (trx: DB, events: StoredEvent[]) => {
  for (const e of events) if (e.memberId) await notifyOne(trx, e, e.memberId, "badge_holder", { ideaId: null });
};

export const notificationReactors: ReactorTable = {
  "idea.posted": [onIdeaPosted],
  "badge.awarded": [onBadgeAwarded],
  "idea.status_changed": [toIdeaAudience],
  "idea.responded": [toIdeaAudience],
  "idea.revisited": [toIdeaAudience],
  "idea.merged": [toIdeaAudience],
  "idea.unmerged": [toIdeaAudience],
  "comment.added": [onCommentAdded],
  "moderation.auto_hidden": [onModerationDecision],
  "moderation.auto_restored": [onModerationDecision],
  "moderation.dismissed": [onModerationDecision],
  "moderation.hidden": [onModerationDecision],
  "moderation.deleted": [onModerationDecision],
  "moderation.restored": [onModerationDecision],
  "moderation.approved": [onModerationDecision, onApproved],
};
