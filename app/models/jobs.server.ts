import type { JobDefinition } from "../lib/queue.server";
import { sendDeliveries, SEND_MAIL_JOB } from "./mail/mail.server";
import { mailNotifications, NOTIFY_JOB } from "./mail/notify.server";
import { DIGEST_JOB, sendDueDigests } from "./mail/digest.server";
import { reviveDueIdeas } from "./pipeline/responses.server";
import { pruneRateLimits } from "./shared/rate-limits.server";
import { DELIVERY_JOB, deliverCohortMessage } from "./listening/cohorts.server";
import { IMPACT_MAIL_JOB, sendImpactMails } from "./engagement/impact-mail.server";

/**
 * Every kind of background work, with its schedule. pg-boss sends a scheduled
 * job once per slot however many app processes run, and any process's worker
 * may take it; a job that throws is retried with backoff.
 */
export const JOBS: JobDefinition[] = [
  {
    // Sends queued deliveries (docs/decisions/014); a failed one is retried with backoff: 30 s, 1, 2, 4, 8 min.
    name: SEND_MAIL_JOB,
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    concurrency: 2,
    handler: async (db, data) => {
      await sendDeliveries(db, (data as { ids: string[] }).ids);
    },
  },
  {
    // Turns an event's notifications into e-mail for the members who want it.
    name: NOTIFY_JOB,
    retryLimit: 5,
    retryDelay: 10,
    retryBackoff: true,
    handler: async (db, data) => {
      await mailNotifications(db, (data as { eventIds: string[] }).eventIds);
    },
  },
  {
    // Daily and weekly digests, for members who chose "in my digest" for any kind.
    name: DIGEST_JOB,
    schedule: "23 * * * *",
    retryLimit: 3,
    handler: async (db) => {
      const sent = await sendDueDigests(db);
      if (sent) console.log(`digest: ${sent} digest(s) queued`);
    },
  },
  {
    // On the 1st of each month: what members' backing led to the month before (keyed: a rerun mails nobody twice).
    name: IMPACT_MAIL_JOB,
    schedule: "0 9 1 * *",
    retryLimit: 3,
    expireInSeconds: 3600,
    handler: async (db) => {
      const sent = await sendImpactMails(db);
      if (sent) console.log(`impact: ${sent} monthly impact mail(s) queued`);
    },
  },
  {
    name: "revisit-due-ideas",
    schedule: "*/10 * * * *",
    retryLimit: 3,
    handler: async (db) => {
      const revived = await reviveDueIdeas(db);
      if (revived) console.log(`revisit: ${revived} declined idea(s) back under review`);
    },
  },
  {
    name: "prune-rate-limits",
    schedule: "17 * * * *",
    retryLimit: 2,
    handler: async (db) => {
      await pruneRateLimits(db);
    },
  },
  {
    // A message to a cohort, fanned out as notifications (idempotent: keyed by member and event).
    name: DELIVERY_JOB,
    retryLimit: 5,
    expireInSeconds: 900,
    handler: async (db, data) => {
      await deliverCohortMessage(db, data as { messageId: number; eventId: string });
    },
  },
];
