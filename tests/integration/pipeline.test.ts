import { beforeAll, describe, expect, it } from "vitest";
import type { IdeaStatus } from "../../db/schema";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as staffRoute from "../../app/routes/ideas.$ideaId_.staff";
import { setFollowing } from "../../app/models/following/follows.server";
import { listResponses, postOfficialResponse, reviveDueIdeas } from "../../app/models/pipeline/responses.server";
import { castVote } from "../../app/models/votes/votes.server";
import { onPostgres, useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let pm: Member;
let pmCookie: string;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  pm = await makeMember(t.db, { role: "product_manager", displayName: "Pat the PM" });
  pmCookie = await cookieFor(t.db, pm.id);
});

const DAY = 86_400_000;
/** A calendar day (YYYY-MM-DD) `days` from today, in UTC like the app. */
const dayFromToday = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

const staff = (ideaId: number, form: Record<string, string>, cookie = pmCookie) =>
  callRoute(staffRoute.action, t.db, { path: `/ideas/${ideaId}/staff`, params: { ideaId: String(ideaId) }, form, cookie });

async function ideaRow(ideaId: number) {
  return t.db
    .selectFrom("ideas")
    .select(["status", "status_changed_at", "first_response_at", "revisit_on", "updated_at", "score", "up_count", "down_count"])
    .where("id", "=", ideaId)
    .executeTakeFirstOrThrow();
}

async function responseRows(ideaId: number) {
  return t.db
    .selectFrom("official_responses")
    .select(["id", "author_id", "from_status", "to_status", "body", "body_html", "decline_reason", "revisit_on", "created_at"])
    .where("idea_id", "=", ideaId)
    .orderBy("id")
    .execute();
}

async function eventRows(ideaId: number, types: string[]) {
  return t.db
    .selectFrom("events")
    .select(["id", "type", "actor_id", "actor_role", "data"])
    .where("idea_id", "=", ideaId)
    .where("type", "in", types)
    .orderBy("id")
    .execute();
}

/** Every notification about an idea, as member id → kinds in order. */
async function notificationsByMember(ideaId: number) {
  const rows = await t.db
    .selectFrom("notifications")
    .innerJoin("events", "events.id", "notifications.event_id")
    .select(["notifications.member_id", "events.type as kind", "notifications.reason", "notifications.event_id", "notifications.actor_id"])
    .where("notifications.idea_id", "=", ideaId)
    .orderBy("notifications.id")
    .execute();
  const map = new Map<number, string[]>();
  for (const r of rows) map.set(r.member_id, [...(map.get(r.member_id) ?? []), r.kind]);
  return { rows, map };
}

async function counts(ideaId: number) {
  const [responses, events, notifications] = await Promise.all([
    t.db.selectFrom("official_responses").select((eb) => eb.fn.countAll<string>().as("n")).where("idea_id", "=", ideaId).executeTakeFirstOrThrow(),
    t.db.selectFrom("events").select((eb) => eb.fn.countAll<string>().as("n")).where("idea_id", "=", ideaId).executeTakeFirstOrThrow(),
    t.db.selectFrom("notifications").select((eb) => eb.fn.countAll<string>().as("n")).where("idea_id", "=", ideaId).executeTakeFirstOrThrow(),
  ]);
  return { responses: Number(responses.n), events: Number(events.n), notifications: Number(notifications.n) };
}

/**
 * An idea with an audience of every kind: a voter who unfollowed (voter
 * only), a follower who never voted, a member who voted and follows, and a
 * bystander; the PM has voted and follows too (and must hear nothing of
 * their own answers).
 */
async function ideaWithAudience() {
  const [author, voterOnly, followerOnly, voterAndFollower, bystander] = await Promise.all([
    makeMember(t.db, { displayName: "Author" }),
    makeMember(t.db, { displayName: "Voter only" }),
    makeMember(t.db, { displayName: "Follower only" }),
    makeMember(t.db, { displayName: "Voter and follower" }),
    makeMember(t.db, { displayName: "Bystander" }),
  ]);
  const idea = await makeIdea(t.db, author, { title: "Seasonal syrups all year round" });
  await castVote(t.db, voterOnly, { ideaId: idea.id, value: 1 });
  // Voting follows by default; this voter then unfollowed, but is still a voter.
  await setFollowing(t.db, voterOnly, { ideaId: idea.id, follow: false });
  await setFollowing(t.db, followerOnly, { ideaId: idea.id, follow: true });
  await castVote(t.db, voterAndFollower, { ideaId: idea.id, value: -1 });
  await setFollowing(t.db, voterAndFollower, { ideaId: idea.id, follow: true });
  await castVote(t.db, pm, { ideaId: idea.id, value: 1 });
  await setFollowing(t.db, pm, { ideaId: idea.id, follow: true });

  const follows = await t.db.selectFrom("idea_follows").select("member_id").where("idea_id", "=", idea.id).execute();
  const votes = await t.db.selectFrom("votes").select("member_id").where("idea_id", "=", idea.id).execute();
  // The set-up is what the test says it is.
  expect(new Set(follows.map((f) => f.member_id))).toEqual(new Set([author.id, followerOnly.id, voterAndFollower.id, pm.id]));
  expect(new Set(votes.map((v) => v.member_id))).toEqual(new Set([voterOnly.id, voterAndFollower.id, pm.id]));
  return { idea, author, voterOnly, followerOnly, voterAndFollower, bystander };
}

describe("answering an idea and moving it along the pipeline", () => {
  it("moves new → under review → (answer) → planned → adopted, recording responses, timestamps, events and notifications", async () => {
    const { idea, author, voterOnly, followerOnly, voterAndFollower, bystander } = await ideaWithAudience();
    expect(await ideaRow(idea.id)).toMatchObject({ status: "new", status_changed_at: null, first_response_at: null });

    const base = Date.now() - 10 * DAY;
    const t1 = new Date(base + 1 * DAY);
    const t2 = new Date(base + 2 * DAY);
    const t3 = new Date(base + 3 * DAY);
    const t4 = new Date(base + 4 * DAY);

    const r1 = await postOfficialResponse(t.db, pm, {
      ideaId: idea.id,
      toStatus: "under_review",
      body: "We are **looking** at it.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) or [read more](https://example.com/plan)",
      at: t1,
    });
    expect(r1).toMatchObject({ from: "new", to: "under_review" });
    expect(await ideaRow(idea.id)).toMatchObject({ status: "under_review", status_changed_at: t1, first_response_at: t1 });

    // An answer without a status change keeps the status and the time it last moved.
    const r2 = await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: null, body: "Still reviewing: _thanks_ for the votes.", at: t2 });
    expect(r2).toMatchObject({ from: "under_review", to: "under_review" });
    expect(await ideaRow(idea.id)).toMatchObject({ status: "under_review", status_changed_at: t1, first_response_at: t1 });

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "Planned for spring.", at: t3 });
    expect(await ideaRow(idea.id)).toMatchObject({ status: "planned", status_changed_at: t3, first_response_at: t1 });

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "adopted", body: "Now in every store.", at: t4 });
    expect(await ideaRow(idea.id)).toMatchObject({ status: "adopted", status_changed_at: t4, first_response_at: t1 });

    const rows = await responseRows(idea.id);
    expect(rows.map((r) => [r.from_status, r.to_status])).toEqual([
      ["new", "under_review"],
      ["under_review", "under_review"],
      ["under_review", "planned"],
      ["planned", "adopted"],
    ]);
    expect(rows.every((r) => r.author_id === pm.id)).toBe(true);
    expect(rows.map((r) => r.created_at)).toEqual([t1, t2, t3, t4]);
    expect(rows[0]!.body_html).toContain("<strong>looking</strong>");
    expect(rows[0]!.body_html).not.toMatch(/<script|alert\(1\)|onerror|<img|href="javascript/i);
    expect(rows[0]!.body_html).toContain('<a href="https://example.com/plan" rel="nofollow ugc noopener">read more</a>');
    expect(rows[0]!.body).toContain("**looking**"); // the source is kept as written
    expect(rows[1]!.body_html).toContain("<em>thanks</em>");
    expect(rows.every((r) => r.decline_reason === null && r.revisit_on === null)).toBe(true);

    // The public timeline reads the same rows, oldest first, with the PM's name.
    const timeline = await listResponses(t.db, idea.id);
    expect(timeline.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(timeline[0]).toMatchObject({ author_name: "Pat the PM", author_role: "product_manager" });

    const events = await eventRows(idea.id, ["idea.status_changed", "idea.responded"]);
    expect(events.map((e) => e.type)).toEqual(["idea.status_changed", "idea.responded", "idea.status_changed", "idea.status_changed"]);
    expect(events.every((e) => e.actor_id === pm.id && e.actor_role === "product_manager")).toBe(true);
    // A status change says from and to; an answer that keeps the status says which status it kept.
    expect(events.map((e) => [e.data.from ?? e.data.status, e.data.to ?? e.data.status, e.data.responseId])).toEqual(
      rows.map((r) => [r.from_status, r.to_status, r.id]),
    );

    const { rows: notes, map } = await notificationsByMember(idea.id);
    const expected = ["idea.status_changed", "idea.responded", "idea.status_changed", "idea.status_changed"];
    expect(map.get(author.id)).toEqual(expected); // authors follow their ideas
    expect(map.get(voterOnly.id)).toEqual(expected);
    expect(map.get(followerOnly.id)).toEqual(expected);
    expect(map.get(voterAndFollower.id)).toEqual(expected); // once per change, not once per reason
    expect(map.has(pm.id)).toBe(false);
    expect(map.has(bystander.id)).toBe(false);
    expect(notes).toHaveLength(4 * 4);
    // Each notification points at its event, and names the PM as the one who acted.
    expect(new Set(notes.map((n) => String(n.event_id)))).toEqual(new Set(events.map((e) => String(e.id))));
    expect(notes.every((n) => n.actor_id === pm.id)).toBe(true);
  });

  it("answers through the staff route with a redirect and a flash, notifying the audience once", async () => {
    const { idea, voterAndFollower } = await ideaWithAudience();
    const before = Date.now();
    const moved = await staff(idea.id, { intent: "respond", status: "planned", body: "On the **plan**.", declineReason: "", revisitOn: "" });
    expect(moved.status).toBe(302);
    expect(moved.headers.get("Location")).toBe(`/ideas/${idea.id}#official-response`);
    expect(moved.headers.get("Set-Cookie")).toContain("gs_flash=");
    const row = await ideaRow(idea.id);
    expect(row.status).toBe("planned");
    expect(row.first_response_at!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(row.status_changed_at).toEqual(row.first_response_at);

    const kept = await staff(idea.id, { intent: "respond", status: "keep", body: "More soon." });
    expect(kept.status).toBe(302);
    const after = await ideaRow(idea.id);
    expect(after).toMatchObject({ status: "planned", status_changed_at: row.status_changed_at, first_response_at: row.first_response_at });

    const { map } = await notificationsByMember(idea.id);
    expect(map.get(voterAndFollower.id)).toEqual(["idea.status_changed", "idea.responded"]);
    expect(map.has(pm.id)).toBe(false);

    // The idea page shows the answers to everyone.
    const page = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) } });
    expect(page.data.responses.map((r: { to_status: string }) => r.to_status)).toEqual(["planned", "planned"]);
    expect(page.data.responses[0].body_html).toContain("<strong>plan</strong>");
  });

  it("refuses moves the pipeline does not allow with 409 and changes nothing", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const adopted = await makeIdea(t.db, author);
    await castVote(t.db, voter, { ideaId: adopted.id, value: 1 });
    await postOfficialResponse(t.db, pm, { ideaId: adopted.id, toStatus: "adopted", body: "Done." });
    const declined = await makeIdea(t.db, author);
    await castVote(t.db, voter, { ideaId: declined.id, value: 1 });
    await postOfficialResponse(t.db, pm, { ideaId: declined.id, toStatus: "declined", body: "No.", declineReason: "not_planned" });
    const fresh = await makeIdea(t.db, author);
    await castVote(t.db, voter, { ideaId: fresh.id, value: 1 });

    const refusals: [number, IdeaStatus][] = [
      [adopted.id, "declined"],
      [adopted.id, "planned"],
      [adopted.id, "new"],
      [declined.id, "planned"],
      [declined.id, "adopted"],
      [declined.id, "in_progress"],
      [fresh.id, "duplicate"],
      [adopted.id, "duplicate"],
      [declined.id, "duplicate"],
    ];
    for (const [ideaId, to] of refusals) {
      const idea = await ideaRow(ideaId);
      const before = await counts(ideaId);
      await expect(
        postOfficialResponse(t.db, pm, { ideaId, toStatus: to as Exclude<IdeaStatus, "duplicate">, body: "Moving it." }),
        `${idea.status} → ${to}`,
      ).rejects.toMatchObject({ status: 409 });
      expect(await ideaRow(ideaId), `${idea.status} → ${to}`).toEqual(idea);
      expect(await counts(ideaId), `${idea.status} → ${to}`).toEqual(before);
    }

    // The same through the route: a 409 with the message on the status field.
    const beforeRoute = await counts(adopted.id);
    const rowBefore = await ideaRow(adopted.id);
    const res = await staff(adopted.id, { intent: "respond", status: "declined", body: "Changed our mind.", declineReason: "not_planned" });
    expect(res.status).toBe(409);
    expect(res.data.fieldErrors.status).toMatch(/cannot go from Adopted to Declined/);
    expect(await counts(adopted.id)).toEqual(beforeRoute);
    expect(await ideaRow(adopted.id)).toEqual(rowBefore);
    // "duplicate" is not a status one can answer with (only merging gets there).
    const dup = await staff(fresh.id, { intent: "respond", status: "duplicate", body: "Same as another." });
    expect(dup.status).toBe(400);
    expect(dup.data.fieldErrors.status).toBeTruthy();
    expect((await ideaRow(fresh.id)).status).toBe("new");
  });

  it("refuses votes on adopted and declined ideas with 409", async () => {
    const author = await makeMember(t.db);
    const voter = await makeMember(t.db);
    const voterCookie = await cookieFor(t.db, voter.id);
    for (const to of ["adopted", "declined"] as const) {
      const idea = await makeIdea(t.db, author);
      await castVote(t.db, voter, { ideaId: idea.id, value: 1 });
      await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: to, body: "Decided.", declineReason: to === "declined" ? "not_feasible" : null });
      const before = await ideaRow(idea.id);
      const res = await callRoute(ideaPage.action, t.db, {
        path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: voterCookie, form: { intent: "vote", value: "down" },
      });
      expect(res.status, to).toBe(409);
      expect(res.data.fieldErrors.form).toMatch(/Voting is closed/);
      await expect(castVote(t.db, voter, { ideaId: idea.id, value: 0 })).rejects.toMatchObject({ status: 409 });
      const votes = await t.db.selectFrom("votes").select(["member_id", "value"]).where("idea_id", "=", idea.id).execute();
      expect(votes).toEqual([{ member_id: voter.id, value: 1 }]);
      expect(await ideaRow(idea.id)).toEqual(before);
    }
  });
});

describe("declining with a date to revisit", () => {
  it("revives the idea on its date, once, with a timeline row, an event and notifications", async () => {
    const { idea, author, voterOnly, followerOnly, voterAndFollower, bystander } = await ideaWithAudience();
    const revisitOn = dayFromToday(30);
    const res = await staff(idea.id, {
      intent: "respond", status: "declined", body: "Not this year.", declineReason: "not_planned", revisitOn,
    });
    expect(res.status).toBe(302);
    const declined = await ideaRow(idea.id);
    expect(declined).toMatchObject({ status: "declined", revisit_on: revisitOn });
    const [decline] = await responseRows(idea.id);
    expect(decline).toMatchObject({ from_status: "new", to_status: "declined", decline_reason: "not_planned", revisit_on: revisitOn });

    // Before the date (and on the day before it): nothing happens.
    const beforeCounts = await counts(idea.id);
    expect(await reviveDueIdeas(t.db, new Date(`${dayFromToday(1)}T12:00:00Z`))).toBe(0);
    expect(await reviveDueIdeas(t.db, new Date(`${dayFromToday(29)}T23:59:59Z`))).toBe(0);
    expect(await ideaRow(idea.id)).toEqual(declined);
    expect(await counts(idea.id)).toEqual(beforeCounts);

    const notesBefore = (await notificationsByMember(idea.id)).rows.length;
    expect(await reviveDueIdeas(t.db, new Date(`${dayFromToday(31)}T08:00:00Z`))).toBe(1);
    const revived = await ideaRow(idea.id);
    expect(revived).toMatchObject({ status: "under_review", revisit_on: null });
    expect(revived.status_changed_at!.getTime()).toBeGreaterThan(declined.status_changed_at!.getTime());
    expect(revived.first_response_at).toEqual(declined.first_response_at);

    const rows = await responseRows(idea.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ author_id: null, from_status: "declined", to_status: "under_review" });
    expect(rows[1]!.body_html).toMatch(/back under review/);
    const timeline = await listResponses(t.db, idea.id);
    expect(timeline[1]).toMatchObject({ author_name: null, to_status: "under_review" });

    const events = await eventRows(idea.id, ["idea.revisited"]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_id: null, data: { from: "declined", to: "under_review", responseId: expect.any(Number) } });

    const { rows: notes, map } = await notificationsByMember(idea.id);
    const revisits = notes.slice(notesBefore);
    expect(revisits.every((n) => n.kind === "idea.revisited" && String(n.event_id) === String(events[0]!.id))).toBe(true);
    // Nobody acted, so everyone in the audience hears of it, the PM (a voter and follower) too; each once.
    expect(revisits.map((n) => n.member_id).sort((a, b) => a - b)).toEqual(
      [author.id, voterOnly.id, followerOnly.id, voterAndFollower.id, pm.id].sort((a, b) => a - b),
    );
    expect(map.has(bystander.id)).toBe(false);

    // Running it again (the next day, or another process) does nothing more.
    const afterCounts = await counts(idea.id);
    expect(await reviveDueIdeas(t.db, new Date(`${dayFromToday(32)}T08:00:00Z`))).toBe(0);
    expect(await counts(idea.id)).toEqual(afterCounts);
    expect(await ideaRow(idea.id)).toEqual(revived);
  });

  it("revives a due idea only once when two processes run it at the same time", async () => {
    const author = await makeMember(t.db);
    const voters = await Promise.all([makeMember(t.db), makeMember(t.db), makeMember(t.db)]);
    const idea = await makeIdea(t.db, author);
    for (const v of voters) await castVote(t.db, v, { ideaId: idea.id, value: 1 });
    const revisitOn = dayFromToday(40);
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "declined", body: "Later.", declineReason: "other", revisitOn });
    const notesBefore = (await notificationsByMember(idea.id)).rows.length;

    const other = onPostgres() ? await t.openAnother() : null;
    let results: number[];
    try {
      const day = new Date(`${dayFromToday(41)}T00:00:00Z`);
      results = await Promise.all([reviveDueIdeas(t.db, day), reviveDueIdeas(other?.db ?? t.db, day), reviveDueIdeas(t.db, day)]);
    } finally {
      await other?.close();
    }
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await ideaRow(idea.id)).status).toBe("under_review");
    const rows = await responseRows(idea.id);
    expect(rows.filter((r) => r.author_id === null)).toHaveLength(1);
    expect(await eventRows(idea.id, ["idea.revisited"])).toHaveLength(1);
    const { rows: notes } = await notificationsByMember(idea.id);
    // author + 3 voters, once each
    expect(notes.slice(notesBefore).map((n) => n.kind)).toEqual(Array(4).fill("idea.revisited"));
  });

  // Regression: an answer that keeps a declined idea's status must keep its revisit date.
  it("keeps the revisit date when a declined idea gets an answer without a status change", async () => {
    const author = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    const revisitOn = dayFromToday(50);
    await staff(idea.id, { intent: "respond", status: "declined", body: "Not now.", declineReason: "not_planned", revisitOn });
    expect((await ideaRow(idea.id)).revisit_on).toBe(revisitOn);

    const res = await staff(idea.id, { intent: "respond", status: "keep", body: "To clarify: we mean it, not now.", declineReason: "", revisitOn: "" });
    expect(res.status).toBe(302);
    expect(await ideaRow(idea.id)).toMatchObject({ status: "declined", revisit_on: revisitOn });
    expect(await reviveDueIdeas(t.db, new Date(`${dayFromToday(51)}T00:00:00Z`))).toBe(1);
    expect((await ideaRow(idea.id)).status).toBe("under_review");
  });
});
