import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import type { EventPayloads } from "../events/catalogue";
import { emitMany, type StoredEvent } from "../events/events.server";
import type { ReactorTable } from "../reactors.server";
import { keysetPage } from "../shared/keyset.server";
import { BADGES, CONVERSATION_COMMENTS, EARLY_SUPPORTER_VOTES, HELPFUL_FLAGS, SUPPORTERS_ON_ONE_IDEA, badgeBySlug, type BadgeSlug } from "./badges";

/**
 * Badges, awarded by reactors in the transaction of the event that earned
 * them, once per member (primary key), never taken back. Each award is a
 * `badge.awarded` event, which notifies the member through the usual path.
 */

interface Award { memberId: number; badge: BadgeSlug; event: StoredEvent }

async function award(trx: DB, awards: Award[]): Promise<void> {
  const unique = new Map<string, Award>();
  for (const a of awards) unique.set(`${a.memberId}|${a.badge}`, a);
  if (!unique.size) return;
  const rows = await trx
    .insertInto("member_badges")
    .values([...unique.values()].map((a) => ({ member_id: a.memberId, badge: a.badge, event_id: a.event.id, awarded_at: a.event.createdAt })))
    .onConflict((oc) => oc.columns(["member_id", "badge"]).doNothing())
    .returning(["member_id", "badge", "awarded_at"])
    .execute();
  if (!rows.length) return;
  const perBadge = new Map<string, number>();
  for (const r of rows) perBadge.set(r.badge, (perBadge.get(r.badge) ?? 0) + 1);
  await trx
    .insertInto("badge_counts")
    .values([...perBadge].map(([badge, holders]) => ({ badge, holders })))
    .onConflict((oc) => oc.column("badge").doUpdateSet({ holders: sql`badge_counts.holders + excluded.holders` }))
    .execute();
  await emitMany(trx, rows.map((r) => ({ type: "badge.awarded" as const, actor: null, memberId: r.member_id, payload: { badge: r.badge }, at: new Date(r.awarded_at) })));
}

/** Whoever acted a year or more after joining takes part as a one-year member. */
async function oneYear(trx: DB, events: StoredEvent[]): Promise<Award[]> {
  // When they joined: known for a signed-in member (`StoredEvent.actorJoinedAt`), else read.
  const joined = new Map<number, Date>();
  for (const e of events) if (e.actorId !== null && e.actorJoinedAt) joined.set(e.actorId, e.actorJoinedAt);
  const unknown = [...new Set(events.map((e) => e.actorId).filter((id): id is number => id !== null && !joined.has(id)))];
  if (unknown.length) {
    for (const r of await trx.selectFrom("members").select(["id", "created_at"]).where("id", "in", unknown).execute()) joined.set(r.id, new Date(r.created_at));
  }
  const out: Award[] = [];
  for (const e of events) {
    const at = e.actorId !== null ? joined.get(e.actorId) : undefined;
    if (at && e.createdAt.getTime() - at.getTime() >= 365 * 86_400_000) out.push({ memberId: e.actorId!, badge: "one-year", event: e });
  }
  return out;
}

const onIdeaPosted = async (trx: DB, events: StoredEvent[]) => {
  const ideas = await trx.selectFrom("ideas").select(["id", "author_id"]).where("id", "in", events.map((e) => e.ideaId!)).execute();
  const awards: Award[] = events.flatMap((e) => {
    const idea = ideas.find((i) => i.id === e.ideaId);
    return idea ? [{ memberId: idea.author_id, badge: "first-idea" as const, event: e }] : [];
  });
  await award(trx, [...awards, ...(await oneYear(trx, events))]);
};

const onAdopted = async (trx: DB, events: StoredEvent[]) => {
  const awards: Award[] = [];
  for (const e of events) {
    if ((e.payload as EventPayloads["idea.status_changed"]).to !== "adopted") continue;
    const idea = await trx.selectFrom("ideas").select("author_id").where("id", "=", e.ideaId!).executeTakeFirst();
    if (idea) awards.push({ memberId: idea.author_id, badge: "first-adopted", event: e });
    const early = await sql<{ member_id: number }>`
      select member_id from (
        select case when type = 'vote.moved' then member_id else actor_id end as member_id, min(id) as first
        from events
        where idea_id = ${e.ideaId} and id < ${e.id}::bigint
          and ((type in ('vote.cast', 'vote.changed') and data->>'to' = '1') or (type = 'vote.moved' and data->>'value' = '1'))
        group by 1
      ) s
      where member_id is not null
      order by first
      limit ${EARLY_SUPPORTER_VOTES}`.execute(trx);
    // Backing one's own idea is not being an early supporter of it.
    for (const r of early.rows) if (r.member_id !== idea?.author_id) awards.push({ memberId: r.member_id, badge: "early-supporter", event: e });
  }
  await award(trx, awards);
};

const onComment = async (trx: DB, events: StoredEvent[]) => {
  const ideas = await trx
    .selectFrom("ideas")
    .select(["id", "author_id"])
    .where("id", "in", events.map((e) => e.ideaId!))
    .where("comment_count", ">=", CONVERSATION_COMMENTS)
    .execute();
  const awards: Award[] = events.flatMap((e) => {
    const idea = ideas.find((i) => i.id === e.ideaId);
    return idea ? [{ memberId: idea.author_id, badge: "conversation-starter" as const, event: e }] : [];
  });
  await award(trx, [...awards, ...(await oneYear(trx, events))]);
};

const onVote = async (trx: DB, events: StoredEvent[]) => {
  // The ideas with enough supporters: as the emitter left them (`StoredEvent.idea`), the rest read.
  const ideas: { id: number; author_id: number }[] = [];
  for (const e of events) {
    if (e.idea && e.ideaId !== null && e.idea.upCount >= SUPPORTERS_ON_ONE_IDEA) ideas.push({ id: e.ideaId, author_id: e.idea.authorId });
  }
  const unknown = [...new Set(events.filter((e) => !e.idea && e.ideaId !== null).map((e) => e.ideaId!))];
  if (unknown.length) {
    ideas.push(...(await trx
      .selectFrom("ideas")
      .select(["id", "author_id"])
      .where("id", "in", unknown)
      .where("up_count", ">=", SUPPORTERS_ON_ONE_IDEA)
      .execute()));
  }
  const awards: Award[] = events.flatMap((e) => {
    const idea = ideas.find((i) => i.id === e.ideaId);
    return idea ? [{ memberId: idea.author_id, badge: "hundred-supporters" as const, event: e }] : [];
  });
  await award(trx, [...awards, ...(await oneYear(trx, events.filter((e) => e.type === "vote.cast")))]);
};

const onUpheld = async (trx: DB, events: StoredEvent[]) => {
  const awards: Award[] = [];
  for (const e of events) {
    const payload = e.payload as EventPayloads["moderation.hidden"];
    const rows = await sql<{ flagger_id: number }>`
      select f.flagger_id
      from flags f
      where f.target_kind = ${payload.kind} and f.target_id = ${payload.targetId} and f.status = 'upheld'
        and (select count(*) from flags o where o.flagger_id = f.flagger_id and o.status = 'upheld') >= ${HELPFUL_FLAGS}`.execute(trx);
    for (const r of rows.rows) awards.push({ memberId: r.flagger_id, badge: "helpful-flagger", event: e });
  }
  await award(trx, awards);
};

export const badgeReactors: ReactorTable = {
  "idea.posted": [onIdeaPosted],
  "idea.status_changed": [onAdopted],
  "comment.added": [onComment],
  "vote.cast": [onVote],
  "vote.changed": [onVote],
  "vote.moved": [onVote],
  "moderation.hidden": [onUpheld],
  "moderation.deleted": [onUpheld],
};

/** The catalogue with how many members hold each badge (a stored counter). */
export async function listBadges(db: DB) {
  const counts = await db.selectFrom("badge_counts").select(["badge", "holders"]).execute();
  return BADGES.map((b) => ({ ...b, holders: counts.find((c) => c.badge === b.slug)?.holders ?? 0 }));
}

export const HOLDERS_PAGE = 50;

/** A badge and its holders, most recent first, keyset-paginated. */
export async function getBadgeHolders(db: DB, slug: string, cursor?: string | null) {
  const badge = badgeBySlug(slug);
  if (!badge) return null;
  const q = db
    .selectFrom("member_badges")
    .innerJoin("members", "members.id", "member_badges.member_id")
    .select(["members.id", "members.handle", "members.display_name", "member_badges.awarded_at"])
    .where("member_badges.badge", "=", slug)
    .where("members.deleted_at", "is", null);
  const [page, count] = await Promise.all([
    keysetPage(q, { key: { expr: sql`member_badges.awarded_at`, type: "timestamptz" }, id: "member_badges.member_id", direction: "desc", cursor, limit: HOLDERS_PAGE }),
    db.selectFrom("badge_counts").select("holders").where("badge", "=", slug).executeTakeFirst(),
  ]);
  return { badge, holders: page.items, holderCount: count?.holders ?? 0, nextCursor: page.nextCursor };
}

/** A member's badges, in the order earned. */
export async function badgesOf(db: DB, memberId: number) {
  const rows = await db
    .selectFrom("member_badges")
    .select(["badge", "awarded_at"])
    .where("member_id", "=", memberId)
    .orderBy("awarded_at")
    .execute();
  return rows.flatMap((r) => {
    const b = badgeBySlug(r.badge);
    return b ? [{ ...b, awardedAt: r.awarded_at }] : [];
  });
}
