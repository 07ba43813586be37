import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compiledModules, needsCompiling, usedIds } from "../tools/i18n-compile";
import { en } from "../../app/i18n/en";
import { fr } from "../../app/i18n/fr";
import { fromAcceptLanguage, fromCookie, negotiateLocale } from "../../app/i18n/locales";
import { translate } from "../../app/i18n";
import { registerServerLocales } from "../../app/i18n/catalogues.server";
import { formatDate, relativeTime } from "../../app/models/shared/format";

registerServerLocales();

describe("locale negotiation", () => {
  it.each([
    ["fr", "fr"],
    ["fr-CA,fr;q=0.9,en;q=0.8", "fr"],
    ["en-GB,en;q=0.9,fr;q=0.8", "en"],
    ["de-DE,de;q=0.9,fr;q=0.5,en;q=0.4", "fr"],
    ["en;q=0.3, fr;q=0.7", "fr"],
    ["fr;q=0, en", "en"],
    ["de, es", null],
    ["*", "en"],
    ["", null],
    ["fr;q=abc, en;q=0.1", "en"],
  ])("Accept-Language %j gives %j", (header, locale) => {
    expect(fromAcceptLanguage(header)).toBe(locale);
  });

  it("reads the gs_lang cookie, ignoring languages we do not speak", () => {
    expect(fromCookie("a=1; gs_lang=fr; b=2")).toBe("fr");
    expect(fromCookie("gs_lang=de")).toBeNull();
    expect(fromCookie("xgs_lang=fr")).toBeNull();
    expect(fromCookie(undefined)).toBeNull();
  });

  it("member's choice, then cookie, then Accept-Language, then English", () => {
    expect(negotiateLocale({ memberChoice: "en", cookie: "gs_lang=fr", acceptLanguage: "fr" })).toBe("en");
    expect(negotiateLocale({ memberChoice: "fr", acceptLanguage: "en" })).toBe("fr");
    expect(negotiateLocale({ memberChoice: null, cookie: "gs_lang=en", acceptLanguage: "fr" })).toBe("en");
    expect(negotiateLocale({ memberChoice: "xx", cookie: "gs_lang=fr", acceptLanguage: "en" })).toBe("fr");
    expect(negotiateLocale({ acceptLanguage: "fr-BE" })).toBe("fr");
    expect(negotiateLocale({ acceptLanguage: "ja" })).toBe("en");
    expect(negotiateLocale({})).toBe("en");
  });
});

describe("catalogues", () => {
  it("the compiled modules are up to date (run `npm run i18n`)", () => {
    for (const [path, text] of Object.entries(compiledModules())) expect(readFileSync(path, "utf8"), path).toBe(text);
  });

  it("every English id has a French translation, and French has no stray ids", () => {
    expect(en.filter((id) => fr[id] === undefined || fr[id] === "")).toEqual([]);
    const known = new Set(en);
    expect(Object.keys(fr).filter((id) => !known.has(id))).toEqual([]);
    expect(new Set(en).size).toBe(en.length);
  });

  it("every t(\"…\") id used in app/ is in the English catalogue", () => {
    const known = new Set(en);
    const missing = [...usedIds()].filter(([id]) => !known.has(id)).map(([id, path]) => `${path}: ${id}`);
    expect(missing).toEqual([]);
    // The scan does find ids (so this test can fail).
    expect(usedIds().size).toBeGreaterThan(50);
  });

  it("a French translation keeps the English placeholders and tags", () => {
    const marks = (text: string) => [...text.matchAll(/\{(\w+)|<(\d+)>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort();
    const broken = en.filter((id) => JSON.stringify(marks(id)) !== JSON.stringify(marks(fr[id] ?? "")));
    expect(broken).toEqual([]);
  });
});

describe("translate", () => {
  it("plain English is its own id; French comes from the catalogue", () => {
    expect(translate("en", "Post an idea")).toBe("Post an idea");
    expect(translate("fr", "Post an idea")).toBe("Proposer une idée");
    expect(translate("fr", "Text that is in no catalogue")).toBe("Text that is in no catalogue");
  });

  it("bare placeholders in English need no catalogue entry; ICU plurals do", () => {
    expect(needsCompiling("Follow {name}")).toBe(false);
    expect(needsCompiling("{count, plural, one {# vote} other {# votes}}")).toBe(true);
    expect(translate("en", "Follow {name}", { name: "Drinks" })).toBe("Follow Drinks");
    expect(translate("fr", "Follow {name}", { name: "Boissons" })).toBe("Suivre Boissons");
    expect(translate("en", "{site}, home", { site: "Harbor" })).toBe("Harbor, home");
  });

  it("plurals and numbers follow the language's rules (Intl)", () => {
    const id = "{count, plural, one {# comment} other {# comments}}";
    expect(translate("en", id, { count: 1 })).toBe("1 comment");
    expect(translate("en", id, { count: 1234 })).toBe("1,234 comments");
    expect(translate("fr", id, { count: 0 })).toBe("0 commentaire");
    expect(translate("fr", id, { count: 1234 })).toBe("1\u202f234 commentaires");
  });

  it("dates and relative times in the visitor's language", () => {
    const now = "2024-06-15T12:00:00.000Z";
    expect(formatDate(now, "fr")).toBe("15 juin 2024");
    expect(formatDate(now, "en")).toBe("Jun 15, 2024");
    expect(relativeTime("2024-06-12T12:00:00.000Z", now, "fr")).toBe("il y a 3 jours");
    expect(relativeTime(now, now, "fr")).toBe("à l’instant");
  });
});
