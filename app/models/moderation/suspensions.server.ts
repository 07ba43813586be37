import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";

/** "Indefinitely" is stored as the far future, so "suspended" is always `until > now`. */
export const INDEFINITELY = new Date("9999-12-31T00:00:00Z");

async function lockMember(trx: DB, memberId: number) {
  const member = await trx
    .selectFrom("members")
    .select(["id", "role", "suspended_until"])
    .where("id", "=", memberId)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!member) throw notFound("That member");
  return member;
}

/**
 * Suspends a member until a date (null: indefinitely), with a reason they see.
 * Moderators cannot suspend staff; nobody suspends themselves. Live sessions
 * obey at once (the session read includes the suspension).
 */
export async function suspendMember(db: DB, actor: Actor | null, input: { memberId: number; until: Date | null; reason: string }) {
  return db.transaction().execute(async (trx) => {
    const member = await lockMember(trx, input.memberId);
    assertCan(actor, "member.suspend", { id: member.id, role: member.role });
    const until = input.until ?? INDEFINITELY;
    if (until <= new Date()) throw new DomainError(400, "The end date must be in the future.", "until");
    // A new suspension replaces the current one, which ends now.
    await trx
      .updateTable("suspensions")
      .set({ lifted_at: new Date(), lifted_by: actor.id })
      .where("member_id", "=", member.id)
      .where("lifted_at", "is", null)
      .execute();
    const suspension = await trx
      .insertInto("suspensions")
      .values({ member_id: member.id, actor_id: actor.id, until, reason: input.reason })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.updateTable("members").set({ suspended_until: until, suspension_reason: input.reason }).where("id", "=", member.id).execute();
    await emit(trx, { type: "member.suspended", actor, memberId: member.id, payload: { suspensionId: suspension.id } });
    return { suspensionId: suspension.id };
  });
}

export async function unsuspendMember(db: DB, actor: Actor | null, memberId: number) {
  return db.transaction().execute(async (trx) => {
    const member = await lockMember(trx, memberId);
    assertCan(actor, "member.unsuspend", { id: member.id, role: member.role });
    if (!member.suspended_until || new Date(member.suspended_until) <= new Date()) throw new DomainError(409, "That member is not suspended.");
    const lifted = await trx
      .updateTable("suspensions")
      .set({ lifted_at: new Date(), lifted_by: actor.id })
      .where("member_id", "=", member.id)
      .where("lifted_at", "is", null)
      .returning("id")
      .execute();
    await trx.updateTable("members").set({ suspended_until: null, suspension_reason: null }).where("id", "=", member.id).execute();
    // Suspensions from before the suspensions table have no row; the event then names none.
    await emit(trx, { type: "member.unsuspended", actor, memberId: member.id, payload: { suspensionId: lifted[0]?.id ?? 0 } });
  });
}
