import { readdirSync } from "node:fs";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import * as index from "../../app/routes/_index";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as join from "../../app/routes/join";
import * as login from "../../app/routes/login";
import * as memberPage from "../../app/routes/members.$handle";
import * as openNotificationRoute from "../../app/routes/notifications.$notificationId";
import * as triage from "../../app/routes/triage";
import { passThroughHeaders } from "../../app/lib/headers";
import { addComment } from "../../app/models/discussion/comments.server";
import { SIGN_IN_LIMITS } from "../../app/models/members/members.server";
import { consumeRateLimit } from "../../app/models/shared/rate-limits.server";
import { encodeCursor } from "../../app/models/shared/keyset";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { PASSWORD, ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

// The smaller holes an attacker review found: each answers 4xx (never 500) or holds its limit.

let t: TestDatabase;
let member: TestMember;
let memberCookie: string;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  member = await makeMember(t.db, { displayName: "Probing Member" });
  memberCookie = await cookieFor(t.db, member.id);
});

describe("page cursors that would overflow their SQL type", () => {
  it("a search cursor holding 1e300 or a string is answered without a server error", async () => {
    for (const key of ["1e300", "-1e300", "1e400", "NaN", "'; drop table ideas; --"]) {
      const cursor = encodeCursor({ key, id: 1 });
      const res = await callRoute(index.loader, t.db, { path: `/?q=coffee&cursor=${cursor}` });
      expect(res.status, key).toBeLessThan(500);
    }
  });

  it("a triage cursor past int4, or of the wrong type, is a 400", async () => {
    const pm = await makeMember(t.db, { role: "product_manager" });
    const cookie = await cookieFor(t.db, pm.id);
    for (const after of [encodeCursor({ key: "2147483648", id: 1 }), encodeCursor({ key: "5", id: 2_147_483_648 }), "Zm9v", encodeCursor({ key: "x", id: 1 })]) {
      const res = await callRoute(triage.loader, t.db, { path: `/triage?order=votes&after=${after}`, cookie });
      expect(res.status, after).toBe(400);
    }
  });
});

describe("suspension end dates", () => {
  it("refuses days that do not exist with a field message, and suspends nobody", async () => {
    const moderator = await makeMember(t.db, { role: "moderator" });
    const cookie = await cookieFor(t.db, moderator.id);
    const target = await makeMember(t.db);
    for (const until of ["9999-99-99", "2027-02-30", "2027-13-01", "20270101"]) {
      const res = await callRoute(memberPage.action, t.db, {
        path: `/members/${target.handle}`,
        params: { handle: target.handle },
        cookie,
        form: { intent: "suspend", memberId: String(target.id), until, reason: "Testing dates" },
      });
      expect(res.status, until).toBe(400);
      expect(res.data.fieldErrors.until, until).toBeTruthy();
    }
    const row = await t.db.selectFrom("members").select("suspended_until").where("id", "=", target.id).executeTakeFirstOrThrow();
    expect(row.suspended_until).toBeNull();
  });
});

describe("opening a notification", () => {
  it("marks it read only when the click came from this site", async () => {
    const author = await makeMember(t.db);
    const idea = await makeIdea(t.db, author);
    await addComment(t.db, member, { ideaId: idea.id, body: "Nice one", parentId: null });
    const note = await t.db.selectFrom("notifications").select("id").where("member_id", "=", author.id).where("reason", "=", "idea_author").executeTakeFirstOrThrow();
    const cookie = await cookieFor(t.db, author.id);
    const open = (site: string | null) => {
      const headers = site ? { "Sec-Fetch-Site": site } : undefined;
      return callRoute(openNotificationRoute.loader, t.db, { path: `/notifications/${note.id}`, params: { notificationId: String(note.id) }, cookie, headers });
    };
    const readAt = async () => (await t.db.selectFrom("notifications").select("read_at").where("id", "=", note.id).executeTakeFirstOrThrow()).read_at;

    const crossSite = await open("cross-site");
    expect(crossSite.status).toBe(302);
    expect(crossSite.headers.get("Location")).toMatch(new RegExp(`^/ideas/${idea.id}`));
    expect(await readAt()).toBeNull();
    expect((await open("same-site")).status).toBe(302);
    expect(await readAt()).toBeNull();
    expect((await open("same-origin")).status).toBe(302);
    expect(await readAt()).not.toBeNull();
  });
});

describe("limits on the cheap actions that each append an event", () => {
  it("votes: toggling past the hourly limit is a 429 with Retry-After, and counts nothing", async () => {
    await t.db.insertInto("settings").values({ key: "votes_per_hour", value: JSON.stringify(10) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(10) })).execute();
    try {
      const idea = await makeIdea(t.db, await makeMember(t.db));
      const vote = (value: string) =>
        callRoute(ideaPage.action, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: memberCookie, form: { intent: "vote", value } });
      for (let i = 0; i < 10; i++) expect((await vote(i % 2 ? "none" : "up")).status).toBe(200);
      const events = async () => Number((await t.db.selectFrom("events").select((eb) => eb.fn.countAll<string>().as("n")).where("idea_id", "=", idea.id).executeTakeFirstOrThrow()).n);
      const before = await events();
      const refused = await vote("up");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(refused.data.fieldErrors.form).toMatch(/votes in an hour \(10\)/);
      expect(await events()).toBe(before);
      const row = await t.db.selectFrom("ideas").select(["score", "up_count"]).where("id", "=", idea.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ score: 0, up_count: 0 });
    } finally {
      await t.db.deleteFrom("settings").where("key", "=", "votes_per_hour").execute();
      await t.db.deleteFrom("rate_limits").where("key", "like", "vote:%").execute();
    }
  });

  it("follows: following and unfollowing past the hourly limit is a 429", async () => {
    await t.db.insertInto("settings").values({ key: "follows_per_hour", value: JSON.stringify(10) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(10) })).execute();
    try {
      const idea = await makeIdea(t.db, await makeMember(t.db));
      const follow = (intent: string) =>
        callRoute(ideaPage.action, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: memberCookie, form: { intent } });
      for (let i = 0; i < 10; i++) expect((await follow(i % 2 ? "unfollow" : "follow")).status).toBe(200);
      expect((await follow("follow")).status).toBe(429);
    } finally {
      await t.db.deleteFrom("settings").where("key", "=", "follows_per_hour").execute();
    }
  });
});

describe("sign-in limits", () => {
  it("wrong passwords from one address do not lock the real owner out from theirs", async () => {
    const owner = await makeMember(t.db);
    for (let i = 0; i < SIGN_IN_LIMITS.accountFromClient.limit; i++) {
      const r = await callRoute(login.action, t.db, { path: "/login", form: { email: owner.email, password: "not it" }, client: "192.0.2.66" });
      expect(r.status).toBe(400);
    }
    const attacker = await callRoute(login.action, t.db, { path: "/login", form: { email: owner.email, password: PASSWORD }, client: "192.0.2.66" });
    expect(attacker.status).toBe(429);
    const real = await callRoute(login.action, t.db, { path: "/login", form: { email: owner.email, password: PASSWORD }, client: "198.51.100.23" });
    expect(real.status).toBe(302);
  });

  it("a sliding window: what the previous window counted still weighs at the start of the next", async () => {
    const key = `test:sliding:${Date.now()}`;
    const rule = { limit: 5, windowSeconds: 3600 };
    // Five attempts in the window that just ended (a fixed window would now allow five more at once).
    await sql`insert into rate_limits (key, window_start, hits)
      values (${key}, to_timestamp(floor(extract(epoch from now()) / 3600) * 3600 - 3600), 5)`.execute(t.db);
    const elapsed = (Date.now() / 1000) % 3600;
    const stillCounted = 5 * (1 - elapsed / 3600);
    const allowedNow = Math.floor(rule.limit - stillCounted);
    for (let i = 0; i < allowedNow; i++) await consumeRateLimit(t.db, key, rule, "Too many.");
    await expect(consumeRateLimit(t.db, key, rule, "Too many.")).rejects.toMatchObject({ status: 429 });
  });
});

describe("names that read as something else", () => {
  it.each([
    ["a right-to-left override", "Admin\u202Enimda"],
    ["a zero-width space", "Ad\u200Bmin"],
    ["a zero-width joiner", "Pri\u200Dya"],
    ["an isolate", "\u2067Moderator\u2069"],
    ["a word joiner", "Te\u2060am"],
  ])("refuses a display name with %s", async (_what, displayName) => {
    const res = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName, email: `spoof-${Math.random().toString(36).slice(2)}@example.test`, password: "long enough password" },
    });
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors.displayName).toMatch(/invisible or direction-changing/);
  });
});

describe("response headers", () => {
  it("every page route passes its loader's and action's headers through (Retry-After, caching)", async () => {
    const routes = readdirSync(new URL("../../app/routes/", import.meta.url)).filter((f) => f.endsWith(".tsx"));
    for (const file of routes) {
      const mod = (await import(`../../app/routes/${file}`)) as { loader?: unknown; action?: unknown; headers?: unknown; default?: unknown };
      // Resource routes (no page) answer with their own Response; a `headers` export would make them page routes.
      if (!mod.default) expect(mod.headers, file).toBeUndefined();
      else if (mod.loader || mod.action) expect(mod.headers, file).toBe(passThroughHeaders);
    }
    const headers = new Headers(passThroughHeaders({
      actionHeaders: new Headers({ "Retry-After": "30", "X-Other": "no" }),
      loaderHeaders: new Headers({ "Cache-Control": "private, max-age=30" }),
      errorHeaders: undefined,
      parentHeaders: new Headers(),
    }));
    expect(Object.fromEntries(headers.entries())).toEqual({ "retry-after": "30", "cache-control": "private, max-age=30" });
  });
});
