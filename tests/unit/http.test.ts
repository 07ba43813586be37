import { describe, expect, it } from "vitest";
import { readFlash, redirectWithFlash, returnToOrData, safeRedirectPath, withFlash } from "../../app/lib/http.server";

const SITE = "https://our.site";

/** Where a browser on our site goes when it follows `Location: location`. */
const followed = (location: string) => new URL(location, SITE);

/** A Location header value: printable ASCII only (Headers refuse the rest, which answered 500). */
const HEADER_SAFE = /^[\x21-\x7e]*$/;

const HOSTILE: unknown[] = [
  "/\t/evil.example",
  "/%09/evil.example",
  "/\t/evil.example/phish",
  "\\\\evil.example",
  "\\/evil.example",
  "/\\evil.example",
  "/\\\\evil.example",
  "//evil.example",
  "///evil.example",
  "////evil.example/x",
  "/.//evil.example",
  "/..//evil.example",
  "/\r\n/evil",
  "/\n/evil.example",
  "/\r/evil.example",
  "/%0A/evil",
  "/%0D%0ASet-Cookie:%20x=1",
  "https://evil.example",
  "https://evil.example/ideas",
  "http://evil.example",
  "https:evil.example",
  "https:/evil.example",
  "http:evil.example",
  "HTTPS://EVIL.EXAMPLE",
  "//evil.example@our.site",
  "https://our.site@evil.example",
  "javascript:alert(1)",
  "JavaScript:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "mailto:a@evil.example",
  "\u0000//evil.example",
  "\u001f//evil.example",
  "\u00a0//evil.example",
  "/\u3000/evil.example",
  "\u2028//evil.example",
  "\uff0f\uff0fevil.example",
  " /x",
  "\t/x",
  "/ideas/1#frag",
  "/ideas/1?x=1#frag",
  "/?q=über",
  "/ideas/über-uns",
  "/ideas/😀?emoji=😀#😀",
  "/ideas/\u0001\u007f",
  "/a\"b<c>d`e{f}g",
  "/%2F%2Fevil.example",
  "/%5C%5Cevil.example",
  "/ideas/1\u0000",
  "/\ud800",
  `/${"a".repeat(10_000)}`,
  `//${"a".repeat(100_000)}`,
  "x",
  "ideas/1",
  "../../etc/passwd",
  "?q=1",
  "#top",
  "",
  null,
  undefined,
  42,
  {},
  ["/x"],
  new File(["/x"], "x.txt"),
];

describe("safeRedirectPath", () => {
  it.each(HOSTILE.map((to) => [to]))("keeps %j on this site", (to) => {
    const result = safeRedirectPath(to as string);
    expect(result).toMatch(HEADER_SAFE);
    expect(result.startsWith("/")).toBe(true);
    expect(result.startsWith("//")).toBe(false);
    const url = followed(result);
    expect(url.origin).toBe(SITE);
    // What the browser ends up at is exactly the path we answered.
    expect(`${url.pathname}${url.search}${url.hash}`).toBe(result);
  });

  it("sends the classic open redirects to the fallback", () => {
    for (const to of ["/\t/evil.example", "/\\evil.example", "\\\\evil.example", "//evil.example", "///evil.example", "/.//evil.example", "https://evil.example", "javascript:alert(1)", "/\r\n/evil"]) {
      expect(safeRedirectPath(to), JSON.stringify(to)).toBe("/");
    }
  });

  it("keeps ordinary local paths as they are", () => {
    expect(safeRedirectPath("/ideas/1")).toBe("/ideas/1");
    expect(safeRedirectPath("/ideas/1#frag")).toBe("/ideas/1#frag");
    expect(safeRedirectPath("/ideas?sort=top&category=3")).toBe("/ideas?sort=top&category=3");
    expect(safeRedirectPath("/")).toBe("/");
  });

  it("percent-encodes what a header cannot carry", () => {
    expect(safeRedirectPath("/?q=über")).toBe("/?q=%C3%BCber");
    expect(safeRedirectPath("/ideas/über uns#ü")).toBe("/ideas/%C3%BCber%20uns#%C3%BC");
    expect(safeRedirectPath("/%0A/evil")).toBe("/%0A/evil");
  });

  it("resolves relative targets and dot segments against this site, as a browser would", () => {
    expect(safeRedirectPath("ideas/1")).toBe("/ideas/1");
    expect(safeRedirectPath("/ideas/../members/x")).toBe("/members/x");
    expect(safeRedirectPath("https:ideas")).toBe("/ideas");
    expect(safeRedirectPath(" /x")).toBe("/x");
  });

  it("uses the fallback it is given for unusable values", () => {
    expect(safeRedirectPath(null, "/ideas")).toBe("/ideas");
    expect(safeRedirectPath("", "/ideas")).toBe("/ideas");
    expect(safeRedirectPath("//evil.example", "/ideas")).toBe("/ideas");
    expect(safeRedirectPath(`/${"a".repeat(5_000)}`, "/ideas")).toBe("/ideas");
  });
});

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.set(name, value);
  return data;
}

/** A form's POST: a fetch by default; `navigate` for a browser's plain form submission. */
function post(headers: Record<string, string> = {}): Request {
  return new Request(`${SITE}/ideas/1`, { method: "POST", headers });
}

describe("returnToOrData", () => {
  it("answers with data when there is no returnTo (a fetcher)", () => {
    expect(returnToOrData(post(), form({}), { ok: true })).toEqual({ ok: true });
    expect(returnToOrData(post(), form({ returnTo: "" }), { ok: true })).toEqual({ ok: true });
  });

  it("redirects to a local returnTo, at the anchor", () => {
    const response = returnToOrData(post(), form({ returnTo: "/ideas/1?x=1" }), { ok: true }, "#comment-5") as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/ideas/1?x=1#comment-5");
  });

  it("puts the anchor in place of the returnTo's own fragment", () => {
    const response = returnToOrData(post(), form({ returnTo: "/ideas/1#old" }), { ok: true }, "#comments") as Response;
    expect(response.headers.get("Location")).toBe("/ideas/1#comments");
  });

  it("without a returnTo, a plain form submission goes back to the page it came from", () => {
    const nav = (referer: string, extra: Record<string, string> = {}) =>
      returnToOrData(post({ "Sec-Fetch-Mode": "navigate", Referer: referer, Origin: SITE, ...extra }), form({}), { ok: true }, "#c") as Response;
    expect(nav(`${SITE}/?sort=new&cursor=abc`).headers.get("Location")).toBe("/?sort=new&cursor=abc#c");
    // The parameters that only opened a form on that page are dropped.
    expect(nav(`${SITE}/ideas/1?reply=4&x=1`).headers.get("Location")).toBe("/ideas/1?x=1#c");
    // A Referer from another site is not followed: data, as for a fetch.
    expect(returnToOrData(post({ "Sec-Fetch-Mode": "navigate", Referer: "https://evil.example/x", Origin: SITE }), form({}), { ok: true })).toEqual({ ok: true });
    // A fetch (JavaScript) gets data whatever its Referer.
    expect(returnToOrData(post({ "Sec-Fetch-Mode": "cors", Referer: `${SITE}/` }), form({}), { ok: true })).toEqual({ ok: true });
    expect(returnToOrData(post({ "Sec-Fetch-Mode": "navigate", Referer: "not a url" }), form({}), { ok: true })).toEqual({ ok: true });
  });

  it.each(HOSTILE.filter((to): to is string => typeof to === "string" && to !== ""))(
    "never leaves the site for returnTo %j, and never fails",
    (returnTo) => {
      for (const anchor of ["", "#comment-1"]) {
        const response = returnToOrData(post(), form({ returnTo }), { ok: true }, anchor) as Response;
        const location = response.headers.get("Location")!;
        expect(location).toMatch(HEADER_SAFE);
        expect(followed(location).origin).toBe(SITE);
      }
    },
  );
});

const request = (cookie?: string) => new Request(`${SITE}/`, cookie === undefined ? {} : { headers: { Cookie: cookie } });
const CLEAR = /^gs_flash=; Max-Age=0; Path=\//;

describe("withFlash", () => {
  it("gives the page the message and its answer the header that clears it", async () => {
    const response = await redirectWithFlash("/ideas", "Your idea is posted.");
    const cookie = response.headers.get("Set-Cookie")!.split(";")[0]!;
    const answer = await withFlash(request(cookie), async (flash) => ({ flash }));
    expect(answer.data).toEqual({ flash: "Your idea is posted." });
    expect(new Headers(answer.init?.headers).get("Set-Cookie")).toMatch(CLEAR);
  });

  it("sets no cookie when there was no message", async () => {
    const answer = await withFlash(request(), async (flash) => ({ flash }));
    expect(answer.data).toEqual({ flash: null });
    expect(new Headers(answer.init?.headers).get("Set-Cookie")).toBeNull();
  });
});

describe("readFlash", () => {
  it("reads the message redirectWithFlash set, and clears it", async () => {
    const response = await redirectWithFlash("/ideas", "Your idea is posted.");
    const cookie = response.headers.get("Set-Cookie")!.split(";")[0]!;
    const flash = await readFlash(request(cookie));
    expect(flash.message).toBe("Your idea is posted.");
    expect(flash.clear).toMatch(CLEAR);
  });

  it("has nothing to read or clear without a flash cookie", async () => {
    expect(await readFlash(request())).toEqual({ message: null, clear: null });
    expect(await readFlash(request("gs_session=abc; other=1"))).toEqual({ message: null, clear: null });
    expect(await readFlash(request("not_gs_flash=1"))).toEqual({ message: null, clear: null });
  });

  it.each([
    "gs_flash=",
    "gs_flash=%",
    "gs_flash=%E0%A4%A",
    "gs_flash=!!!",
    "gs_flash=e30=", // {}
    "gs_flash=MTIz", // 123
    "gs_flash=bnVsbA==", // null
    "gs_flash=IiI=", // ""
    "gs_flash=WyJhIl0=", // ["a"]
    'gs_flash="abc',
    "gs_flash=\u00ff\u00fe",
    "a=1; gs_flash=%%%; b=2",
  ])("treats the malformed flash cookie %j as no message, and clears it", async (cookie) => {
    const flash = await readFlash(request(cookie));
    expect(flash.message).toBeNull();
    expect(flash.clear).toMatch(CLEAR);
  });

  it("keeps at most 300 characters of a message", async () => {
    const value = btoa(JSON.stringify("x".repeat(1_000)));
    const flash = await readFlash(request(`gs_flash=${value}`));
    expect(flash.message).toBe("x".repeat(300));
  });
});
