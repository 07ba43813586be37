import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import type { Actor } from "../policy";
import { allowed } from "../policy";
import { IMPACT_FIRST_SUPPORTERS, type ImpactSummary } from "./impact";
import { getStanding } from "./rank.server";

const IMPACT_LIST = 20;

/**
 * "Impact" on a member's page: ideas they back (an up-vote that stands) that
 * were planned, are in progress or were adopted, each with the member's place
 * among its up-voters (1 = first). Served by the member's votes index; the
 * place is an index count of the up-votes before theirs on that idea.
 */
export async function listImpact(db: DB, memberId: number) {
  const rows = await sql<{ id: number; title: string; status: string; status_changed_at: Date | null; place: string }>`
    select i.id, i.title, i.status, i.status_changed_at,
      (select count(*) from votes o where o.idea_id = i.id and o.value = 1
         and (o.created_at, o.member_id) < (v.created_at, v.member_id)) + 1 as place
    from votes v
    join ideas i on i.id = v.idea_id
    where v.member_id = ${memberId} and v.value = 1
      and i.status in ('planned', 'in_progress', 'adopted') and i.moderation = 'visible' and i.author_id <> ${memberId}
    order by i.status_changed_at desc nulls last, i.id desc
    limit ${IMPACT_LIST}`.execute(db);
  return rows.rows.map((r) => ({ id: r.id, title: r.title, status: r.status, statusChangedAt: r.status_changed_at, place: Number(r.place) }));
}

/**
 * The monthly impact summary for one member over [since, until): ideas they
 * back that moved to planned or were adopted then, those where they were
 * among the first supporters, points earned, their rank now, and places
 * climbed since `previousRank` (the rank the last summary reported).
 * The e-mail channel (issue 10) sends it: see README, "Impact e-mail".
 */
export async function impactSummary(
  db: DB,
  memberId: number,
  period: { since: Date; until: Date },
  previousRank: number | null = null,
): Promise<ImpactSummary> {
  const [moves, points, standing] = await Promise.all([
    sql<{ idea_id: number; title: string; to: string; place: string }>`
      select distinct on (e.idea_id, e.data->>'to') e.idea_id, i.title, e.data->>'to' as to,
        (select count(*) from votes o where o.idea_id = i.id and o.value = 1
           and (o.created_at, o.member_id) < (v.created_at, v.member_id)) + 1 as place
      from votes v
      join ideas i on i.id = v.idea_id and i.moderation = 'visible'
      join events e on e.idea_id = v.idea_id and e.type = 'idea.status_changed'
        and e.data->>'to' in ('planned', 'adopted') and e.created_at >= ${period.since} and e.created_at < ${period.until}
      where v.member_id = ${memberId} and v.value = 1 and i.author_id <> ${memberId}
      order by e.idea_id, e.data->>'to', e.id`.execute(db),
    db
      .selectFrom("points_ledger")
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>("points"), sql<string>`0`).as("points"))
      .where("member_id", "=", memberId)
      .where("created_at", ">=", period.since)
      .where("created_at", "<", period.until)
      .executeTakeFirstOrThrow(),
    getStanding(db, memberId),
  ]);
  const planned = moves.rows.filter((m) => m.to === "planned").map((m) => ({ ideaId: m.idea_id, title: m.title }));
  const adopted = moves.rows.filter((m) => m.to === "adopted").map((m) => ({ ideaId: m.idea_id, title: m.title }));
  const early = new Map<number, { ideaId: number; title: string; place: number }>();
  for (const m of moves.rows) {
    if (Number(m.place) <= IMPACT_FIRST_SUPPORTERS) early.set(m.idea_id, { ideaId: m.idea_id, title: m.title, place: Number(m.place) });
  }
  return {
    planned,
    adopted,
    earlyOn: [...early.values()],
    rank: standing.rank,
    climbed: previousRank === null ? null : previousRank - standing.rank,
    pointsInPeriod: Number(points.points),
  };
}

const TIMELINE_PAGE = 20;

export interface TimelineEntry {
  id: string;
  /** "vote.cast": an idea the member supports (an up-vote that stands), listed only if they chose to show their votes. */
  type: "idea.posted" | "comment.added" | "idea.status_changed" | "badge.awarded" | "vote.cast";
  at: Date;
  ideaId: number | null;
  ideaTitle: string | null;
  commentId: number | null;
  to: string | null;
  badge: string | null;
}

/**
 * A member's public activity, newest first, built from the events log: ideas
 * posted, comments, status changes of their ideas, badges earned. Hidden or
 * deleted posts are left out unless the viewer may see them. With `votes`
 * (the member's "Show my votes on my public page"), ideas of others they
 * up-voted, once per idea (its latest up-vote event) while the vote stands.
 * Each part is an index range (actor, member, the author's ideas, or the
 * partial events_upvotes_idx); `before` pages by event id.
 */
export async function memberTimeline(
  db: DB,
  viewer: Actor | null,
  memberId: number,
  before: string | null = null,
  options: { votes?: boolean } = {},
): Promise<{ entries: TimelineEntry[]; next: string | null }> {
  const seesAll = allowed(viewer, "idea.view_hidden", { authorId: memberId });
  const cut = before ?? "9223372036854775807";
  // The predicate is the partial index's, word for word, so the planner uses it.
  const upVote = (alias: string) => sql.raw(`${alias}.type in ('vote.cast', 'vote.changed') and ${alias}.data->>'to' = '1'`);
  const votes = options.votes
    ? sql`
      union all
      (select e.id::text, 'vote.cast' as type, e.created_at, e.idea_id, i.title, null, null, null
       from events e join ideas i on i.id = e.idea_id
       where e.actor_id = ${memberId} and ${upVote("e")} and e.id < ${cut}::bigint
         and i.author_id <> ${memberId} and (${seesAll} or i.moderation = 'visible')
         and exists (select 1 from votes v where v.idea_id = e.idea_id and v.member_id = ${memberId} and v.value = 1)
         and not exists (select 1 from events l where l.actor_id = ${memberId} and ${upVote("l")} and l.id > e.id and l.idea_id = e.idea_id)
       order by e.id desc limit ${TIMELINE_PAGE + 1})`
    : sql``;
  const rows = await sql<{ id: string; type: TimelineEntry["type"]; created_at: Date; idea_id: number | null; title: string | null; comment_id: number | null; to: string | null; badge: string | null }>`
    select * from (
      (select e.id::text, e.type, e.created_at, e.idea_id, i.title, null::int as comment_id, null as to, null as badge
       from events e join ideas i on i.id = e.idea_id
       where e.actor_id = ${memberId} and e.type = 'idea.posted' and e.id < ${cut}::bigint
         and i.author_id = ${memberId} and (${seesAll} or i.moderation = 'visible')
       order by e.id desc limit ${TIMELINE_PAGE + 1})
      union all
      (select e.id::text, e.type, e.created_at, e.idea_id, i.title, c.id, null, null
       from events e join comments c on c.id = e.comment_id join ideas i on i.id = c.idea_id
       where e.actor_id = ${memberId} and e.type = 'comment.added' and e.id < ${cut}::bigint
         and c.deleted_at is null and (${seesAll} or (c.moderation = 'visible' and i.moderation = 'visible'))
       order by e.id desc limit ${TIMELINE_PAGE + 1})
      union all
      (select e.id::text, e.type, e.created_at, e.idea_id, i.title, null, e.data->>'to', null
       from ideas i join lateral (
         select id, type, created_at, idea_id, data from events
         where idea_id = i.id and type = 'idea.status_changed' and id < ${cut}::bigint
         order by id desc limit ${TIMELINE_PAGE + 1}) e on true
       where i.author_id = ${memberId} and (${seesAll} or i.moderation = 'visible')
       order by e.id desc limit ${TIMELINE_PAGE + 1})
      union all
      (select e.id::text, e.type, e.created_at, null, null, null, null, e.data->>'badge'
       from events e
       where e.member_id = ${memberId} and e.type = 'badge.awarded' and e.id < ${cut}::bigint
       order by e.id desc limit ${TIMELINE_PAGE + 1})
      ${votes}
    ) t
    order by id::bigint desc
    limit ${TIMELINE_PAGE + 1}`.execute(db);
  const more = rows.rows.length > TIMELINE_PAGE;
  const page = rows.rows.slice(0, TIMELINE_PAGE);
  return {
    entries: page.map((r) => ({ id: r.id, type: r.type, at: new Date(r.created_at), ideaId: r.idea_id, ideaTitle: r.title, commentId: r.comment_id, to: r.to, badge: r.badge })),
    next: more ? page[page.length - 1]!.id : null,
  };
}
