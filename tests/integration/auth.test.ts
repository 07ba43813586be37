import { beforeAll, describe, expect, it } from "vitest";
import * as join from "../../app/routes/join";
import * as login from "../../app/routes/login";
import * as logout from "../../app/routes/logout";
import * as root from "../../app/root";
import { signIn, SIGN_IN_LIMITS } from "../../app/models/members/members.server";
import { useTestDatabase, onPostgres, type TestDatabase } from "../support/db";
import { PASSWORD, makeMember } from "../support/factories";
import { callRoute } from "../support/routes";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

const sessionCookie = (headers: Headers) =>
  (headers.get("Set-Cookie") ?? "").split(/,(?=\s*\w+=)/).find((c) => c.trim().startsWith("gs_session="))?.trim();

describe("joining and signing in", () => {
  it("signs up with an argon2id hash, starts a session and records the event", async () => {
    const res = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "  Ada   Lovelace ", email: "ada@example.test", password: "a long passphrase", redirectTo: "/ideas/new" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/ideas/new");
    const cookie = sessionCookie(res.headers)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/); // Secure only in production

    const member = await t.db.selectFrom("members").select(["id", "handle", "display_name", "password_hash"]).where("email", "=", "ada@example.test").executeTakeFirstOrThrow();
    expect(member.display_name).toBe("Ada Lovelace");
    expect(member.handle).toBe("ada_lovelace");
    expect(member.password_hash).toMatch(/^\$argon2id\$/);
    const events = await t.db.selectFrom("events").select("type").where("member_id", "=", member.id).execute();
    expect(events.map((e) => e.type)).toEqual(["member.joined"]);

    // The cookie identifies the member on the next request.
    const page = await callRoute(root.loader, t.db, { path: "/", cookie: cookie.split(";")[0] });
    expect(page.data.member).toMatchObject({ handle: "ada_lovelace", displayName: "Ada Lovelace" });
  });

  it("refuses a taken e-mail (any case) with 409 and bad fields with 400", async () => {
    await makeMember(t.db, { email: "taken@example.test" });
    const taken = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "Someone", email: "TAKEN@example.test", password: "long enough" },
    });
    expect(taken.status).toBe(409);
    expect(taken.data.fieldErrors.email).toMatch(/already exists/);

    const bad = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "", email: "not-an-email", password: "short" },
    });
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors).toMatchObject({
      displayName: expect.any(String),
      email: expect.stringContaining("e-mail"),
      password: expect.stringContaining("8"),
    });
    expect(bad.data.values.password).toBeUndefined();
  });

  it("accepts a long passphrase in full", async () => {
    const passphrase = "x".repeat(300) + "!";
    const res = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "Long Pass", email: "long@example.test", password: passphrase },
    });
    expect(res.status).toBe(302);
    await expect(signIn(t.db, { email: "long@example.test", password: passphrase }, "10.0.0.9")).resolves.toBeDefined();
    await expect(signIn(t.db, { email: "long@example.test", password: passphrase.slice(0, 300) }, "10.0.0.9")).rejects.toMatchObject({ status: 400 });
  });

  it("signs in and out; a wrong password gets one clear message", async () => {
    const m = await makeMember(t.db);
    const wrong = await callRoute(login.action, t.db, { path: "/login", form: { email: m.email, password: "nope nope" } });
    expect(wrong.status).toBe(400);
    expect(wrong.data.fieldErrors.form).toMatch(/do not match/);
    expect(wrong.data.values).toEqual({ email: m.email });

    const ok = await callRoute(login.action, t.db, { path: "/login", form: { email: m.email.toUpperCase(), password: PASSWORD, redirectTo: "https://evil.example/" } });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/"); // never off-site
    const cookie = sessionCookie(ok.headers)!.split(";")[0]!;

    const out = await callRoute(logout.action, t.db, { path: "/logout", method: "POST", cookie });
    expect(out.status).toBe(302);
    const after = await callRoute(root.loader, t.db, { path: "/", cookie });
    expect(after.data.member).toBeNull();
  });

  it("limits sign-in attempts per account with a 429 and a clear message", async () => {
    const m = await makeMember(t.db);
    for (let i = 0; i < SIGN_IN_LIMITS.account.limit; i++) {
      const r = await callRoute(login.action, t.db, { path: "/login", form: { email: m.email, password: "wrong guess" }, client: `10.1.0.${i}` });
      expect(r.status).toBe(400);
    }
    const limited = await callRoute(login.action, t.db, { path: "/login", form: { email: m.email, password: PASSWORD }, client: "10.1.1.1" });
    expect(limited.status).toBe(429);
    expect(limited.data.fieldErrors.form).toMatch(/Too many sign-in attempts for this account. Try again in \d+ minutes?/);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("limits sign-in attempts per client across app processes", async () => {
    const m = await makeMember(t.db);
    // On PostgreSQL, alternate between two pools: two app processes sharing one database.
    const other = onPostgres() ? await t.openAnother() : null;
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= SIGN_IN_LIMITS.client.limit; i++) {
        const db = other && i % 2 ? other.db : t.db;
        const r = await callRoute(login.action, db, {
          path: "/login",
          form: { email: `nobody-${i}@example.test`, password: "guess guess" },
          client: "203.0.113.7",
        });
        statuses.push(r.status);
      }
      expect(statuses.slice(0, SIGN_IN_LIMITS.client.limit).every((s) => s === 400)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      // Another client is not affected.
      const fine = await callRoute(login.action, t.db, { path: "/login", form: { email: m.email, password: PASSWORD }, client: "198.51.100.1" });
      expect(fine.status).toBe(302);
    } finally {
      await other?.close();
    }
  });
});
