import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import type { EventPayloads, EventType } from "../events/catalogue";
import type { StoredEvent } from "../events/events.server";
import type { ReactorTable } from "../reactors.server";
import type { Settings } from "../settings/schemas.server";
import { getSettings } from "../settings/settings.server";
import { FIRST_SUPPORTERS, monthKey, type PointsReason } from "./points";

/**
 * The points ledger, filled from the events log (docs/decisions/015-points-rank-badges.md).
 *
 * Every rule turns an event into entries for a (member, subject, key): either
 * "this key is now worth N" (`set`: a vote received, a status reached) or
 * "add N" (`add`: a reversal by moderation). A row is written only for the
 * difference, keyed (event, member, reason), so replaying an event adds
 * nothing, a retracted vote writes the negative of what it earned, and a
 * hide writes the negative of everything the post had earned. Rules read only
 * the event, rows that never change (an idea's author, a decision) and the
 * log or ledger before the event, so rebuilding from the log in commit order
 * gives the same totals as the reactors did.
 */

interface Entry {
  memberId: number;
  reason: PointsReason;
  subject: string;
  key: string;
  ideaId: number | null;
  set?: number;
  add?: number;
}
type Planned = { event: StoredEvent; entries: Entry[] }[];
type Rule = (trx: DB, events: StoredEvent[], amounts: Settings) => Promise<Planned>;

const ideaSubject = (id: number) => `idea:${id}`;
const commentSubject = (id: number) => `comment:${id}`;

/** The authors of the events' ideas: those the emitter knew (`StoredEvent.idea`), the rest read. */
async function authorsOfIdeas(trx: DB, events: StoredEvent[]): Promise<Map<number, number>> {
  const authors = new Map<number, number>();
  const unknown = new Set<number>();
  for (const e of events) {
    if (e.ideaId === null) continue;
    if (e.idea) authors.set(e.ideaId, e.idea.authorId);
    else unknown.add(e.ideaId);
  }
  if (!unknown.size) return authors;
  const rows = await trx.selectFrom("ideas").select(["id", "author_id"]).where("id", "in", [...unknown]).execute();
  for (const r of rows) authors.set(r.id, r.author_id);
  return authors;
}

const onIdeaPosted: Rule = async (trx, events, amounts) => {
  const authors = await authorsOfIdeas(trx, events);
  return events.map((event) => {
    const author = authors.get(event.ideaId!);
    return {
      event,
      entries: author
        ? [{ memberId: author, reason: "idea_posted", subject: ideaSubject(event.ideaId!), key: "posted", ideaId: event.ideaId, set: amounts.points_idea_posted }]
        : [],
    };
  });
};

/** Who voted and what their vote on the idea is now, for every kind of vote event. */
function voteOf(event: StoredEvent): { voterId: number | null; value: number } {
  switch (event.type) {
    case "vote.cast":
    case "vote.changed":
    case "vote.retracted":
      return { voterId: event.actorId, value: (event.payload as EventPayloads["vote.cast"]).to };
    case "vote.moved":
      return { voterId: event.memberId, value: (event.payload as EventPayloads["vote.moved"]).value };
    case "vote.move_undone":
      return { voterId: event.memberId, value: 0 };
    default:
      return { voterId: null, value: 0 };
  }
}

/** An up-vote is worth points to the idea's author while it stands; one's own vote is worth nothing. */
const onVote: Rule = async (trx, events, amounts) => {
  const authors = await authorsOfIdeas(trx, events);
  return events.map((event) => {
    const { voterId, value } = voteOf(event);
    const author = authors.get(event.ideaId!);
    if (!voterId || !author || author === voterId) return { event, entries: [] };
    return {
      event,
      entries: [{
        memberId: author, reason: "vote_received", subject: ideaSubject(event.ideaId!), key: `vote:${voterId}`,
        ideaId: event.ideaId, set: value === 1 ? amounts.points_vote_received : 0,
      }],
    };
  });
};

const onCommentAdded: Rule = async (trx, events, amounts) => {
  const ids = events.map((e) => e.commentId!);
  const rows = await trx
    .selectFrom("comments")
    .leftJoin("comments as parent", "parent.id", "comments.parent_id")
    .select(["comments.id", "comments.author_id", "parent.author_id as parent_author_id"])
    .where("comments.id", "in", ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return events.map((event) => {
    const c = byId.get(event.commentId!);
    if (!c) return { event, entries: [] };
    const subject = commentSubject(c.id);
    const entries: Entry[] = [{ memberId: c.author_id, reason: "comment_posted", subject, key: "posted", ideaId: event.ideaId, set: amounts.points_comment_posted }];
    if (c.parent_author_id && c.parent_author_id !== c.author_id) {
      entries.push({ memberId: c.parent_author_id, reason: "reply_received", subject, key: "reply", ideaId: event.ideaId, set: amounts.points_reply_received });
    }
    return { event, entries };
  });
};

/** Each member's current points for a subject (optionally one key of it). */
async function subjectSums(trx: DB, subject: string, key?: string): Promise<{ member_id: number; points: number; idea_id: number | null }[]> {
  const rows = await trx
    .selectFrom("points_ledger")
    .select(["member_id", (eb) => eb.fn.sum<string>("points").as("points"), (eb) => eb.fn.max("idea_id").as("idea_id")])
    .where("subject", "=", subject)
    .$if(!!key, (q) => q.where("key", "=", key!))
    .groupBy("member_id")
    .execute();
  return rows.map((r) => ({ member_id: r.member_id, points: Number(r.points), idea_id: r.idea_id as number | null }))
    .filter((r) => r.points !== 0);
}

/** Deleting one's comment takes back everything it earned (for its author and whoever it replied to). */
const onCommentDeleted: Rule = async (trx, events) => {
  const planned: Planned = [];
  for (const event of events) {
    const subject = commentSubject(event.commentId!);
    const sums = await subjectSums(trx, subject);
    planned.push({
      event,
      entries: sums.map((s) => ({ memberId: s.member_id, reason: "comment_deleted", subject, key: "deleted", ideaId: s.idea_id, add: -s.points })),
    });
  }
  return planned;
};

/**
 * A post hidden (or deleted, or pending review) earns nothing for anyone: the
 * decision writes the negative of what it had earned; restoring it writes that
 * back. A hide or delete by a moderator upholds the flags raised before it.
 */
const onModeration: Rule = async (trx, events, amounts) => {
  const planned: Planned = [];
  for (const event of events) {
    const payload = event.payload as EventPayloads["moderation.hidden"];
    const decision = await trx
      .selectFrom("moderation_decisions")
      .select(["action", "after"])
      .where("id", "=", payload.decisionId)
      .executeTakeFirst();
    if (!decision) continue;
    const entries: Entry[] = [];
    if (payload.kind !== "member") {
      const subject = payload.kind === "idea" ? ideaSubject(payload.targetId) : commentSubject(payload.targetId);
      if (decision.after === "visible") {
        for (const s of await subjectSums(trx, subject, "moderation")) {
          entries.push({ memberId: s.member_id, reason: "post_restored", subject, key: "moderation", ideaId: s.idea_id, add: -s.points });
        }
      } else {
        for (const s of await subjectSums(trx, subject)) {
          entries.push({ memberId: s.member_id, reason: "post_hidden", subject, key: "moderation", ideaId: s.idea_id, add: -s.points });
        }
      }
    }
    if (decision.action === "hide" || decision.action === "delete") {
      const flags = await trx
        .selectFrom("flags")
        .select(["id", "flagger_id"])
        .where("target_kind", "=", payload.kind)
        .where("target_id", "=", payload.targetId)
        .where("status", "=", "upheld")
        .where("created_at", "<=", event.createdAt)
        .execute();
      // One row per flagger for this decision (a member has one flag per item).
      const seen = new Set<number>();
      for (const f of flags) {
        if (seen.has(f.flagger_id)) continue;
        seen.add(f.flagger_id);
        entries.push({ memberId: f.flagger_id, reason: "flag_upheld", subject: `flag:${f.id}`, key: "upheld", ideaId: null, set: amounts.points_flag_upheld });
      }
    }
    planned.push({ event, entries });
  }
  return planned;
};

const STATUS_POINTS = {
  under_review: { author: "points_idea_under_review", supporter: null },
  planned: { author: "points_idea_planned", supporter: "points_supporter_planned" },
  adopted: { author: "points_idea_adopted", supporter: "points_supporter_adopted" },
} as const;
type CreditedStatus = keyof typeof STATUS_POINTS;

/**
 * The credit chain when an idea reaches under review, planned or adopted:
 * its author and the authors of the duplicates merged into it (merges not
 * undone by then), and its first supporters (the first up-votes in the log).
 * Each is worth the amount once per status, however often the idea returns to it.
 */
const onStatusReached: Rule = async (trx, events, amounts) => {
  const planned: Planned = [];
  for (const event of events) {
    const to = (event.payload as EventPayloads["idea.status_changed"]).to;
    if (!(to in STATUS_POINTS)) {
      planned.push({ event, entries: [] });
      continue;
    }
    const rule = STATUS_POINTS[to as CreditedStatus];
    const ideaId = event.ideaId!;
    const [author, merged, supporters] = await Promise.all([
      trx.selectFrom("ideas").select("author_id").where("id", "=", ideaId).executeTakeFirst(),
      sql<{ author_id: number }>`
        select distinct i.author_id
        from merges m
        join ideas i on i.id = m.source_id
        where m.target_id = ${ideaId}
          and exists (select 1 from events e where e.idea_id = m.source_id and e.type = 'idea.merged'
                        and e.data->>'mergeId' = m.id::text and e.id < ${event.id}::bigint)
          and not exists (select 1 from events e where e.idea_id = m.source_id and e.type = 'idea.unmerged'
                        and e.data->>'mergeId' = m.id::text and e.id < ${event.id}::bigint)`.execute(trx),
      rule.supporter
        ? sql<{ member_id: number }>`
            select member_id from (
              select case when type = 'vote.moved' then member_id else actor_id end as member_id, min(id) as first
              from events
              where idea_id = ${ideaId} and id < ${event.id}::bigint
                and ((type in ('vote.cast', 'vote.changed') and data->>'to' = '1') or (type = 'vote.moved' and data->>'value' = '1'))
              group by 1
            ) s
            where member_id is not null
            order by first
            limit ${FIRST_SUPPORTERS}`.execute(trx)
        : Promise.resolve({ rows: [] as { member_id: number }[] }),
    ]);
    const credited = new Set<number>([...(author ? [author.author_id] : []), ...merged.rows.map((r) => r.author_id)]);
    const entries: Entry[] = [...credited].map((memberId) => ({
      memberId, reason: `idea_${to}` as PointsReason, subject: ideaSubject(ideaId), key: `status:${to}:author`, ideaId, set: amounts[rule.author],
    }));
    if (rule.supporter) {
      for (const s of supporters.rows) {
        if (credited.has(s.member_id)) continue;
        entries.push({ memberId: s.member_id, reason: `supporter_${to}` as PointsReason, subject: ideaSubject(ideaId), key: `status:${to}:supporter`, ideaId, set: amounts[rule.supporter] });
      }
    }
    planned.push({ event, entries });
  }
  return planned;
};

/** A merge that accepted members' proposals (proposals.server.ts marks them) credits each proposer. */
const onMerged: Rule = async (trx, events, amounts) => {
  const rows = await trx
    .selectFrom("duplicate_proposals")
    .select(["id", "proposer_id", "merge_event_id"])
    .where("merge_event_id", "in", events.map((e) => e.id))
    .execute();
  return events.map((event) => ({
    event,
    entries: rows.filter((r) => r.merge_event_id === event.id).map((r) => ({
      memberId: r.proposer_id, reason: "duplicate_accepted" as const, subject: `proposal:${r.id}`, key: "accepted", ideaId: null, set: amounts.points_duplicate_accepted,
    })),
  }));
};

/**
 * A complete profile (a bio and a photo) is worth `points_profile_complete` while it
 * stays complete: the edit or upload that completes it earns them, removing the photo
 * or emptying the bio takes them back, completing it again earns them again (one key,
 * so never twice). The event records whether the profile was complete after it
 * (profile_edited before version 2 did not: no entry), so a rebuild agrees.
 */
const onProfileChanged: Rule = async (_trx, events, amounts) =>
  events.map((event) => {
    const complete = (event.payload as { profileComplete?: boolean }).profileComplete;
    if (typeof complete !== "boolean" || !event.memberId) return { event, entries: [] };
    return {
      event,
      entries: [{
        memberId: event.memberId, reason: "profile_complete", subject: `member:${event.memberId}`, key: "profile_complete", ideaId: null,
        set: complete ? amounts.points_profile_complete : 0,
      }],
    };
  });

const RULES: Partial<Record<EventType, Rule>> = {
  "member.profile_edited": onProfileChanged,
  "member.avatar_changed": onProfileChanged,
  "idea.merged": onMerged,
  "idea.posted": onIdeaPosted,
  "vote.cast": onVote,
  "vote.changed": onVote,
  "vote.retracted": onVote,
  "vote.moved": onVote,
  "vote.move_undone": onVote,
  "comment.added": onCommentAdded,
  "comment.deleted": onCommentDeleted,
  "idea.status_changed": onStatusReached,
  "idea.revisited": onStatusReached,
  "moderation.auto_hidden": onModeration,
  "moderation.auto_restored": onModeration,
  "moderation.dismissed": onModeration,
  "moderation.hidden": onModeration,
  "moderation.deleted": onModeration,
  "moderation.restored": onModeration,
};

/** Rules that read the ledger itself run one event at a time, each seeing the rows of the one before. */
const ONE_AT_A_TIME = new Set<EventType>(["comment.deleted", "idea.status_changed", "idea.revisited",
  "moderation.auto_hidden", "moderation.auto_restored", "moderation.dismissed", "moderation.hidden", "moderation.deleted", "moderation.restored"]);

export const POINTS_EVENT_TYPES = Object.keys(RULES) as EventType[];

/** Points per bucket of the coarse histogram (points_buckets). */
export const BUCKET = 256;

export interface ScoreDelta {
  scope: string;
  memberId: number;
  delta: number;
}

/**
 * Adds to members' totals per scope and keeps the histogram (members per
 * points value) in step, in one statement. A member's first row in a scope
 * joins its histogram; later changes move them from one value to another.
 */
export async function bumpScores(trx: DB, deltas: ScoreDelta[]): Promise<void> {
  const merged = new Map<string, ScoreDelta>();
  for (const d of deltas) {
    const k = `${d.scope}\u0000${d.memberId}`;
    const prev = merged.get(k);
    if (prev) prev.delta += d.delta;
    else merged.set(k, { ...d });
  }
  const rows = [...merged.values()];
  if (!rows.length) return;
  await sql`
    with d as (
      select * from unnest(${rows.map((r) => r.scope)}::text[], ${rows.map((r) => r.memberId)}::int[], ${rows.map((r) => r.delta)}::int[])
        as d(scope, member_id, delta)
    ),
    up as (
      insert into member_scores (scope, member_id, points)
      select scope, member_id, delta from d
      on conflict (scope, member_id) do update set points = member_scores.points + excluded.points
      returning scope, member_id, points, (xmax = 0) as inserted
    ),
    moves as (
      select up.scope, up.points - d.delta as points, -1 as n from up join d using (scope, member_id) where not up.inserted
      union all
      select scope, points, 1 from up
    ),
    agg as (select scope, points, sum(n)::int as n from moves group by scope, points having sum(n) <> 0),
    fine as (
      insert into points_histogram (scope, points, members)
      select scope, points, n from agg
      on conflict (scope, points) do update set members = points_histogram.members + excluded.members
    )
    insert into points_buckets (scope, bucket, members)
    select scope, floor(points / ${sql.raw(`${BUCKET}.0`)})::int, sum(n)::int from agg group by 1, 2 having sum(n) <> 0
    on conflict (scope, bucket) do update set members = points_buckets.members + excluded.members`.execute(trx);
}

/** Writes the planned entries' differences as ledger rows and adds what was written to the totals. */
async function applyPlanned(trx: DB, planned: Planned): Promise<number> {
  const setKeys = new Map<string, { m: number; s: string; k: string }>();
  for (const p of planned) for (const e of p.entries) {
    if (e.set !== undefined) setKeys.set(`${e.memberId}|${e.subject}|${e.key}`, { m: e.memberId, s: e.subject, k: e.key });
  }
  const current = new Map<string, number>();
  if (setKeys.size) {
    const keys = [...setKeys.values()];
    const sums = await sql<{ member_id: number; subject: string; key: string; points: string }>`
      select l.member_id, l.subject, l.key, sum(l.points)::text as points
      from unnest(${keys.map((k) => k.m)}::int[], ${keys.map((k) => k.s)}::text[], ${keys.map((k) => k.k)}::text[]) as w(member_id, subject, key)
      join points_ledger l on l.subject = w.subject and l.member_id = w.member_id and l.key = w.key
      group by 1, 2, 3`.execute(trx);
    for (const r of sums.rows) current.set(`${r.member_id}|${r.subject}|${r.key}`, Number(r.points));
  }
  const rows: { member_id: number; event_id: string; reason: string; subject: string; key: string; points: number; idea_id: number | null; month_key: string; created_at: Date }[] = [];
  for (const { event, entries } of planned) {
    for (const e of entries) {
      const k = `${e.memberId}|${e.subject}|${e.key}`;
      const delta = e.set !== undefined ? e.set - (current.get(k) ?? 0) : (e.add ?? 0);
      if (delta === 0) continue;
      current.set(k, (current.get(k) ?? 0) + delta);
      rows.push({
        member_id: e.memberId, event_id: event.id, reason: e.reason, subject: e.subject, key: e.key, points: delta,
        idea_id: e.ideaId, month_key: monthKey(event.createdAt), created_at: event.createdAt,
      });
    }
  }
  if (!rows.length) return 0;
  const written = await trx
    .insertInto("points_ledger")
    .values(rows)
    .onConflict((oc) => oc.columns(["event_id", "member_id", "reason"]).doNothing())
    .returning(["member_id", "points", "month_key", "idea_id"])
    .execute();
  // The ideas' categories: those the emitters knew (`StoredEvent.idea`), the rest read.
  const categories = new Map<number, number | null>();
  for (const { event } of planned) if (event.idea && event.ideaId !== null) categories.set(event.ideaId, event.idea.categoryId);
  const unknown = [...new Set(written.map((w) => w.idea_id).filter((id): id is number => id !== null && !categories.has(id)))];
  if (unknown.length) {
    for (const r of await trx.selectFrom("ideas").select(["id", "category_id"]).where("id", "in", unknown).execute()) categories.set(r.id, r.category_id);
  }
  const deltas: ScoreDelta[] = [];
  for (const w of written) {
    deltas.push({ scope: "all", memberId: w.member_id, delta: w.points });
    deltas.push({ scope: `month:${w.month_key}`, memberId: w.member_id, delta: w.points });
    const category = w.idea_id !== null ? categories.get(w.idea_id) : null;
    if (category) deltas.push({ scope: `category:${category}`, memberId: w.member_id, delta: w.points });
  }
  await bumpScores(trx, deltas);
  return written.length;
}

/** Runs the points rules for a batch of events of one type (the reactor, and the rebuild). */
async function awardPoints(trx: DB, events: StoredEvent[], amounts?: Settings): Promise<number> {
  const type = events[0]?.type;
  const rule = type ? RULES[type] : undefined;
  if (!rule) return 0;
  const settings = amounts ?? (await getSettings(trx));
  if (!ONE_AT_A_TIME.has(type!)) return applyPlanned(trx, await rule(trx, events, settings));
  let written = 0;
  for (const event of events) written += await applyPlanned(trx, await rule(trx, [event], settings));
  return written;
}

/** A new member starts at 0 points, counted in the ranking from their first day. */
async function onJoined(trx: DB, events: StoredEvent[]): Promise<void> {
  await bumpScores(trx, events.filter((e) => e.memberId).map((e) => ({ scope: "all", memberId: e.memberId!, delta: 0 })));
}

/** An idea moved to another category takes its points on that category's board with it. */
async function onCategorised(trx: DB, events: StoredEvent[]): Promise<void> {
  for (const event of events as StoredEvent<"idea.categorised">[]) {
    const { from, to } = event.payload;
    if (from === to) continue;
    const sums = await trx
      .selectFrom("points_ledger")
      .select(["member_id", (eb) => eb.fn.sum<string>("points").as("points")])
      .where("idea_id", "=", event.ideaId!)
      .groupBy("member_id")
      .execute();
    const deltas: ScoreDelta[] = [];
    for (const s of sums) {
      const points = Number(s.points);
      if (!points) continue;
      if (from) deltas.push({ scope: `category:${from}`, memberId: s.member_id, delta: -points });
      deltas.push({ scope: `category:${to}`, memberId: s.member_id, delta: points });
    }
    await bumpScores(trx, deltas);
  }
}

const award = async (trx: DB, events: StoredEvent[]) => {
  await awardPoints(trx, events);
};

export const pointsReactors: ReactorTable = {
  ...Object.fromEntries(POINTS_EVENT_TYPES.map((t) => [t, [award]])),
  "member.joined": [onJoined],
  "idea.categorised": [onCategorised],
};

interface LogRow { id: string; tx_id: string; type: EventType; actor_id: number | null; idea_id: number | null; comment_id: number | null; member_id: number | null; data: unknown; created_at: Date }

/**
 * Rebuilds the whole ledger and every total from the events log, in commit
 * order, with the current amounts (after an admin changed them, or to check
 * the reactors). One transaction holding the points tables, so reactors of
 * changes made meanwhile wait and then apply on top of the rebuilt ledger.
 * Categories are those ideas have now (the reactors moved points with them).
 */
export async function rebuildPoints(db: DB, options: { batch?: number } = {}): Promise<{ events: number; rows: number }> {
  const batch = options.batch ?? 2_000;
  return db.transaction().execute(async (trx) => {
    await sql`lock table points_ledger, member_scores, points_histogram, points_buckets in exclusive mode`.execute(trx);
    await trx.deleteFrom("points_ledger").execute();
    await trx.deleteFrom("member_scores").execute();
    await trx.deleteFrom("points_histogram").execute();
    await trx.deleteFrom("points_buckets").execute();
    await sql`insert into member_scores (scope, member_id, points) select 'all', id, 0 from members`.execute(trx);
    await sql`insert into points_histogram (scope, points, members) select 'all', 0, count(*) from members having count(*) > 0`.execute(trx);
    await sql`insert into points_buckets (scope, bucket, members) select 'all', 0, count(*) from members having count(*) > 0`.execute(trx);
    const amounts = await getSettings(trx);
    let position: { txId: string; id: string } | null = null;
    let events = 0;
    let rows = 0;
    for (;;) {
      const after: { txId: string; id: string } | null = position;
      const page: { rows: LogRow[] } = await sql<LogRow>`
        select id::text, tx_id::text, type, actor_id, idea_id, comment_id, member_id, data, created_at
        from events
        where type = any(${POINTS_EVENT_TYPES}::text[])
          and (${after === null} or (events.tx_id, events.id) > (${after?.txId ?? "0"}::xid8, ${after?.id ?? "0"}::bigint))
        -- Qualified: a bare "tx_id, id" would sort by the output columns, which are text ("1000" < "999").
        order by events.tx_id, events.id
        limit ${batch}`.execute(trx);
      if (!page.rows.length) break;
      const last: LogRow = page.rows[page.rows.length - 1]!;
      position = { txId: last.tx_id, id: last.id };
      events += page.rows.length;
      // Consecutive events of one type run together, as the reactors received them.
      let run: StoredEvent[] = [];
      for (const r of page.rows) {
        const stored: StoredEvent = {
          id: r.id, type: r.type, actorId: r.actor_id, actorRole: null, ideaId: r.idea_id, commentId: r.comment_id, memberId: r.member_id,
          payload: (typeof r.data === "string" ? JSON.parse(r.data) : r.data) as StoredEvent["payload"], createdAt: new Date(r.created_at),
        };
        if (run.length && run[0]!.type !== stored.type) {
          rows += await awardPoints(trx, run, amounts);
          run = [];
        }
        run.push(stored);
      }
      if (run.length) rows += await awardPoints(trx, run, amounts);
    }
    return { events, rows };
  });
}
