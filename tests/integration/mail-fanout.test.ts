import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { SEND_MAIL_JOB } from "../../app/models/mail/mail.server";
import { mailNotifications, NOTIFY_JOB } from "../../app/models/mail/notify.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { addFollowers } from "../support/followers";

let t: TestDatabase;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
});

const count = async (query: ReturnType<typeof sql<{ n: string }>>) => Number((await query.execute(t.db)).rows[0]!.n);

describe("fan-out", () => {
  it("a status change on an idea with 10,000 followers commits without a single mail; the job queues one keyed delivery each, once", async () => {
    const pm = await makeMember(t.db, { role: "product_manager" });
    const author = await makeMember(t.db);
    const idea = await makeIdea(t.db, author, { title: "Ten thousand people want this" });
    await addFollowers(t.db, idea.id, 10_000);

    const started = performance.now();
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "Coming soon." });
    const commitMs = performance.now() - started;
    const event = await t.db.selectFrom("events").select("id").where("type", "=", "idea.status_changed").where("idea_id", "=", idea.id).executeTakeFirstOrThrow();
    // The change committed with its 10,001 in-app notifications and one job, and no mail at all.
    expect(await count(sql`select count(*) as n from notifications where event_id = ${event.id}`)).toBe(10_001);
    expect(await count(sql`select count(*) as n from mail_deliveries where event_id = ${event.id}`)).toBe(0);
    expect(await count(sql`select count(*) as n from pgboss.job where name = ${NOTIFY_JOB} and data->'eventIds' ? ${String(event.id)}`)).toBe(1);
    console.log(`status change with 10,000 followers committed in ${commitMs.toFixed(0)} ms`);

    const fanStart = performance.now();
    const queued = await mailNotifications(t.db, [String(event.id)]);
    const fanMs = performance.now() - fanStart;
    console.log(`fan-out of 10,001 mails queued in ${fanMs.toFixed(0)} ms`);
    expect(queued).toBe(10_001);
    expect(await count(sql`select count(*) as n from mail_deliveries where event_id = ${event.id} and state = 'queued'`)).toBe(10_001);
    expect(await count(sql`select count(*) as n from pgboss.job where name = ${SEND_MAIL_JOB}`)).toBeGreaterThanOrEqual(Math.ceil(10_001 / 25));
    // A retried fan-out job queues nothing more.
    expect(await mailNotifications(t.db, [String(event.id)])).toBe(0);
    expect(await count(sql`select count(*) as n from mail_deliveries where event_id = ${event.id}`)).toBe(10_001);
  }, 120_000);
});
