import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { mailMember, siteLink } from "../mail/mail.server";
import { describeImpact } from "./impact";
import { impactSummary } from "./impact.server";

export const IMPACT_MAIL_JOB = "monthly-impact-mail";
const BATCH = 500;

/** The calendar month before `now` (UTC): [since, until) and its key ("2026-11"). */
export function previousMonth(now: Date): { since: Date; until: Date; key: string } {
  const until = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const since = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth() - 1, 1));
  return { since, until, key: since.toISOString().slice(0, 7) };
}

/**
 * The monthly impact mail: to each member who backed an idea that moved to planned or was
 * adopted last month (found in one query from the events, not by walking every member), a
 * sentence of what their backing led to, by their choice for "My impact" (e-mail by default,
 * confirmed addresses only). Keyed by month and member, so a retried or repeated job mails
 * nobody twice; the rank it reported is kept, so next month's says how many places they climbed.
 * Returns how many mails were queued.
 */
export async function sendImpactMails(db: DB, now = new Date()): Promise<number> {
  const month = previousMonth(now);
  let after = 0;
  let queued = 0;
  for (;;) {
    const batch = await sql<{ member_id: number; handle: string; impact_rank: number | null }>`
      select m.id as member_id, m.handle, m.impact_rank from members m
      where m.id > ${after} and m.deleted_at is null and m.email_verified_at is not null
        and m.id in (
          select v.member_id from events e
          join votes v on v.idea_id = e.idea_id and v.value = 1
          where e.type = 'idea.status_changed' and e.data->>'to' in ('planned', 'adopted')
            and e.created_at >= ${month.since} and e.created_at < ${month.until})
      order by m.id limit ${BATCH}`.execute(db);
    for (const row of batch.rows) {
      const summary = await impactSummary(db, row.member_id, month, row.impact_rank);
      const sentence = describeImpact(summary);
      if (!sentence) continue;
      const sent = await db.transaction().execute(async (trx) => {
        const ok = await mailMember(trx, {
          memberId: row.member_id,
          kind: "impact",
          key: `impact:${month.key}:${row.member_id}`,
          content: {
            subject: "What your votes did last month",
            heading: "What your votes did last month",
            paragraphs: [sentence, `You are #${summary.rank.toLocaleString("en")} among members, with ${summary.pointsInPeriod.toLocaleString("en")} points earned last month.`],
            action: { label: "See your page", url: siteLink(`/members/${row.handle}`) },
          },
        });
        if (ok) await trx.updateTable("members").set({ impact_rank: summary.rank }).where("id", "=", row.member_id).execute();
        return ok;
      });
      if (sent) queued++;
    }
    if (batch.rows.length < BATCH) return queued;
    after = batch.rows[batch.rows.length - 1]!.member_id;
  }
}
