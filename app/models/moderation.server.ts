import { sql } from "kysely";
import type { FlagReason, FlagTargetKind, Moderation, Role } from "../../db/schema";
import type { CurrentMember } from "../lib/auth.server";
import type { DB } from "../lib/db.server";
import { DomainError, forbidden, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { FLAG_REASON_LABELS, type ModerationAction } from "./moderation";
import { notifyMember } from "./notifications.server";
import { isModerator, type Actor } from "./permissions";
import { consumeRateLimit } from "./rate-limits.server";
import { getSettings } from "./settings.server";
import { countLinks, flagWeight } from "./trust";

const DAY = 86_400;

/** A reason as the end of a sentence: with a full stop unless it has its own punctuation. */
export const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

/** Refuses any participation (post, vote, comment, flag) by a suspended member, with the reason and end date. */
export function assertNotSuspended(member: Pick<CurrentMember, "suspendedUntil" | "suspensionReason">): void {
  if (!member.suspendedUntil || member.suspendedUntil <= new Date()) return;
  const until =
    member.suspendedUntil.getUTCFullYear() >= 9999
      ? "until further notice"
      : `until ${member.suspendedUntil.toISOString().slice(0, 10)}`;
  throw new DomainError(403, `Your account is suspended ${until}${member.suspensionReason ? `: ${sentence(member.suspensionReason)}` : "."} You can still read.`);
}

/**
 * Posting limits against spam and floods, kept in PostgreSQL so they hold
 * across app processes: ideas, comments and links per day (lower for new
 * members), and no identical text twice within a few minutes.
 */
export async function enforcePostingLimits(
  db: DB,
  member: Pick<CurrentMember, "id" | "role" | "createdAt">,
  post: { kind: "idea" | "comment"; text: string; title?: string },
): Promise<void> {
  if (member.role !== "member") return;
  // One transaction: a post refused by any check counts against no limit.
  await db.transaction().execute((trx) => checkPostingLimits(trx, member, post));
}

async function checkPostingLimits(
  db: DB,
  member: Pick<CurrentMember, "id" | "role" | "createdAt">,
  post: { kind: "idea" | "comment"; text: string; title?: string },
): Promise<void> {
  const settings = await getSettings(db);
  if (settings.duplicate_window_minutes > 0) {
    const since = new Date(Date.now() - settings.duplicate_window_minutes * 60_000);
    const same =
      post.kind === "comment"
        ? await db.selectFrom("comments").select("id").where("author_id", "=", member.id).where("created_at", ">", since).where("body", "=", post.text).executeTakeFirst()
        : await db.selectFrom("ideas").select("id").where("author_id", "=", member.id).where("created_at", ">", since).where("title", "=", post.title ?? "").executeTakeFirst();
    if (same) {
      throw new DomainError(429, `You posted exactly this a moment ago. Try again in ${settings.duplicate_window_minutes} minutes if you really mean to.`, "form", settings.duplicate_window_minutes * 60);
    }
  }

  const isNew = Date.now() - member.createdAt.getTime() < settings.new_member_days * DAY * 1000;
  const day = { windowSeconds: DAY };
  const perDay =
    post.kind === "idea"
      ? isNew ? settings.ideas_per_day_new : settings.ideas_per_day
      : isNew ? settings.comments_per_day_new : settings.comments_per_day;
  const noun = post.kind === "idea" ? "ideas" : "comments";
  await consumeRateLimit(
    db,
    `${noun}:member:${member.id}`,
    { ...day, limit: perDay },
    `You have posted the most ${noun} allowed in a day${isNew ? " for new members" : ""} (${perDay}).`,
  );
  const links = countLinks(`${post.title ?? ""} ${post.text}`);
  if (links > 0) {
    const linkLimit = isNew ? settings.links_per_day_new : settings.links_per_day;
    await consumeRateLimit(
      db,
      `links:member:${member.id}`,
      { ...day, limit: linkLimit },
      `That is more links than ${isNew ? "new members" : "members"} may post in a day (${linkLimit}).`,
      links,
    );
  }
}

interface TargetRow {
  kind: FlagTargetKind;
  id: number;
  authorId: number;
  moderation: Moderation;
  ideaId: number | null;
}

/** Locks the flagged or moderated item and says who wrote it. */
async function lockTarget(db: DB, kind: FlagTargetKind, id: number): Promise<TargetRow> {
  if (kind === "idea") {
    const r = await db.selectFrom("ideas").select(["id", "author_id", "moderation"]).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!r) throw notFound("That idea");
    return { kind, id, authorId: r.author_id, moderation: r.moderation, ideaId: r.id };
  }
  if (kind === "comment") {
    const r = await db
      .selectFrom("comments")
      .select(["id", "author_id", "moderation", "idea_id", "deleted_at"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!r || r.deleted_at) throw notFound("That comment");
    return { kind, id, authorId: r.author_id, moderation: r.moderation, ideaId: r.idea_id };
  }
  const r = await db
    .selectFrom("members")
    .select(["id", "moderation"])
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw notFound("That member");
  return { kind, id, authorId: r.id, moderation: r.moderation, ideaId: null };
}

async function setModeration(db: DB, target: TargetRow, state: Moderation, reason: string | null) {
  const values = { moderation: state, moderation_reason: reason };
  if (target.kind === "idea") await db.updateTable("ideas").set({ ...values, moderated_at: new Date() }).where("id", "=", target.id).execute();
  else if (target.kind === "comment") await db.updateTable("comments").set({ ...values, moderated_at: new Date() }).where("id", "=", target.id).execute();
  else await db.updateTable("members").set({ moderation: state === "deleted" ? "hidden" : state, moderation_reason: reason }).where("id", "=", target.id).execute();
}

async function openWeight(db: DB, kind: FlagTargetKind, id: number) {
  const row = await db
    .selectFrom("flags")
    .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>("weight"), sql<number>`0`).as("weight"), eb.fn.countAll<number>().as("n")])
    .where("target_kind", "=", kind)
    .where("target_id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirstOrThrow();
  return Number(row.weight);
}

/** The facts a flag's weight is computed from, in one query. */
async function trustFacts(db: DB, memberId: number) {
  const row = await sql<{ role: Role; age_days: number; posts: number; upheld: number; dismissed: number }>`
    select m.role,
           extract(epoch from now() - m.created_at) / 86400 as age_days,
           (select count(*) from ideas where author_id = m.id)::int + (select count(*) from comments where author_id = m.id and deleted_at is null)::int as posts,
           (select count(*) from flags where flagger_id = m.id and status = 'upheld')::int as upheld,
           (select count(*) from flags where flagger_id = m.id and status = 'dismissed')::int as dismissed
    from members m where m.id = ${memberId}`.execute(db);
  const r = row.rows[0]!;
  return { role: r.role, accountAgeDays: Number(r.age_days), posts: r.posts, upheld: r.upheld, dismissed: r.dismissed };
}

/**
 * A member flags an idea, a comment or a member. The flag weighs what the
 * flagger's trust says; when the open weight on the item reaches the
 * threshold, the item is hidden pending review and its author is told.
 */
export async function flagItem(
  db: DB,
  flagger: CurrentMember,
  input: { kind: FlagTargetKind; targetId: number; reason: FlagReason; note: string },
) {
  assertNotSuspended(flagger);
  const settings = await getSettings(db);
  return db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, input.kind, input.targetId);
    if (target.authorId === flagger.id) throw new DomainError(400, input.kind === "member" ? "You cannot flag yourself." : "You cannot flag your own post.");
    await consumeRateLimit(trx, `flags:member:${flagger.id}`, { limit: settings.flags_per_day, windowSeconds: DAY }, `You have flagged the most items allowed in a day (${settings.flags_per_day}).`);
    const weight = flagWeight(await trustFacts(trx, flagger.id));
    const inserted = await trx
      .insertInto("flags")
      .values({ flagger_id: flagger.id, target_kind: input.kind, target_id: input.targetId, reason: input.reason, note: input.note, weight })
      .onConflict((oc) => oc.columns(["flagger_id", "target_kind", "target_id"]).where("status", "<>", "withdrawn").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) throw new DomainError(409, "You have already flagged this. A moderator will look at it.");
    await appendEvent(trx, {
      type: "flag.raised",
      actorId: flagger.id,
      ideaId: target.ideaId,
      commentId: input.kind === "comment" ? input.targetId : null,
      memberId: input.kind === "member" ? input.targetId : null,
      data: { flagId: inserted.id, kind: input.kind, targetId: input.targetId, reason: input.reason, weight },
    });
    const total = await openWeight(trx, input.kind, input.targetId);
    let hidden = false;
    if (target.moderation === "visible" && total >= settings.flag_hide_threshold) {
      const reason = `Flagged by members as ${FLAG_REASON_LABELS[input.reason].toLowerCase()}`;
      await setModeration(trx, target, "pending", reason);
      const eventId = await appendEvent(trx, {
        type: "moderation.auto_hidden",
        actorId: null,
        ideaId: target.ideaId,
        commentId: input.kind === "comment" ? input.targetId : null,
        memberId: input.kind === "member" ? input.targetId : null,
        data: { kind: input.kind, targetId: input.targetId, before: "visible", after: "pending", weight: total, threshold: settings.flag_hide_threshold, reason },
      });
      await notifyAuthor(trx, target, eventId, null);
      hidden = true;
    }
    return { flagId: inserted.id, weight, total, hidden };
  });
}

async function notifyAuthor(db: DB, target: TargetRow, eventId: string, actorId: number | null) {
  await notifyMember(db, {
    memberId: target.authorId,
    eventId,
    kind: "moderation",
    ideaId: target.ideaId,
    commentId: target.kind === "comment" ? target.id : undefined,
    actorId,
  });
}

/** A member withdraws their own open flag; an item hidden only by flags comes back if the weight drops below the threshold. */
export async function withdrawFlag(db: DB, member: CurrentMember, flagId: number) {
  const settings = await getSettings(db);
  return db.transaction().execute(async (trx) => {
    const flag = await trx
      .selectFrom("flags")
      .select(["id", "flagger_id", "target_kind", "target_id", "status"])
      .where("id", "=", flagId)
      .forUpdate()
      .executeTakeFirst();
    if (!flag || flag.flagger_id !== member.id) throw notFound("That flag");
    if (flag.status !== "open") throw new DomainError(409, "A moderator has already dealt with that flag.");
    const target = await lockTarget(trx, flag.target_kind, flag.target_id);
    await trx.updateTable("flags").set({ status: "withdrawn", resolved_at: new Date(), resolved_by: member.id }).where("id", "=", flag.id).execute();
    await appendEvent(trx, {
      type: "flag.withdrawn",
      actorId: member.id,
      ideaId: target.ideaId,
      data: { flagId: flag.id, kind: flag.target_kind, targetId: flag.target_id },
    });
    if (target.moderation === "pending" && (await openWeight(trx, flag.target_kind, flag.target_id)) < settings.flag_hide_threshold) {
      await setModeration(trx, target, "visible", null);
    }
  });
}

const NEXT_STATE: Record<ModerationAction, Moderation> = {
  dismiss: "visible",
  hide: "hidden",
  delete: "deleted",
  restore: "visible",
};

/**
 * A moderator's decision on an item: dismiss the flags (keep it), hide it,
 * delete it (softly: the row stays) or restore it. Open flags are upheld or
 * dismissed accordingly (which feeds the flaggers' trust); the author is told
 * why; the audit log records who, as what, before and after.
 */
export async function moderate(
  db: DB,
  actor: Actor,
  input: { kind: FlagTargetKind; targetId: number; action: ModerationAction; reason: string },
) {
  if (!isModerator(actor.role)) throw forbidden("Only moderators and admins moderate.");
  return db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, input.kind, input.targetId);
    const before = target.moderation;
    const after = input.kind === "member" && input.action === "delete" ? "hidden" : NEXT_STATE[input.action];
    const flagOutcome = input.action === "hide" || input.action === "delete" ? "upheld" : "dismissed";
    const resolved = await trx
      .updateTable("flags")
      .set({ status: flagOutcome, resolved_at: new Date(), resolved_by: actor.id })
      .where("target_kind", "=", input.kind)
      .where("target_id", "=", input.targetId)
      .where("status", "=", "open")
      .executeTakeFirst();
    const flagsResolved = Number(resolved.numUpdatedRows ?? 0);
    if (before === after && flagsResolved === 0) {
      throw new DomainError(409, `Nothing to do: it is already ${after === "visible" ? "visible" : after}.`);
    }
    if (before !== after) await setModeration(trx, target, after, after === "visible" ? null : input.reason || null);
    const eventId = await appendEvent(trx, {
      type: `moderation.${input.action === "dismiss" ? "dismissed" : input.action === "hide" ? "hidden" : input.action === "delete" ? "deleted" : "restored"}`,
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: target.ideaId,
      commentId: input.kind === "comment" ? input.targetId : null,
      memberId: input.kind === "member" ? input.targetId : target.authorId,
      data: { kind: input.kind, targetId: input.targetId, before, after, reason: input.reason || null, flagsResolved, flagOutcome },
    });
    if (before !== after) await notifyAuthor(trx, target, eventId, actor.id);
    return { before, after, flagsResolved };
  });
}

/** Suspends a member until a date (null: indefinitely). Moderators cannot suspend staff; nobody suspends themselves. */
export async function suspendMember(db: DB, actor: Actor, input: { memberId: number; until: Date | null; reason: string }) {
  if (!isModerator(actor.role)) throw forbidden("Only moderators and admins suspend members.");
  if (input.memberId === actor.id) throw new DomainError(400, "You cannot suspend yourself.");
  return db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom("members")
      .select(["id", "role", "suspended_until", "suspension_reason"])
      .where("id", "=", input.memberId)
      .where("deleted_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    if (!member) throw notFound("That member");
    if (member.role !== "member" && actor.role !== "admin") throw forbidden("Only admins can suspend staff.");
    const until = input.until ?? new Date("9999-12-31T00:00:00Z");
    await trx.updateTable("members").set({ suspended_until: until, suspension_reason: input.reason }).where("id", "=", member.id).execute();
    await appendEvent(trx, {
      type: "member.suspended",
      actorId: actor.id,
      actorRole: actor.role,
      memberId: member.id,
      data: {
        before: { until: member.suspended_until, reason: member.suspension_reason },
        after: { until: until.toISOString(), reason: input.reason },
      },
    });
  });
}

export async function unsuspendMember(db: DB, actor: Actor, memberId: number) {
  if (!isModerator(actor.role)) throw forbidden("Only moderators and admins lift suspensions.");
  if (memberId === actor.id) throw new DomainError(400, "You cannot lift your own suspension.");
  return db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom("members")
      .select(["id", "role", "suspended_until", "suspension_reason"])
      .where("id", "=", memberId)
      .forUpdate()
      .executeTakeFirst();
    if (!member) throw notFound("That member");
    if (member.role !== "member" && actor.role !== "admin") throw forbidden("Only admins can lift a suspension of staff.");
    if (!member.suspended_until) throw new DomainError(409, "That member is not suspended.");
    await trx.updateTable("members").set({ suspended_until: null, suspension_reason: null }).where("id", "=", member.id).execute();
    await appendEvent(trx, {
      type: "member.unsuspended",
      actorId: actor.id,
      actorRole: actor.role,
      memberId: member.id,
      data: { before: { until: member.suspended_until, reason: member.suspension_reason }, after: null },
    });
  });
}

/** Admins change roles; an admin cannot demote themselves (someone must remain to undo it). */
export async function changeRole(db: DB, actor: Actor, input: { memberId: number; role: Role }) {
  if (actor.role !== "admin") throw forbidden("Only admins change roles.");
  if (input.memberId === actor.id) throw new DomainError(400, "You cannot change your own role.");
  return db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom("members").select(["id", "role"]).where("id", "=", input.memberId).forUpdate().executeTakeFirst();
    if (!member) throw notFound("That member");
    if (member.role === input.role) return;
    await trx.updateTable("members").set({ role: input.role }).where("id", "=", member.id).execute();
    await appendEvent(trx, {
      type: "member.role_changed",
      actorId: actor.id,
      actorRole: actor.role,
      memberId: member.id,
      data: { before: member.role, after: input.role },
    });
  });
}

export const QUEUE_PAGE = 20;

/**
 * The moderator's queue: items with open flags, most weight first, each with
 * its content, context (the idea around a comment), the author's history and
 * every open flag. A fixed five queries per page.
 */
export async function listModerationQueue(db: DB, actor: Actor) {
  if (!isModerator(actor.role)) throw forbidden("The moderation queue is for moderators and admins.");
  const groups = await db
    .selectFrom("flags")
    .select((eb) => [
      "target_kind",
      "target_id",
      eb.fn.sum<number>("weight").as("weight"),
      eb.fn.countAll<number>().as("count"),
      eb.fn.min("created_at").as("first_at"),
    ])
    .where("status", "=", "open")
    .groupBy(["target_kind", "target_id"])
    .orderBy("weight", "desc")
    .orderBy("first_at")
    .limit(QUEUE_PAGE)
    .execute();
  const ids = (kind: FlagTargetKind) => groups.filter((g) => g.target_kind === kind).map((g) => g.target_id);
  const none = [-1];
  const [flags, ideas, comments, members] = await Promise.all([
    groups.length
      ? db
          .selectFrom("flags")
          .innerJoin("members", "members.id", "flags.flagger_id")
          .select(["flags.id", "flags.target_kind", "flags.target_id", "flags.reason", "flags.note", "flags.weight", "flags.created_at", "members.display_name as flagger_name", "members.handle as flagger_handle"])
          .where("flags.status", "=", "open")
          .where((eb) => eb.or(groups.map((g) => eb.and([eb("flags.target_kind", "=", g.target_kind), eb("flags.target_id", "=", g.target_id)]))))
          .orderBy("flags.id")
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom("ideas")
      .innerJoin("members", "members.id", "ideas.author_id")
      .select(["ideas.id", "ideas.title", "ideas.body_html", "ideas.moderation", "ideas.moderation_reason", "ideas.author_id", "members.display_name as author_name", "members.handle as author_handle"])
      .where("ideas.id", "in", ids("idea").length ? ids("idea") : none)
      .execute(),
    db
      .selectFrom("comments")
      .innerJoin("members", "members.id", "comments.author_id")
      .innerJoin("ideas", "ideas.id", "comments.idea_id")
      .select(["comments.id", "comments.body_html", "comments.moderation", "comments.moderation_reason", "comments.author_id", "comments.idea_id", "ideas.title as idea_title", "members.display_name as author_name", "members.handle as author_handle"])
      .where("comments.id", "in", ids("comment").length ? ids("comment") : none)
      .execute(),
    db
      .selectFrom("members")
      .select(["id", "display_name", "handle", "bio", "moderation", "moderation_reason", "suspended_until"])
      .where("id", "in", ids("member").length ? ids("member") : none)
      .execute(),
  ]);
  const authorIds = [...new Set([...ideas.map((i) => i.author_id), ...comments.map((c) => c.author_id), ...members.map((m) => m.id)])];
  const history = authorIds.length
    ? await sql<{ id: number; created_at: Date; ideas: number; comments: number; upheld_against: number; suspended_until: Date | null }>`
        select m.id, m.created_at, m.suspended_until,
          (select count(*) from ideas where author_id = m.id)::int as ideas,
          (select count(*) from comments where author_id = m.id)::int as comments,
          ((select count(*) from ideas where author_id = m.id and moderation in ('hidden', 'deleted'))
            + (select count(*) from comments where author_id = m.id and moderation in ('hidden', 'deleted')))::int as upheld_against
        from members m where m.id in (${sql.join(authorIds)})`.execute(db).then((r) => r.rows)
    : [];
  return groups.map((g) => {
    const idea = g.target_kind === "idea" ? ideas.find((i) => i.id === g.target_id) : undefined;
    const comment = g.target_kind === "comment" ? comments.find((c) => c.id === g.target_id) : undefined;
    const member = g.target_kind === "member" ? members.find((m) => m.id === g.target_id) : undefined;
    const authorId = idea?.author_id ?? comment?.author_id ?? member?.id ?? null;
    return {
      kind: g.target_kind,
      targetId: g.target_id,
      weight: Number(g.weight),
      count: Number(g.count),
      idea: idea ?? null,
      comment: comment ?? null,
      member: member ?? null,
      author: history.find((h) => h.id === authorId) ?? null,
      flags: flags.filter((f) => f.target_kind === g.target_kind && f.target_id === g.target_id),
    };
  });
}

/** The viewer's own open flags on some items (so the UI can offer "withdraw"), in one query. */
export async function myOpenFlags(db: DB, memberId: number, targets: Partial<Record<FlagTargetKind, number[]>>) {
  const wanted = (Object.entries(targets) as [FlagTargetKind, number[]][]).filter(([, ids]) => ids.length);
  if (!wanted.length) return [];
  return db
    .selectFrom("flags")
    .select(["id", "target_kind", "target_id"])
    .where("flagger_id", "=", memberId)
    .where("status", "=", "open")
    .where((eb) => eb.or(wanted.map(([kind, ids]) => eb.and([eb("target_kind", "=", kind), eb("target_id", "in", ids)]))))
    .execute();
}

export const AUDIT_PAGE = 50;

/** The audit log: every staff action from the events log, newest first, filterable. */
export async function listAuditLog(
  db: DB,
  actor: Actor,
  filter: { actor?: string; type?: string; before?: string },
) {
  if (actor.role !== "admin") throw forbidden("The audit log is for admins.");
  let q = db
    .selectFrom("events")
    .leftJoin("members as actor", "actor.id", "events.actor_id")
    .leftJoin("members as subject", "subject.id", "events.member_id")
    .leftJoin("ideas", "ideas.id", "events.idea_id")
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
    ])
    .where("events.actor_role", "is not", null)
    .where("events.actor_role", "<>", "member");
  if (filter.actor) q = q.where("actor.handle", "=", filter.actor);
  if (filter.type) q = q.where("events.type", "like", `${filter.type.replace(/[%_\\]/g, "")}%`);
  if (filter.before) q = q.where("events.id", "<", filter.before);
  const rows = await q.orderBy("events.id", "desc").limit(AUDIT_PAGE + 1).execute();
  const more = rows.length > AUDIT_PAGE;
  const items = more ? rows.slice(0, AUDIT_PAGE) : rows;
  return { items, nextBefore: more ? items[items.length - 1]!.id : null };
}
