import { beforeAll, describe, expect, it } from "vitest";
import * as join from "../../app/routes/join";
import * as login from "../../app/routes/login";
import * as logout from "../../app/routes/logout";
import * as verify from "../../app/routes/verify-email.$token";
import { sql } from "kysely";
import { configureMail } from "../../app/lib/mail.server";
import * as root from "../../app/root";
import { signIn, SIGN_IN_LIMITS } from "../../app/models/members/members.server";
import { useTestDatabase, onPostgres, type TestDatabase } from "../support/db";
import { PASSWORD, makeMember } from "../support/factories";
import { callRoute } from "../support/routes";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

const mailsTo = (address: string) =>
  t.db.selectFrom("mail_deliveries").select(["kind", "subject", "text_body"]).where("to_address", "=", address).orderBy("id").execute();
/** The newest link to `prefix` in the development mailbox's copy of the mail to `address`. */
async function linkInMail(address: string, prefix: string): Promise<string> {
  const mails = await mailsTo(address);
  const text = mails.map((m) => m.text_body ?? "").reverse().join("\n");
  const match = text.match(new RegExp(`https?://[^\\s]+${prefix}[^\\s)>]+`));
  if (!match) throw new Error(`no ${prefix} link in the mail to ${address}`);
  return match[0];
}

/** The flash message a response sets (the gs_flash cookie: base64 JSON). */
const flashOf = (headers: Headers) => {
  const raw = (headers.get("Set-Cookie") ?? "").split(/,(?=\s*\w+=)/).find((c) => c.trim().startsWith("gs_flash="))?.trim().split(";")[0]!.slice("gs_flash=".length);
  return raw ? (JSON.parse(decodeURIComponent(escape(atob(decodeURIComponent(raw))))) as string) : null;
};

const sessionCookie = (headers: Headers) =>
  (headers.get("Set-Cookie") ?? "").split(/,(?=\s*\w+=)/).find((c) => c.trim().startsWith("gs_session="))?.trim();

describe("joining and signing in", () => {
  it("joins by a link sent by mail: an unconfirmed account, an argon2id hash, the event; the link signs the member in", async () => {
    const res = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "  Ada   Lovelace ", email: "ada@example.test", password: "a long passphrase", redirectTo: "/ideas/new" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/join?sent");
    expect(sessionCookie(res.headers)).toBeUndefined();
    const sent = await callRoute(join.loader, t.db, { path: "/join?sent" });
    expect(sent.data).toMatchObject({ sent: true, mailbox: true });

    const member = await t.db.selectFrom("members").select(["id", "handle", "display_name", "password_hash", "email_verified_at"]).where("email", "=", "ada@example.test").executeTakeFirstOrThrow();
    expect(member.display_name).toBe("Ada Lovelace");
    expect(member.handle).toBe("ada_lovelace");
    expect(member.password_hash).toMatch(/^\$argon2id\$/);
    expect(member.email_verified_at).toBeNull();
    const events = await t.db.selectFrom("events").select("type").where("member_id", "=", member.id).execute();
    expect(events.map((e) => e.type)).toEqual(["member.joined"]);

    // Until the link is used, the password alone does not sign in (and the link is sent again).
    const early = await callRoute(login.action, t.db, { path: "/login", form: { email: "ada@example.test", password: "a long passphrase" } });
    expect(early.status).toBe(403);
    expect(early.data.fieldErrors.form).toMatch(/confirm your e-mail address first/);
    expect(sessionCookie(early.headers)).toBeUndefined();
    expect(await mailsTo("ada@example.test")).toHaveLength(2);

    const token = (await linkInMail("ada@example.test", "/verify-email/")).split("/").pop()!;
    const done = await callRoute(verify.action, t.db, { path: `/verify-email/${token}`, params: { token }, form: {} });
    expect(done.status).toBe(302);
    const cookie = sessionCookie(done.headers)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/); // Secure only in production
    // The cookie identifies the member on the next request.
    const page = await callRoute(root.loader, t.db, { path: "/", cookie: cookie.split(";")[0] });
    expect(page.data.member).toMatchObject({ handle: "ada_lovelace", displayName: "Ada Lovelace" });
    expect(flashOf(done.headers)).toMatch(/^Welcome to .+, Ada Lovelace! Your e-mail address is confirmed\.$/);
    // From now on the password signs in.
    const later = await callRoute(login.action, t.db, { path: "/login", form: { email: "ada@example.test", password: "a long passphrase" } });
    expect(later.status).toBe(302);
  });

  it("answers a taken e-mail (any case) exactly like a new one, and tells the owner by mail; bad fields get 400", async () => {
    const owner = await makeMember(t.db, { email: "taken@example.test" });
    const taken = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "Someone", email: "TAKEN@example.test", password: "long enough" },
    });
    const fresh = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "Someone", email: "TAKEN2@example.test", password: "long enough" },
    });
    for (const res of [taken, fresh]) {
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/join?sent");
      expect(sessionCookie(res.headers)).toBeUndefined();
    }
    expect(flashOf(taken.headers)).toBe("We have sent a mail to TAKEN@example.test. Open the link in it to finish joining.");
    expect(flashOf(fresh.headers)).toBe("We have sent a mail to TAKEN2@example.test. Open the link in it to finish joining.");
    // No second account; the owner hears of it, with ways in.
    const accounts = await t.db.selectFrom("members").select("id").where(sql`lower(email)`, "=", "taken@example.test").execute();
    expect(accounts.map((a) => a.id)).toEqual([owner.id]);
    const [told] = await mailsTo("taken@example.test");
    expect(told).toMatchObject({ kind: "sign_up_exists", subject: expect.stringMatching(/^You already have an? .+ account$/) });
    expect(told!.text_body).toContain("/forgot-password");
    // Not a way to flood someone's inbox: three an hour, then the form still answers the same and sends nothing.
    for (let i = 0; i < 4; i++) {
      const again = await callRoute(join.action, t.db, { path: "/join", form: { displayName: "Someone", email: "taken@example.test", password: "long enough" }, client: `10.7.0.${i}` });
      expect(again.headers.get("Location")).toBe("/join?sent");
    }
    expect(await mailsTo("taken@example.test")).toHaveLength(3);

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

  it("on a site that cannot mail (production without SMTP_URL), joining signs in at once and a taken address is refused openly", async () => {
    configureMail({ production: true, smtpUrl: null });
    try {
      const res = await callRoute(join.action, t.db, { path: "/join", form: { displayName: "No Mail", email: "nomail@example.test", password: "long enough", redirectTo: "/ideas/new" } });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toBe("/ideas/new");
      expect(sessionCookie(res.headers)).toBeDefined();
      const taken = await callRoute(join.action, t.db, { path: "/join", form: { displayName: "No Mail", email: "NOMAIL@example.test", password: "long enough" } });
      expect(taken.status).toBe(409);
      expect(taken.data.fieldErrors.email).toMatch(/already exists/);
      // And an unconfirmed member signs in with the password alone: there is no link to wait for.
      const m = await makeMember(t.db, { emailVerified: false });
      expect((await callRoute(login.action, t.db, { path: "/login", form: { email: m.email, password: PASSWORD } })).status).toBe(302);
    } finally {
      configureMail({ production: undefined, smtpUrl: undefined });
    }
  });

  it("accepts a long passphrase in full", async () => {
    const passphrase = "x".repeat(300) + "!";
    const res = await callRoute(join.action, t.db, {
      path: "/join",
      form: { displayName: "Long Pass", email: "long@example.test", password: passphrase },
    });
    expect(res.status).toBe(302);
    await t.db.updateTable("members").set({ email_verified_at: new Date() }).where("email", "=", "long@example.test").execute();
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
