import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import * as exportRoute from "../../app/routes/cohorts.$cohortId_.export[.]csv";
import * as recordRoute from "../../app/routes/members.$handle_.record";
import * as cohortsRoute from "../../app/routes/cohorts._index";
import * as cohortRoute from "../../app/routes/cohorts.$cohortId";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import { getThread } from "../../app/models/discussion/comments.server";
import { cohortMembers, cohortSize, deliverCohortMessage, getCohortMessage, messageCohort, saveCohort } from "../../app/models/listening/cohorts.server";
import { commentOnBehalf, getMemberRecord, listSharedInteractions, logInteraction, setStaffMessages, voteOnBehalf } from "../../app/models/listening/record.server";
import type { CohortCriterion } from "../../app/models/listening/listening";
import { listNotifications } from "../../app/models/notifications/notifications.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { setIdeaTags } from "../../app/models/triage/triage.server";
import { castVote } from "../../app/models/votes/votes.server";
import { addComment } from "../../app/models/discussion/comments.server";
import { DomainError } from "../../app/models/shared/errors";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";
import { databaseSnapshot } from "../support/snapshot";

let t: TestDatabase;
let pm: TestMember;
let moderator: TestMember;
let customer: TestMember;
let other: TestMember;

const refusal = async (work: Promise<unknown>) => {
  const error = await work.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

const when = new Date("2026-11-30T15:00:00Z");

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await makeMember(t.db, { role: "product_manager", displayName: "Pat Product" });
  moderator = await makeMember(t.db, { role: "moderator", displayName: "Mo Derator" });
  customer = await makeMember(t.db, { displayName: "Casey Customer" });
  other = await makeMember(t.db, { displayName: "Olive Other" });
});

describe("interactions on the member record", () => {
  it("the product team logs an interaction; it is on the record with who logged it, linked ideas, private by default", async () => {
    const idea = await makeIdea(t.db, other, { title: "Mobile ordering for pickup" });
    const logged = await logInteraction(t.db, pm, {
      memberId: customer.id, channel: "phone", happenedAt: when, summary: "Called about **pickup**. <script>alert(1)</script>",
      ideaIds: [idea.id], shared: false, correctsId: null,
    });
    const record = await getMemberRecord(t.db, pm, customer.handle, { kind: "interaction" });
    expect(record.entries).toHaveLength(1);
    const entry = record.entries[0]!;
    expect(entry.type).toBe("interaction.logged");
    expect(entry.actor?.name).toBe("Pat Product");
    expect(entry.interaction).toMatchObject({ id: logged.id, channel: "phone", shared: false, ideas: [{ id: idea.id, title: "Mobile ordering for pickup" }] });
    expect(entry.interaction!.summaryHtml).toContain("<strong>pickup</strong>");
    expect(entry.interaction!.summaryHtml).not.toContain("<script");
    // A title moderation hid stays hidden from a product manager (who may not see hidden posts).
    await t.db.updateTable("ideas").set({ moderation: "hidden" }).where("id", "=", idea.id).execute();
    const hidden = await getMemberRecord(t.db, pm, customer.handle, { kind: "interaction" });
    expect(hidden.entries[0]!.interaction!.ideas).toEqual([{ id: idea.id, title: "an idea hidden by moderation" }]);
    await t.db.updateTable("ideas").set({ moderation: "visible" }).where("id", "=", idea.id).execute();
    // Private: the member sees nothing of it.
    expect(await listSharedInteractions(t.db, customer, customer.id)).toEqual([]);
    // The staff action is in the log with its actor and role (the audit log lists it).
    const event = await t.db.selectFrom("events").select(["actor_id", "actor_role", "member_id"]).where("type", "=", "interaction.logged").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(event).toEqual({ actor_id: pm.id, actor_role: "product_manager", member_id: customer.id });
  });

  it("a correction is a new entry naming the one it corrects; the original stays as it was", async () => {
    const first = await logInteraction(t.db, pm, { memberId: customer.id, channel: "store", happenedAt: when, summary: "Visited Pier 3.", ideaIds: [], shared: true, correctsId: null });
    const fix = await logInteraction(t.db, pm, { memberId: customer.id, channel: "store", happenedAt: when, summary: "Visited Pier 4, not 3.", ideaIds: [], shared: true, correctsId: first.id });
    const rows = await t.db.selectFrom("interactions").select(["id", "summary", "corrects_id"]).where("id", "in", [first.id, fix.id]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: first.id, summary: "Visited Pier 3.", corrects_id: null },
      { id: fix.id, summary: "Visited Pier 4, not 3.", corrects_id: first.id },
    ]);
    // Shared entries are visible to the member, on their own page only.
    expect((await listSharedInteractions(t.db, customer, customer.id)).map((i) => i.id)).toEqual([fix.id, first.id]);
    expect(await listSharedInteractions(t.db, other, customer.id)).toEqual([]);
    // A correction must name an entry of this member's record.
    const otherEntry = await logInteraction(t.db, pm, { memberId: other.id, channel: "email", happenedAt: when, summary: "Wrote in.", ideaIds: [], shared: false, correctsId: null });
    expect((await refusal(logInteraction(t.db, pm, { memberId: customer.id, channel: "email", happenedAt: when, summary: "x", ideaIds: [], shared: false, correctsId: otherEntry.id }))).status).toBe(400);
  });

  it("refuses members and moderators, changing nothing; moderators read only the moderation side of a record", async () => {
    const before = await databaseSnapshot(t.db);
    for (const who of [customer, moderator]) {
      expect((await refusal(logInteraction(t.db, who, { memberId: other.id, channel: "phone", happenedAt: when, summary: "Sneaky", ideaIds: [], shared: true, correctsId: null }))).status).toBe(403);
    }
    expect((await refusal(voteOnBehalf(t.db, moderator, { memberId: other.id, ideaId: 1, value: 1, channel: "phone", happenedAt: when, note: "" }))).status).toBe(403);
    expect(await databaseSnapshot(t.db)).toEqual(before);
    expect((await refusal(getMemberRecord(t.db, customer, other.handle))).status).toBe(404);
    expect((await refusal(getMemberRecord(t.db, null, other.handle))).status).toBe(403);
    const asModerator = await getMemberRecord(t.db, moderator, customer.handle);
    expect(asModerator.kinds).toEqual(["idea", "comment", "flag", "moderation"]);
    expect(asModerator.entries.filter((e) => e.kind === "interaction")).toEqual([]);
    expect(asModerator.member.email).toBeNull();
    expect((await refusal(getMemberRecord(t.db, moderator, customer.handle, { kind: "interaction" }))).status).toBe(403);
  });

  it("the record is keyset-paginated newest first, filterable by kind; a forged cursor is a 400 on the page", async () => {
    const member = await makeMember(t.db, { displayName: "Busy Bee" });
    const ideas = [];
    for (let i = 0; i < 18; i++) ideas.push(await makeIdea(t.db, other));
    for (const idea of ideas) await castVote(t.db, member, { ideaId: idea.id, value: 1 });
    const own = await makeIdea(t.db, member, { title: "Bee's own idea" });
    await postOfficialResponse(t.db, pm, { ideaId: own.id, toStatus: "planned", body: "We will." });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof getMemberRecord>> = await getMemberRecord(t.db, pm, member.handle, { cursor });
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    // 18 votes + 18 automatic follows + the idea posted, its follow, and its status change (by staff, about their idea).
    expect(seen).toHaveLength(18 * 2 + 3);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    const votes = await getMemberRecord(t.db, pm, member.handle, { kind: "vote" });
    expect(votes.entries.every((e) => e.type === "vote.cast")).toBe(true);
    expect(votes.entries).toHaveLength(18);
    const status = await getMemberRecord(t.db, pm, member.handle, { kind: "status" });
    expect(status.entries.map((e) => [e.type, e.actor?.name])).toEqual([["idea.status_changed", "Pat Product"]]);

    const pmCookie = await cookieFor(t.db, pm.id);
    const forged = await callRoute(recordRoute.loader, t.db, { path: `/members/${member.handle}/record?after=bm9wZQ`, params: { handle: member.handle }, cookie: pmCookie });
    expect(forged.status).toBe(400);
    const badKind = await callRoute(recordRoute.loader, t.db, { path: `/members/${member.handle}/record?kind=secrets`, params: { handle: member.handle }, cookie: pmCookie });
    expect(badKind.status).toBe(400);
    const asMember = await callRoute(recordRoute.loader, t.db, { path: `/members/${member.handle}/record`, params: { handle: member.handle }, cookie: await cookieFor(t.db, member.id) });
    expect(asMember.status).toBe(404);
  });

  it("the logging form answers bad input with 400 and the field's message", async () => {
    const cookie = await cookieFor(t.db, pm.id);
    const post = (form: Record<string, string>) => callRoute(recordRoute.action, t.db, { path: `/members/${customer.handle}/record`, params: { handle: customer.handle }, form, cookie });
    const future = await post({ intent: "log-interaction", channel: "phone", happenedAt: "2999-01-01T10:00", summary: "Hi" });
    expect(future.status).toBe(400);
    expect(future.data.fieldErrors.happenedAt).toMatch(/future/);
    const channel = await post({ intent: "log-interaction", channel: "carrier-pigeon", happenedAt: "2026-11-01T10:00", summary: "Hi" });
    expect(channel.data.fieldErrors.channel).toBeTruthy();
    const ideas = await post({ intent: "log-interaction", channel: "phone", happenedAt: "2026-11-01T10:00", summary: "Hi", ideas: "999999" });
    expect(ideas.status).toBe(400);
    expect(ideas.data.fieldErrors.ideas).toMatch(/999999/);
    const ok = await post({ intent: "log-interaction", channel: "event", happenedAt: "2026-11-01T10:00", summary: "Met at the tasting." });
    expect(ok.status).toBe(302);
    const asMember = await callRoute(recordRoute.action, t.db, { path: `/members/${other.handle}/record`, params: { handle: other.handle }, form: { intent: "log-interaction", channel: "event", happenedAt: "2026-11-01T10:00", summary: "x" }, cookie: await cookieFor(t.db, customer.id) });
    expect(asMember.status).toBe(403);
  });
});

describe("votes and comments on a member's behalf", () => {
  it("a vote recorded from a phone call counts as the member's, marked, in the log with both actors, and the member is told", async () => {
    const idea = await makeIdea(t.db, other, { title: "Oat milk at no charge" });
    await voteOnBehalf(t.db, pm, { memberId: customer.id, ideaId: idea.id, value: 1, channel: "phone", happenedAt: when, note: "" });
    const row = await t.db.selectFrom("ideas").select(["up_count", "score"]).where("id", "=", idea.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ up_count: 1, score: 1 });
    expect(await t.db.selectFrom("votes").select(["member_id", "value", "logged_by", "channel"]).where("idea_id", "=", idea.id).execute())
      .toEqual([{ member_id: customer.id, value: 1, logged_by: pm.id, channel: "phone" }]);
    const vote = await t.db.selectFrom("events").select(["actor_id", "data"]).where("type", "=", "vote.cast").where("idea_id", "=", idea.id).executeTakeFirstOrThrow();
    expect(vote.actor_id).toBe(customer.id);
    expect((vote.data as { onBehalf: { staffId: number; channel: string } }).onBehalf).toMatchObject({ staffId: pm.id, channel: "phone" });
    const told = await listNotifications(t.db, customer.id);
    expect(told.items[0]!.text).toBe("Pat Product recorded your vote on “Oat milk at no charge” for you, from a phone call.");

    // The idea page says how many of its votes staff logged.
    const page = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) } });
    expect(page.data.idea.logged_votes).toBe(1);
    // The member's one vote: the same vote again is a 409 and leaves nothing behind (no second interaction).
    const interactions = await t.db.selectFrom("interactions").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
    expect((await refusal(voteOnBehalf(t.db, pm, { memberId: customer.id, ideaId: idea.id, value: 1, channel: "email", happenedAt: when, note: "" }))).status).toBe(409);
    expect(await t.db.selectFrom("interactions").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).toEqual(interactions);
    // Their own click later makes it their own again.
    await castVote(t.db, customer, { ideaId: idea.id, value: -1 });
    expect(await t.db.selectFrom("votes").select(["value", "logged_by"]).where("idea_id", "=", idea.id).execute()).toEqual([{ value: -1, logged_by: null }]);
  });

  it("the member's rules hold: no vote on a closed idea, and not for oneself", async () => {
    const idea = await makeIdea(t.db, other);
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "declined", body: "Not now." });
    expect((await refusal(voteOnBehalf(t.db, pm, { memberId: customer.id, ideaId: idea.id, value: 1, channel: "phone", happenedAt: when, note: "" }))).status).toBe(409);
    expect((await refusal(voteOnBehalf(t.db, pm, { memberId: pm.id, ideaId: idea.id, value: 1, channel: "phone", happenedAt: when, note: "" }))).status).toBe(409);
  });

  it("a comment posted on the member's behalf is theirs, marked on the idea with who logged it and from where", async () => {
    const idea = await makeIdea(t.db, other, { title: "Longer hours at Pier 4" });
    const comment = await commentOnBehalf(t.db, pm, { memberId: customer.id, ideaId: idea.id, body: "Please open at 6.", channel: "store", happenedAt: when });
    const [node] = await getThread(t.db, null, idea.id);
    expect(node).toMatchObject({ id: comment.id, authorName: "Casey Customer", loggedBy: { name: "Pat Product", channel: "store" } });
    expect((await t.db.selectFrom("ideas").select("comment_count").where("id", "=", idea.id).executeTakeFirstOrThrow()).comment_count).toBe(1);
    const told = await listNotifications(t.db, customer.id);
    expect(told.items[0]!.text).toBe("Pat Product posted your comment on “Longer hours at Pier 4” for you, from a store visit.");
    // The idea's author hears of it as any comment.
    expect((await listNotifications(t.db, other.id)).items[0]!.text).toBe("Casey Customer commented on your idea “Longer hours at Pier 4”.");
  });
});

describe("cohorts", () => {
  let mobile: number;
  let a: TestMember, b: TestMember, c: TestMember, d: TestMember;
  const cohortMember = (n: string) => makeMember(t.db, { displayName: `${n} Cohort` });
  let ideas: { id: number }[];
  let adoptedIdea: { id: number };

  beforeAll(async () => {
    await t.db.insertInto("tags").values([{ slug: "mobile", name: "mobile" }]).execute();
    mobile = (await t.db.selectFrom("tags").select("id").where("slug", "=", "mobile").executeTakeFirstOrThrow()).id;
    [a, b, c, d] = [await cohortMember("Ada"), await cohortMember("Bo"), await cohortMember("Cy"), await cohortMember("Di")];
    ideas = [await makeIdea(t.db, other), await makeIdea(t.db, other), await makeIdea(t.db, other)];
    for (const idea of ideas) await setIdeaTags(t.db, pm, { ideaId: idea.id, tags: ["mobile"] });
    await castVote(t.db, a, { ideaId: ideas[0]!.id, value: 1 });
    await castVote(t.db, a, { ideaId: ideas[1]!.id, value: 1 });
    await castVote(t.db, b, { ideaId: ideas[0]!.id, value: 1 });
    await castVote(t.db, c, { ideaId: ideas[0]!.id, value: -1 });
    await castVote(t.db, c, { ideaId: ideas[1]!.id, value: -1 });
    await castVote(t.db, d, { ideaId: ideas[0]!.id, value: 1 });
    await castVote(t.db, d, { ideaId: ideas[2]!.id, value: 1 });
    await addComment(t.db, d, { ideaId: ideas[2]!.id, body: "Yes please", parentId: null });
    adoptedIdea = await makeIdea(t.db, d);
    await postOfficialResponse(t.db, pm, { ideaId: adoptedIdea.id, toStatus: "adopted", body: "Done!" });
  });

  const ids = async (criteria: CohortCriterion[]) => (await cohortMembers(t.db, pm, criteria)).items.map((m) => m.id);

  it("finds members by behaviour, each condition alone and combined with AND", async () => {
    const twoMobile: CohortCriterion = { kind: "voted_tag", tagId: mobile, min: 2 };
    expect(await ids([twoMobile])).toEqual([a.id, d.id].sort((x, y) => x - y));
    expect(await cohortSize(t.db, pm, [twoMobile])).toBe(2);
    expect(await ids([{ kind: "supporters", ideaId: ideas[0]!.id }])).toEqual([a.id, b.id, d.id].sort((x, y) => x - y));
    const general = (await t.db.selectFrom("categories").select("id").where("slug", "=", "general").executeTakeFirstOrThrow()).id;
    expect(await ids([{ kind: "commented_category", categoryId: general, days: 7 }])).toContain(d.id);
    expect(await ids([twoMobile, { kind: "adopted_authors" }])).toEqual([d.id]);
    expect(await cohortSize(t.db, pm, [twoMobile, { kind: "supporters", ideaId: ideas[1]!.id }])).toBe(1);
  });

  it("pages its members by keyset", async () => {
    const criteria: CohortCriterion[] = [{ kind: "supporters", ideaId: ideas[0]!.id }];
    const first = await cohortMembers(t.db, pm, criteria, null, 2);
    const second = await cohortMembers(t.db, pm, criteria, first.nextCursor, 2);
    expect([...first.items, ...second.items].map((m) => m.id)).toEqual([a.id, b.id, d.id].sort((x, y) => x - y));
    expect(second.nextCursor).toBeNull();
  });

  it("only the product team builds cohorts; the builder answers bad input with a message, not a 500", async () => {
    for (const who of [customer, moderator]) expect((await refusal(cohortSize(t.db, who, [{ kind: "adopted_authors" }]))).status).toBe(403);
    const cookie = await cookieFor(t.db, pm.id);
    const bad = await callRoute(cohortsRoute.loader, t.db, { path: "/cohorts?tag=abc&min=-3", cookie });
    expect(bad.status).toBe(200);
    expect(bad.data.fieldErrors.tag ?? bad.data.fieldErrors.min).toBeTruthy();
    const unknown = await callRoute(cohortsRoute.loader, t.db, { path: "/cohorts?tag=999999", cookie });
    expect(unknown.data.fieldErrors.tag).toMatch(/tag/);
    const ok = await callRoute(cohortsRoute.loader, t.db, { path: `/cohorts?tag=${mobile}&min=2`, cookie });
    expect(ok.data.preview.size).toBe(2);
    expect(ok.data.preview.description).toEqual(["voted for at least 2 ideas tagged “mobile”"]);
    const asMember = await callRoute(cohortsRoute.loader, t.db, { path: "/cohorts", cookie: await cookieFor(t.db, customer.id) });
    expect(asMember.status).toBe(403);
  });

  it("exports a saved cohort as streamed CSV, escaped and defused against formulas", async () => {
    await t.db.updateTable("members").set({ display_name: '=HYPERLINK("http://evil.example","x")' }).where("id", "=", a.id).execute();
    await t.db.updateTable("members").set({ display_name: "Bo, \"the\" barista" }).where("id", "=", b.id).execute();
    await t.db.updateTable("members").set({ display_name: "@Di -2+3" }).where("id", "=", d.id).execute();
    const cohort = await saveCohort(t.db, pm, { name: "Backers of the first mobile idea", criteria: [{ kind: "supporters", ideaId: ideas[0]!.id }] });
    const res = await callRoute(exportRoute.loader, t.db, { path: `/cohorts/${cohort.id}/export.csv`, params: { cohortId: String(cohort.id) }, cookie: await cookieFor(t.db, pm.id) });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="cohort-\d+-backers-of-the-first-mobile-idea\.csv"$/);
    const lines = (res.data as string).split("\r\n");
    expect(lines[0]).toBe("member_id,handle,display_name,email,joined_at,accepts_staff_messages");
    expect(lines).toHaveLength(5);
    const byId = (id: number) => lines.find((l) => l.startsWith(`${id},`))!;
    expect(byId(a.id)).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(byId(b.id)).toContain(`,"Bo, ""the"" barista",`);
    expect(byId(d.id)).toContain(",'@Di -2+3,");
    const asModerator = await callRoute(exportRoute.loader, t.db, { path: `/cohorts/${cohort.id}/export.csv`, params: { cohortId: String(cohort.id) }, cookie: await cookieFor(t.db, moderator.id) });
    expect(asModerator.status).toBe(403);
  });

  it("messages a cohort through a job: nothing in the request, each member once, opted-out members left out", async () => {
    const cohort = await saveCohort(t.db, pm, { name: "Mobile backers", criteria: [{ kind: "supporters", ideaId: ideas[0]!.id }] });
    await setStaffMessages(t.db, b, false);
    const jobsBefore = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'deliver-cohort-message'`.execute(t.db);
    const message = await messageCohort(t.db, pm, { cohortId: cohort.id, subject: "Mobile ordering is coming", body: "Thanks for *backing* it." });
    const jobsAfter = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'deliver-cohort-message'`.execute(t.db);
    expect(jobsAfter.rows[0]!.n).toBe(jobsBefore.rows[0]!.n + 1);
    const event = await t.db.selectFrom("events").select(["id"]).where("type", "=", "cohort.messaged").orderBy("id", "desc").executeTakeFirstOrThrow();
    const recipients = () => t.db.selectFrom("notifications").select("member_id").where("event_id", "=", String(event.id)).orderBy("member_id").execute();
    expect(await recipients()).toEqual([]);

    await deliverCohortMessage(t.db, { messageId: message.id, eventId: String(event.id) });
    expect((await recipients()).map((r) => r.member_id)).toEqual([a.id, d.id].sort((x, y) => x - y));
    // A retried job adds nothing.
    await t.db.updateTable("cohort_messages").set({ delivered_through: 0 }).where("id", "=", message.id).execute();
    await sql`update cohort_messages set finished_at = null where id = ${message.id}`.execute(t.db);
    await deliverCohortMessage(t.db, { messageId: message.id, eventId: String(event.id) });
    expect((await recipients()).map((r) => r.member_id)).toEqual([a.id, d.id].sort((x, y) => x - y));
    // Each recipient is mailed once too (confirmed addresses, "e-mail at once" by default), retry or not.
    const mails = await t.db.selectFrom("mail_deliveries").select(["member_id", "kind", "subject"]).where("key", "like", `cohort-message:${message.id}:%`).orderBy("member_id").execute();
    expect(mails).toEqual([a.id, d.id].sort((x, y) => x - y).map((id) => ({ member_id: id, kind: "staff_message", subject: "Mobile ordering is coming" })));

    expect((await listNotifications(t.db, a.id)).items[0]!.text).toBe("Message from Pat Product: Mobile ordering is coming");
    // The page's form: 302 with a job, 400 with the field's message, 403 for a member.
    const cookie = await cookieFor(t.db, pm.id);
    const send = (form: Record<string, string>, who = cookie) => callRoute(cohortRoute.action, t.db, { path: `/cohorts/${cohort.id}`, params: { cohortId: String(cohort.id) }, form, cookie: who });
    expect((await send({ intent: "message", subject: "Second note", body: "Hello again" })).status).toBe(302);
    const empty = await send({ intent: "message", subject: "", body: "Hello" });
    expect(empty.status).toBe(400);
    expect(empty.data.fieldErrors.subject).toBe("Subject is required.");
    expect((await send({ intent: "message", subject: "Hi", body: "x" }, await cookieFor(t.db, customer.id))).status).toBe(403);
    expect((await getCohortMessage(t.db, a, message.id)).body_html).toContain("<em>backing</em>");
    expect((await refusal(getCohortMessage(t.db, b, message.id))).status).toBe(404);
    expect((await refusal(messageCohort(t.db, moderator, { cohortId: cohort.id, subject: "x", body: "y" }))).status).toBe(403);
  });
});
