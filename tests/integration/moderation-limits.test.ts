import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle, DB } from "../../app/lib/db.server";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as newIdea from "../../app/routes/ideas.new";
import * as settingsRoute from "../../app/routes/manage.settings";
import { DEFAULT_SETTINGS, type Settings } from "../../app/models/settings/schemas.server";
import { onPostgres, useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor, type RouteResult } from "../support/routes";

type Member = Awaited<ReturnType<typeof makeMember>>;

let t: TestDatabase;
let admin: Member;
let adminCookie: string;
let host: { id: number };
let seq = 0;

beforeAll(async () => {
  t = await useTestDatabase({ limits: "default" });
  await ensureCategory(t.db, "general", "General");
  admin = await makeMember(t.db, { role: "admin" });
  adminCookie = await cookieFor(t.db, admin.id);
  host = await makeIdea(t.db, admin, { title: "A place to discuss opening hours" });
});

const words = ["oat", "almond", "cocoa", "maple", "ginger", "lemon", "hazelnut", "vanilla", "cherry", "mint", "honey", "caramel", "cardamom", "pecan", "walnut", "coconut", "berry", "plum", "apricot", "fig", "date", "lime"];
/** A fresh title each time (the duplicate check compares titles). */
const title = () => `Try a ${words[seq % words.length]} flavour, take ${++seq}`;

/** A member who joined `days` ago (0: a new member), with a live session. */
async function memberAged(days: number) {
  const m = await makeMember(t.db);
  if (days) await t.db.updateTable("members").set({ created_at: new Date(Date.now() - days * 86_400_000) }).where("id", "=", m.id).execute();
  return { ...m, cookie: await cookieFor(t.db, m.id) };
}

const postIdea = (cookie: string, ideaTitle = title(), body = "") =>
  callRoute(newIdea.action, t.db, { path: "/ideas/new", cookie, form: { intent: "save", title: ideaTitle, category: "general", body, confirmed: "1" } });
const comment = (cookie: string, body: string, db: DB = t.db) =>
  callRoute(ideaPage.action, db, { path: `/ideas/${host.id}`, params: { ideaId: String(host.id) }, cookie, form: { intent: "comment", body } });
const countOf = async (table: "ideas" | "comments", authorId: number) =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).where("author_id", "=", authorId).executeTakeFirstOrThrow()).n);

/** A 429 says when to try again, in words matching its Retry-After header. */
function expectTooMany(res: RouteResult, message: RegExp) {
  expect(res.status).toBe(429);
  const text: string = res.data.fieldErrors.form;
  expect(text).toMatch(message);
  const retryAfter = Number(res.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThan(0);
  // A sliding day: the wait can pass the end of today's window by the part of it still counted.
  expect(retryAfter).toBeLessThanOrEqual(2 * 86_400);
  const when = retryAfter >= 7200 ? `in ${Math.ceil(retryAfter / 3600)} hours` : `in ${Math.max(1, Math.ceil(retryAfter / 60))} minute`;
  expect(text).toContain(`Try again ${when}`);
}

const links = (n: number) => Array.from({ length: n }, (_, i) => `https://example.com/page-${seq}-${i}`).join(" and ");

describe("ideas per day", () => {
  it("a new member may post 3 ideas a day; the 4th is a 429 that says when to try again", async () => {
    const m = await memberAged(0);
    for (let i = 0; i < 3; i++) {
      const res = await postIdea(m.cookie);
      expect(res.status, JSON.stringify(res.data)).toBe(302);
    }
    const fourth = await postIdea(m.cookie);
    expectTooMany(fourth, /^You have posted the most ideas allowed in a day for new members \(3\)\. Try again in/);
    expect(fourth.data.values.title).toMatch(/^Try a/); // the form keeps what they wrote
    expect(await countOf("ideas", m.id)).toBe(3);
  });

  it("an established member (30 days) may post 20", async () => {
    const m = await memberAged(30);
    for (let i = 0; i < 20; i++) expect((await postIdea(m.cookie)).status).toBe(302);
    const refused = await postIdea(m.cookie);
    expectTooMany(refused, /^You have posted the most ideas allowed in a day \(20\)\./);
    expect(await countOf("ideas", m.id)).toBe(20);
  });

  it("staff are not limited", async () => {
    const moderator = await makeMember(t.db, { role: "moderator" });
    const cookie = await cookieFor(t.db, moderator.id);
    for (let i = 0; i < 5; i++) expect((await postIdea(cookie)).status).toBe(302);
    for (let i = 0; i < 5; i++) expect((await comment(cookie, `See ${links(4)} (${i})`)).status).toBe(200);
  });
});

describe("links and repeats", () => {
  it("a new member may post 3 links a day: a comment with 4 is a 429; an established member's is fine", async () => {
    const m = await memberAged(0);
    const res = await comment(m.cookie, `Look at ${links(4)}`);
    expectTooMany(res, /^That is more links than new members may post in a day \(3\)\./);
    expect(await countOf("comments", m.id)).toBe(0);

    const n = await memberAged(0);
    expect((await comment(n.cookie, `Look at ${links(2)}`)).status).toBe(200);
    expect((await comment(n.cookie, `And [this one](${links(1)})`)).status).toBe(200);
    expectTooMany(await comment(n.cookie, `One more: ${links(1)}`), /more links than new members/);
    expect((await comment(n.cookie, "No links at all")).status).toBe(200);
    expect(await countOf("comments", n.id)).toBe(3);

    const regular = await memberAged(30);
    expect((await comment(regular.cookie, `Look at ${links(4)}`)).status).toBe(200);
  });

  it("links in an idea's title and body count too", async () => {
    const m = await memberAged(0);
    const res = await postIdea(m.cookie, "Stock the beans from this roaster", `Here: ${links(2)} and ${links(2)}`);
    expectTooMany(res, /more links than new members/);
    expect(await countOf("ideas", m.id)).toBe(0);
  });

  it("the same comment twice within 10 minutes is a 429; different text is fine", async () => {
    const m = await memberAged(30);
    expect((await comment(m.cookie, "First!")).status).toBe(200);
    const again = await comment(m.cookie, "First!");
    expect(again.status).toBe(429);
    expect(again.data.fieldErrors.form).toBe("You posted exactly this a moment ago. Try again in 10 minutes if you really mean to.");
    expect(again.headers.get("Retry-After")).toBe("600");
    expect((await comment(m.cookie, "Second!")).status).toBe(200);
    expect(await countOf("comments", m.id)).toBe(2);

    // An old copy is no obstacle.
    await t.db.updateTable("comments").set({ created_at: new Date(Date.now() - 11 * 60_000) }).where("author_id", "=", m.id).where("body", "=", "Second!").execute();
    expect((await comment(m.cookie, "Second!")).status).toBe(200);

    // Ideas: the same title twice.
    const same = title();
    expect((await postIdea(m.cookie, same)).status).toBe(302);
    const twice = await postIdea(m.cookie, same);
    expect(twice.status).toBe(429);
    expect(twice.data.fieldErrors.form).toMatch(/exactly this a moment ago/);
  });

  // Regression (found by these tests, fixed since).
  it("a refused post does not use up the daily link allowance", async () => {
    const m = await memberAged(0);
    expect((await comment(m.cookie, `Look at ${links(4)}`)).status).toBe(429);
    expect(await countOf("comments", m.id)).toBe(0);
    expect((await comment(m.cookie, `Just one: ${links(1)}`)).status).toBe(200);
  });

  // Regression (found by these tests, fixed since).
  it("refused comments do not count towards the daily comment limit", async () => {
    const m = await memberAged(0);
    expect((await comment(m.cookie, "Hello")).status).toBe(200);
    expect((await comment(m.cookie, "Hello")).status).toBe(429);
    for (let i = 1; i <= 14; i++) {
      const res = await comment(m.cookie, `Comment number ${i}`);
      expect(res.status, `comment ${i + 1} of 15: ${JSON.stringify(res.data)}`).toBe(200);
    }
    expect(await countOf("comments", m.id)).toBe(15);
  });
});

describe("limits hold across app processes", () => {
  let another: DatabaseHandle | undefined;
  afterAll(async () => {
    await another?.close();
  });

  it.skipIf(!onPostgres())("a new member's 16th comment is refused, whichever process takes it", async () => {
    another = await t.openAnother();
    const m = await memberAged(0);
    const dbs = [t.db, another.db];
    for (let i = 0; i < 15; i++) {
      const res = await comment(m.cookie, `Comment ${i} from process ${i % 2}`, dbs[i % 2]);
      expect(res.status, `comment ${i + 1}`).toBe(200);
    }
    for (const db of dbs) {
      const res = await comment(m.cookie, "One too many", db);
      expectTooMany(res, /^You have posted the most comments allowed in a day for new members \(15\)\./);
    }
    expect(await countOf("comments", m.id)).toBe(15);

    // At once, from both processes: still exactly 15.
    const burst = await memberAged(0);
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => comment(burst.cookie, `Burst ${i}`, dbs[i % 2])));
    expect(results.filter((r) => r.status === 200)).toHaveLength(15);
    expect(results.filter((r) => r.status === 429)).toHaveLength(9);
    expect(await countOf("comments", burst.id)).toBe(15);
  });
});

describe("admins change the limits", () => {
  const form = (settings: Settings, change: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(settings).filter(([k]) => k !== "allow_down_votes").map(([k, v]) => [k, String(v)])),
    ...(settings.allow_down_votes ? { allow_down_votes: "on" } : {}),
    ...change,
  });
  const save = (f: Record<string, string>) => callRoute(settingsRoute.action, t.db, { path: "/manage/settings", cookie: adminCookie, form: f });
  const settingsEvents = () =>
    t.db.selectFrom("events").select(["actor_id", "actor_role", "data"]).where("type", "=", "settings.changed").orderBy("id").execute();

  it("a new limit applies to the next post, and the change is in the audit log with before and after", async () => {
    const m = await memberAged(0);
    expect((await postIdea(m.cookie)).status).toBe(302);

    const res = await save(form(DEFAULT_SETTINGS, { ideas_per_day_new: "1", links_per_day_new: "0" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/manage/settings");
    const page = await callRoute(settingsRoute.loader, t.db, { path: "/manage/settings", cookie: adminCookie });
    expect(page.data.settings).toEqual({ ...DEFAULT_SETTINGS, ideas_per_day_new: 1, links_per_day_new: 0 });
    expect(await settingsEvents()).toEqual([{
      actor_id: admin.id,
      actor_role: "admin",
      data: { before: { ideas_per_day_new: 3, links_per_day_new: 3 }, after: { ideas_per_day_new: 1, links_per_day_new: 0 } },
    }]);

    expectTooMany(await postIdea(m.cookie), /for new members \(1\)/);
    const fresh = await memberAged(0);
    expectTooMany(await comment(fresh.cookie, `Only one: ${links(1)}`), /more links than new members may post in a day \(0\)/);

    // Members count as new for 7 days; at 0 days nobody is new.
    expect((await save(form({ ...DEFAULT_SETTINGS, ideas_per_day_new: 1, links_per_day_new: 0 }, { new_member_days: "0" }))).status).toBe(302);
    expect((await postIdea(m.cookie)).status).toBe(302);
    expect((await comment(fresh.cookie, `Only one: ${links(1)}`)).status).toBe(200);

    // Back to the defaults.
    expect((await save(form(DEFAULT_SETTINGS, {}))).status).toBe(302);
    const events = await settingsEvents();
    expect(events).toHaveLength(3);
    expect(events[2]!.data).toEqual({
      before: { ideas_per_day_new: 1, links_per_day_new: 0, new_member_days: 0 },
      after: { ideas_per_day_new: 3, links_per_day_new: 3, new_member_days: 7 },
    });
    // Saving without a change records nothing.
    expect((await save(form(DEFAULT_SETTINGS, {}))).status).toBe(302);
    expect(await settingsEvents()).toHaveLength(3);
  });

  it("a non-numeric or out-of-range setting is a 400 and changes nothing", async () => {
    const before = await t.db.selectFrom("settings").selectAll().orderBy("key").execute();
    const eventsBefore = (await settingsEvents()).length;
    for (const [key, value] of [["ideas_per_day_new", "lots"], ["flag_hide_threshold", "high"], ["comments_per_day_new", "0"], ["new_member_days", "2.5"], ["flags_per_day", ""]]) {
      const res = await save(form(DEFAULT_SETTINGS, { [key!]: value!, ideas_per_day: "99" }));
      expect(res.status, `${key}=${value}`).toBe(400);
      expect(res.data.fieldErrors[key!], `${key}=${value}`).toBeTruthy();
    }
    expect(await t.db.selectFrom("settings").selectAll().orderBy("key").execute()).toEqual(before);
    expect(await settingsEvents()).toHaveLength(eventsBefore);
  });
});
