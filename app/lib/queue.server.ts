// The only module that imports pg-boss (a maintained PostgreSQL job queue; see docs/decisions/008).
import { CompiledQuery } from "kysely";
import { PgBoss, type Job } from "pg-boss";
import type { DatabaseHandle, DB } from "./db.server";

/** One kind of durable background work. */
export interface JobDefinition<T extends object = object> {
  name: string;
  /** Does the work. Throwing makes pg-boss retry it (with backoff) up to `retryLimit` times. */
  handler: (db: DB, data: T, job: { id: string; retryCount: number }) => Promise<void>;
  /** A cron expression (UTC; six fields for seconds): pg-boss sends it once per slot across every process. */
  schedule?: string;
  retryLimit?: number;
  /** Seconds before the first retry; doubled each time with `retryBackoff`. */
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Jobs handled at once per process. */
  concurrency?: number;
}

export interface JobQueue {
  /** Sends a job inside the given transaction: it exists only if the transaction commits. */
  enqueue<T extends object>(trx: DB, name: string, data: T, options?: { singletonKey?: string; startAfter?: Date | number }): Promise<string | null>;
  /** Sends a job now (outside any transaction). */
  send<T extends object>(name: string, data: T): Promise<string | null>;
  /** The job's state, for tests and the admin's delivery view. */
  state(name: string, id: string): Promise<{ state: string; retryCount: number } | null>;
  stop(): Promise<void>;
}

/** pg-boss statements through the app's own pool (PGlite has one connection; it must be shared). */
function poolAdapter(handle: DatabaseHandle) {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result = await handle.pool.query(text, values as unknown[] | undefined);
      // A multi-statement text answers with one result per statement.
      const results = Array.isArray(result) ? result : [result];
      return { rows: results.flatMap((r: { rows?: unknown[] }) => r.rows ?? []) };
    },
  };
}

/** pg-boss statements inside one of our Kysely transactions. */
function transactionAdapter(trx: DB) {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: [...result.rows] };
    },
  };
}

let processQueue: JobQueue | null = null;

/** The process's queue (commands enqueue through it); started by the server, a script or a test. */
export function jobQueue(): JobQueue {
  if (!processQueue) throw new Error("the job queue is not started (startJobQueue)");
  return processQueue;
}

export interface StartOptions {
  /** Handle jobs in this process (the server and tests that run jobs: yes; a one-off script: no). */
  work: boolean;
  /** Take part in sending scheduled jobs (every server process may: pg-boss sends each slot once). */
  schedule: boolean;
  /** Seconds between polls for new jobs (tests use less). */
  pollingIntervalSeconds?: number;
  cronMonitorIntervalSeconds?: number;
  /** Make this the process's queue for `jobQueue()` (default true). */
  register?: boolean;
  onError?: (error: unknown) => void;
}

function newBoss(handle: DatabaseHandle, extra: Record<string, unknown>) {
  return new PgBoss({
    db: poolAdapter(handle),
    backend: handle.kind === "pglite" ? "pglite" : "postgres",
    schema: "pgboss",
    registerInstance: false,
    openTelemetry: { enabled: false },
    ...extra,
  });
}

/**
 * Creates or upgrades pg-boss's own schema and our queues. Runs where
 * migrations run (the owner role). An app role that only serves (`owner:
 * false`) checks instead that everything is installed, and refuses to start
 * otherwise, since it may not create tables.
 */
export async function migrateJobQueue(handle: DatabaseHandle, definitions: JobDefinition[], options: { owner?: boolean } = {}): Promise<void> {
  if (options.owner === false) {
    const check = newBoss(handle, { migrate: false, createSchema: false, supervise: false, schedule: false });
    check.on("error", () => undefined);
    await check.start();
    try {
      const missing = [];
      for (const d of definitions) if (!(await check.getQueue(d.name))) missing.push(d.name);
      if (missing.length) {
        throw new Error(`The job queue is not set up (missing queues: ${missing.join(", ")}). Migrate as the owner role: set MIGRATION_DATABASE_URL, or run \`npm run db:migrate\` with it.`);
      }
    } finally {
      await check.stop({ graceful: false, close: false });
    }
    return;
  }
  const boss = newBoss(handle, { migrate: true, createSchema: true, supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
  try {
    for (const d of definitions) {
      const options = queueOptions(d);
      const existing = await boss.getQueue(d.name);
      if (existing) await boss.updateQueue(d.name, options);
      else await boss.createQueue(d.name, options);
    }
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}

const queueOptions = (d: JobDefinition) => ({
  retryLimit: d.retryLimit ?? 5,
  retryDelay: d.retryDelay ?? 30,
  retryBackoff: d.retryBackoff ?? true,
  expireInSeconds: d.expireInSeconds ?? 300,
});

/** Starts the queue over the app's database: workers for every definition, and their schedules. */
export async function startJobQueue(handle: DatabaseHandle, definitions: JobDefinition[], options: StartOptions): Promise<JobQueue> {
  const boss = newBoss(handle, {
    migrate: false,
    createSchema: false,
    supervise: options.work,
    schedule: options.schedule,
    reindex: false,
    ...(options.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds, cronWorkerIntervalSeconds: options.cronMonitorIntervalSeconds } : {}),
  });
  const onError = options.onError ?? ((error: unknown) => console.error("job queue:", error));
  boss.on("error", onError);
  await boss.start();

  if (options.work) {
    for (const d of definitions) {
      await boss.work<object>(
        d.name,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2, batchSize: 1, localConcurrency: d.concurrency ?? 1 },
        async ([job]: Job<object>[]) => {
          if (job) await d.handler(handle.db, job.data, { id: job.id, retryCount: job.retryCount });
        },
      );
    }
  }
  if (options.schedule) {
    for (const d of definitions) if (d.schedule) await boss.schedule(d.name, d.schedule, {}, { tz: "UTC" });
  }

  const queue: JobQueue = {
    enqueue: (trx, name, data, opts) => boss.send(name, data, { ...opts, db: transactionAdapter(trx) }),
    send: (name, data) => boss.send(name, data),
    state: async (name, id) => {
      const job = await boss.getJobById(name, id);
      return job ? { state: job.state, retryCount: job.retryCount } : null;
    },
    stop: async () => {
      if (processQueue === queue) processQueue = null;
      await boss.stop({ graceful: true, close: false, timeout: 5_000 });
    },
  };
  if (options.register ?? true) processQueue = queue;
  return queue;
}
