// `npx tsx tests/bench/mail-fanout.ts [--followers 10000]`: what e-mail costs when an idea
// with many followers changes status (docs/decisions/014). On a fresh embedded PGlite in
// tests/.tmp (or on PostgreSQL with BENCH_DATABASE_URL, a database it may fill), with a real
// SMTP sink (smtp-server) on a local port. Reports: how long the status change takes to commit,
// how long the fan-out job takes to queue one delivery per follower, and how many mails per
// second reach the sink through the send-mail jobs. Asserts nothing; a couple of minutes.
import { rmSync } from "node:fs";
import { sql } from "kysely";
import { migrateAndGrant } from "../../db/migrate";
import { openDatabase } from "../../app/lib/db.server";
import { closeMail, configureMail } from "../../app/lib/mail.server";
import { startJobQueue } from "../../app/lib/queue.server";
import { JOBS } from "../../app/models/jobs.server";
import { NOTIFY_JOB } from "../../app/models/mail/notify.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { addFollowers } from "../support/followers";
import { startSmtp } from "../support/smtp";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FOLLOWERS = arg("followers", 10_000);
const DIR = "tests/.tmp/bench-mail-pglite";

const url = process.env.BENCH_DATABASE_URL;
if (!url) rmSync(DIR, { recursive: true, force: true });
const handle = await openDatabase(url ? { url, poolSize: 10 } : { dataDir: DIR });
await migrateAndGrant(handle);
const smtp = await startSmtp();
configureMail({ smtpUrl: smtp.url, siteUrl: "http://localhost:3000", production: false });

// A queue that enqueues only, so the fan-out can be timed on its own first.
const enqueuer = await startJobQueue(handle, JOBS, { work: false, schedule: false });
const db = handle.db;
await ensureCategory(db);
const pm = await makeMember(db, { role: "product_manager" });
const author = await makeMember(db);
const idea = await makeIdea(db, author, { title: "An idea ten thousand people follow" });
await addFollowers(db, idea.id, FOLLOWERS);

const t0 = performance.now();
await postOfficialResponse(db, pm, { ideaId: idea.id, toStatus: "planned", body: "It is planned." });
const commitMs = performance.now() - t0;
const event = await db.selectFrom("events").select("id").where("type", "=", "idea.status_changed").where("idea_id", "=", idea.id).executeTakeFirstOrThrow();
const expected = FOLLOWERS + 1; // the followers and the author

// Now work the jobs in this process, as a server would (2 send jobs at once, as configured).
const t1 = performance.now();
const worker = await startJobQueue(handle, JOBS, { work: true, schedule: false, pollingIntervalSeconds: 0.5, register: false });
const count = async () => Number((await sql<{ n: string }>`select count(*) as n from mail_deliveries where event_id = ${event.id}`.execute(db)).rows[0]!.n);
let fanOutMs = 0;
while (performance.now() - t1 < 600_000) {
  const done = (await sql<{ n: string }>`select count(*) as n from pgboss.job where name = ${NOTIFY_JOB} and state = 'completed'`.execute(db)).rows[0]!.n;
  if (Number(done) > 0 && (await count()) >= expected) {
    fanOutMs = performance.now() - t1;
    break;
  }
  await new Promise((r) => setTimeout(r, 50));
}
let firstMailAt = 0;
while (smtp.messages.length < expected && performance.now() - t1 < 600_000) {
  if (!firstMailAt && smtp.messages.length) firstMailAt = performance.now();
  await new Promise((r) => setTimeout(r, 50));
}
const allMs = performance.now() - t1;
const sendSeconds = (performance.now() - (firstMailAt || t1)) / 1000;
const sent = Number((await sql<{ n: string }>`select count(*) as n from mail_deliveries where event_id = ${event.id} and state = 'sent'`.execute(db)).rows[0]!.n);

console.log(`
| measure (${handle.kind}, ${FOLLOWERS.toLocaleString("en")} followers) | value |
|---|---|
| status change committed (in-app notifications for everyone, one mail job) | ${commitMs.toFixed(0)} ms |
| fan-out job: one keyed delivery per follower queued, from the worker's start | ${(fanOutMs / 1000).toFixed(1)} s |
| mails received by the SMTP sink | ${smtp.messages.length.toLocaleString("en")} of ${expected.toLocaleString("en")} (deliveries sent: ${sent.toLocaleString("en")}) |
| from the worker's start to the last mail | ${(allMs / 1000).toFixed(1)} s |
| mails per second reaching the sink (first to last mail) | ${(smtp.messages.length / sendSeconds).toFixed(0)} |
`);

await worker.stop();
await enqueuer.stop();
closeMail();
await smtp.close();
await handle.close();
