import { sql } from "kysely";
import type { FlagReason, FlagTargetKind, Role } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { assertCan, type Actor } from "../policy";
import { consumeRateLimit } from "../shared/rate-limits.server";
import { DomainError, notFound } from "../shared/errors";
import { getSettings } from "../settings/settings.server";
import { FLAG_REASON_LABELS } from "./moderation";
import { decide, lockTarget, targetColumns } from "./targets.server";
import { flagWeight, isEstablished, type TrustFacts } from "./trust";

const DAY = 86_400;

/** The facts a flag's weight is computed from, in one query. */
async function trustFacts(db: DB, memberId: number): Promise<TrustFacts> {
  const row = await sql<{ role: Role; age_days: number; posts: number; upheld: number; dismissed: number }>`
    select m.role,
           extract(epoch from now() - m.created_at) / 86400 as age_days,
           (select count(*) from ideas where author_id = m.id and moderation = 'visible')::int
             + (select count(*) from comments where author_id = m.id and deleted_at is null and moderation = 'visible')::int as posts,
           (select count(*) from flags where flagger_id = m.id and status = 'upheld')::int as upheld,
           (select count(*) from flags where flagger_id = m.id and status = 'dismissed')::int as dismissed
    from members m where m.id = ${memberId}`.execute(db);
  const r = row.rows[0]!;
  return { role: r.role, accountAgeDays: Number(r.age_days), posts: r.posts, upheld: r.upheld, dismissed: r.dismissed };
}

/** The open flag weight on an item that may hide it: flags from established members only. */
async function hidingWeight(trx: DB, kind: FlagTargetKind, id: number): Promise<number> {
  const row = await trx
    .selectFrom("flags")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("weight"), sql<number>`0`).as("weight"))
    .where("target_kind", "=", kind)
    .where("target_id", "=", id)
    .where("status", "=", "open")
    .where("established", "=", true)
    .executeTakeFirstOrThrow();
  return Number(row.weight);
}

/**
 * A member flags an idea, a comment or a member. The flag weighs what the
 * flagger's trust says; when the open weight from established members reaches
 * the threshold, the item is hidden pending review and its author is told.
 * Flags from new accounts reach the queue but never hide anything on their own,
 * so a brigade of fresh sign-ups cannot take a post down.
 */
export async function flagItem(
  db: DB,
  actor: Actor | null,
  input: { kind: FlagTargetKind; targetId: number; reason: FlagReason; note: string },
) {
  return db.transaction().execute(async (trx) => {
    const target = await lockTarget(trx, input.kind, input.targetId);
    assertCan(actor, "flag.raise", { authorId: target.authorId, kind: input.kind });
    const settings = await getSettings(trx);
    await consumeRateLimit(trx, `flags:member:${actor.id}`, { limit: settings.flags_per_day, windowSeconds: DAY }, `You have flagged the most items allowed in a day (${settings.flags_per_day}).`);
    const facts = await trustFacts(trx, actor.id);
    const weight = flagWeight(facts);
    const established = isEstablished(facts, { newMemberDays: settings.new_member_days, minPosts: settings.established_min_posts });
    const inserted = await trx
      .insertInto("flags")
      .values({ flagger_id: actor.id, target_kind: input.kind, target_id: input.targetId, reason: input.reason, note: input.note, weight, established })
      .onConflict((oc) => oc.columns(["flagger_id", "target_kind", "target_id"]).where("status", "<>", "withdrawn").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) throw new DomainError(409, "You have already flagged this. A moderator will look at it.");
    await emit(trx, {
      type: "flag.raised",
      actor,
      ...targetColumns(target),
      payload: { flagId: inserted.id, kind: input.kind, targetId: input.targetId },
    });
    const total = await hidingWeight(trx, input.kind, input.targetId);
    let hidden = false;
    if (target.moderation === "visible" && total >= settings.flag_hide_threshold) {
      await decide(trx, target, {
        action: "auto_hide",
        after: "pending",
        reason: `Flagged by members as ${FLAG_REASON_LABELS[input.reason].toLowerCase()}`,
        actor: null,
      });
      hidden = true;
    }
    return { flagId: inserted.id, weight, established, total, hidden };
  });
}

/**
 * A member withdraws their own open flag; an item hidden only by flags comes
 * back (and its author is told) if the weight drops below the threshold.
 */
export async function withdrawFlag(db: DB, actor: Actor | null, flagId: number) {
  return db.transaction().execute(async (trx) => {
    const flag = await trx
      .selectFrom("flags")
      .select(["id", "flagger_id", "target_kind", "target_id", "status"])
      .where("id", "=", flagId)
      .forUpdate()
      .executeTakeFirst();
    if (!flag) throw notFound("That flag");
    assertCan(actor, "flag.withdraw", { flaggerId: flag.flagger_id });
    if (flag.status !== "open") throw new DomainError(409, "A moderator has already dealt with that flag.");
    const target = await lockTarget(trx, flag.target_kind, flag.target_id);
    const settings = await getSettings(trx);
    await trx.updateTable("flags").set({ status: "withdrawn", resolved_at: new Date(), resolved_by: actor.id }).where("id", "=", flag.id).execute();
    await emit(trx, {
      type: "flag.withdrawn",
      actor,
      ...targetColumns(target),
      payload: { flagId: flag.id, kind: flag.target_kind, targetId: flag.target_id },
    });
    if (target.moderation === "pending" && (await hidingWeight(trx, flag.target_kind, flag.target_id)) < settings.flag_hide_threshold) {
      await decide(trx, target, { action: "auto_restore", after: "visible", reason: null, actor: null });
    }
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
