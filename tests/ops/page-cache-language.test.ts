// The page cache of a real built server (node build/index.js on PGlite) keeps one page per language.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppProcess } from "../support/app-process";

describe("the built server's anonymous page cache keeps one page per language", () => {
  let app: AppProcess;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gs-i18n-"));
    app = await startApp({ DATA_DIR: dir, SEED_DEMO: "always" }, { timeoutMs: 90_000 });
  }, 120_000);
  afterAll(async () => {
    await app?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (headers: Record<string, string>) => {
    const r = await fetch(`${app.base}/`, { headers });
    const html = await r.text();
    return { html, cache: r.headers.get("X-Page-Cache"), vary: r.headers.get("Vary"), lang: /<html lang="(\w+)"/.exec(html)?.[1], h1: /<h1[^>]*>([^<]*)</.exec(html)?.[1] };
  };

  it("renders French for Accept-Language: fr, English otherwise, each cached apart", async () => {
    const fr1 = await get({ "Accept-Language": "fr" });
    expect(fr1.lang).toBe("fr");
    expect(fr1.h1).toBe("Les idées de la communauté Harbor");
    expect(fr1.html).toContain(">Aller au contenu<");
    expect(fr1.vary).toMatch(/Accept-Language/);
    const en1 = await get({ "Accept-Language": "en-GB" });
    expect(en1.lang).toBe("en");
    expect(en1.h1).toBe("Ideas from the Harbor community");
    // A second request of each is a hit, and still in its own language.
    const [fr2, en2, cookie] = await Promise.all([get({ "Accept-Language": "fr" }), get({}), get({ Cookie: "gs_lang=fr", "Accept-Language": "en" })]);
    expect([fr2.cache, fr2.lang]).toEqual(["hit", "fr"]);
    expect(en2.lang).toBe("en");
    expect(en2.h1).toBe("Ideas from the Harbor community");
    expect(cookie.lang).toBe("fr");
    expect(cookie.cache).toBe("hit");
  });
});
