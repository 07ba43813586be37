import type { JobDefinition } from "../lib/queue.server";
import { reviveDueIdeas } from "./pipeline/responses.server";
import { pruneRateLimits } from "./shared/rate-limits.server";
import { DELIVERY_JOB, deliverCohortMessage } from "./listening/cohorts.server";

/**
 * Every kind of background work, with its schedule. pg-boss sends a scheduled
 * job once per slot however many app processes run, and any process's worker
 * may take it; a job that throws is retried with backoff.
 */
export const JOBS: JobDefinition[] = [
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
