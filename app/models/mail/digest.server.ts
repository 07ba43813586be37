import { sql } from "kysely";
import type { NotificationReason } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { ideaPath } from "../ideas/idea";
import { describeNotification } from "../notifications/notification";
import { PREFERENCE_KINDS, WHY_PHRASES, kindForReason, type PreferenceKind } from "./kinds";
import { renderMail } from "./layout";
import { mailBrand, queueDeliveries, siteLink, unsubscribeParts } from "./mail.server";
import { unsubscribeSigner } from "./tokens.server";

/**
 * The digest: for members who put at least one kind "in my digest", once a
 * day or once a week (their choice), one mail with what they did not read of
 * those kinds since the last digest, plus what is trending in the categories
 * of the ideas they follow. Run hourly by the `send-digests` schedule; a
 * member's last digest time is moved in the same transaction as the mail is
 * queued, and the delivery is keyed by member and day, so a retried or
 * doubled run sends one.
 */

export const DIGEST_JOB = "send-digests";
const UNREAD_LIMIT = 20;
const TRENDING_LIMIT = 5;
/** Members handled per run (the next hour's run takes the rest). */
const BATCH = 500;

const PERIOD_HOURS = { daily: 24, weekly: 24 * 7 } as const;

export async function sendDueDigests(db: DB, now = new Date()): Promise<number> {
  // A little early is fine: an hourly run should not slip a daily digest to 25 hours.
  const due = await db
    .selectFrom("members")
    .select(["members.id", "members.email", "members.display_name", "members.digest", "members.last_digest_at"])
    .where("members.id", "in", (eb) => eb.selectFrom("mail_preferences").select("member_id").where("choice", "=", "digest"))
    .where("members.deleted_at", "is", null)
    .where("members.email_verified_at", "is not", null)
    .where((eb) =>
      eb.or([
        eb("members.last_digest_at", "is", null),
        eb.and([eb("members.digest", "=", "daily"), eb("members.last_digest_at", "<=", new Date(now.getTime() - 23 * 3_600_000))]),
        eb.and([eb("members.digest", "=", "weekly"), eb("members.last_digest_at", "<=", new Date(now.getTime() - (7 * 24 - 1) * 3_600_000))]),
      ]),
    )
    .orderBy("members.id")
    .limit(BATCH)
    .execute();
  if (!due.length) return 0;
  const sign = await unsubscribeSigner(db);
  let sent = 0;
  for (const member of due) {
    const since = member.last_digest_at ? new Date(member.last_digest_at) : new Date(now.getTime() - PERIOD_HOURS[member.digest] * 3_600_000);
    const kinds = (
      await db.selectFrom("mail_preferences").select("kind").where("member_id", "=", member.id).where("choice", "=", "digest").execute()
    ).map((r) => r.kind as PreferenceKind).filter((k) => (PREFERENCE_KINDS as readonly string[]).includes(k));
    const reasons = (["audience", "idea_author", "comment_author", "content_author", "mentioned"] as NotificationReason[]).filter((r) => kinds.includes(kindForReason(r)));
    const unread = reasons.length
      ? await db
          .selectFrom("notifications")
          .innerJoin("events", "events.id", "notifications.event_id")
          .leftJoin("ideas", "ideas.id", "notifications.idea_id")
          .leftJoin("members as actor", "actor.id", "notifications.actor_id")
          .select(["notifications.id", "notifications.reason", "notifications.comment_id", "events.type", "events.data", "ideas.id as idea_id", "ideas.title as idea_title", "actor.display_name as actor_name"])
          .where("notifications.member_id", "=", member.id)
          .where("notifications.read_at", "is", null)
          .where("notifications.created_at", ">", since)
          .where("notifications.reason", "in", reasons)
          .orderBy("notifications.id", "desc")
          .limit(UNREAD_LIMIT)
          .execute()
      : [];
    // Trending in the categories the member follows (or, following none, the categories of the
    // ideas they follow): the top few of each (index on category, trending).
    const trending = await sql<{ id: number; title: string; score: number; comment_count: number }>`
      select t.id, t.title, t.score, t.comment_count from (
        (select category_id from category_follows where member_id = ${member.id} limit 5)
        union
        (select distinct i.category_id from idea_follows f join ideas i on i.id = f.idea_id
         where f.member_id = ${member.id} and i.category_id is not null
           and not exists (select 1 from category_follows where member_id = ${member.id})
         limit 5)
      ) c
      cross join lateral (
        select id, title, score, comment_count, trending from ideas
        where category_id = c.category_id and moderation = 'visible' and status not in ('duplicate', 'declined')
        order by trending desc, id desc limit 3
      ) t
      order by t.trending desc limit ${TRENDING_LIMIT}`.execute(db);

    await db.transaction().execute(async (trx) => {
      await trx.updateTable("members").set({ last_digest_at: now }).where("id", "=", member.id).execute();
      if (!unread.length && !trending.rows.length) return;
      const lines = unread.map((n) =>
        describeNotification({ type: n.type, reason: n.reason, data: n.data as Record<string, unknown>, actorName: n.actor_name, ideaTitle: n.idea_title, decision: null }),
      );
      const paragraphs = [
        ...(unread.length ? [`What you have not read yet (${unread.length}):`, ...lines.map((l) => `• ${l}`)] : ["You are all caught up."]),
        ...(trending.rows.length
          ? ["Trending in categories you follow:", ...trending.rows.map((i) => `• ${i.title} (${i.score} votes, ${i.comment_count} comments): ${siteLink(ideaPath(i))}`)]
          : []),
      ];
      const unsubscribe = unsubscribeParts(sign(member.id, "digest"));
      const brand = await mailBrand(trx);
      const mail = renderMail({
        brand,
        subject: `Your ${member.digest} ${brand.siteName} digest`,
        heading: `Your ${member.digest} digest, ${member.display_name}`,
        paragraphs,
        action: { label: "Open your notifications", url: siteLink("/notifications") },
        why: WHY_PHRASES.digest,
        preferencesUrl: siteLink("/account#preferences"),
        unsubscribeUrl: unsubscribe.url,
      });
      sent += await queueDeliveries(trx, [
        { key: `digest:${member.id}:${now.toISOString().slice(0, 13)}`, kind: "digest", memberId: member.id, to: member.email, ...mail, headers: unsubscribe.headers },
      ]);
    });
  }
  return sent;
}
