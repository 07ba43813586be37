import { beforeAll, describe, expect, it } from "vitest";
import * as root from "../../app/root";
import * as language from "../../app/routes/language";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

describe("the page's language", () => {
  it("follows Accept-Language, else English", async () => {
    expect((await callRoute(root.loader, t.db, { path: "/", headers: { "Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5" } })).data.locale).toBe("fr");
    expect((await callRoute(root.loader, t.db, { path: "/", headers: { "Accept-Language": "de" } })).data.locale).toBe("en");
    expect((await callRoute(root.loader, t.db, { path: "/" })).data.locale).toBe("en");
  });

  it("a visitor's choice is a gs_lang cookie, and it beats Accept-Language", async () => {
    const r = await callRoute(language.action, t.db, { path: "/language", form: { locale: "fr", returnTo: "/roadmap" } });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/roadmap");
    const cookie = r.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^gs_lang=fr; Path=\/; Max-Age=31536000; SameSite=Lax/);
    const page = await callRoute(root.loader, t.db, { path: "/", cookie: cookie.split(";")[0], headers: { "Accept-Language": "en" } });
    expect(page.data.locale).toBe("fr");
  });

  it("a member's stored choice wins over cookie and Accept-Language", async () => {
    const member = await makeMember(t.db, { displayName: "Francophone" });
    const session = await cookieFor(t.db, member.id);
    expect((await callRoute(language.action, t.db, { path: "/language", cookie: session, form: { locale: "fr" } })).status).toBe(302);
    const stored = await t.db.selectFrom("members").select("locale").where("id", "=", member.id).executeTakeFirstOrThrow();
    expect(stored.locale).toBe("fr");
    const page = await callRoute(root.loader, t.db, { path: "/", cookie: `${session}; gs_lang=en`, headers: { "Accept-Language": "en" } });
    expect(page.data.locale).toBe("fr");
  });

  it("\"auto\" (the account page) forgets the member's choice and the cookie", async () => {
    const member = await makeMember(t.db, { displayName: "Changes Mind" });
    const session = await cookieFor(t.db, member.id);
    await callRoute(language.action, t.db, { path: "/language", cookie: session, form: { locale: "fr" } });
    const r = await callRoute(language.action, t.db, { path: "/language", cookie: session, form: { locale: "auto", returnTo: "/account#language" } });
    expect(r.headers.get("Location")).toBe("/account#language");
    expect(r.headers.get("Set-Cookie")).toMatch(/^gs_lang=; Path=\/; Max-Age=0/);
    const stored = await t.db.selectFrom("members").select("locale").where("id", "=", member.id).executeTakeFirstOrThrow();
    expect(stored.locale).toBeNull();
    const page = await callRoute(root.loader, t.db, { path: "/", cookie: session, headers: { "Accept-Language": "fr-FR" } });
    expect(page.data.locale).toBe("fr");
    expect(page.data.member.locale).toBeNull();
  });

  it("refuses a language we do not offer (400) and an off-site return (goes home)", async () => {
    expect((await callRoute(language.action, t.db, { path: "/language", form: { locale: "de" } })).status).toBe(400);
    const r = await callRoute(language.action, t.db, { path: "/language", form: { locale: "en", returnTo: "//evil.example/" } });
    expect(r.headers.get("Location")).toBe("/");
  });
});
