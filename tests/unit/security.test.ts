import { describe, expect, it } from "vitest";
import { isSameOriginRequest, MAX_BODY_BYTES, MAX_UPLOAD_BODY_BYTES, maxBodyBytesFor, newNonce, securityHeaders, siteOrigin } from "../../app/lib/security.server";

const HOST = "ideas.example.com";
const SITE = `https://${HOST}`;

describe("isSameOriginRequest", () => {
  it.each(["GET", "HEAD", "OPTIONS", "get", "head"])("always allows %s, whatever the headers", (method) => {
    expect(isSameOriginRequest(method, { origin: "https://evil.example", siteOrigin: SITE, secFetchSite: "cross-site" })).toBe(true);
    expect(isSameOriginRequest(method, { origin: "null", siteOrigin: SITE })).toBe(true);
  });

  it.each(["POST", "PUT", "PATCH", "DELETE", "post"])("allows %s from the same origin", (method) => {
    expect(isSameOriginRequest(method, { origin: SITE, siteOrigin: SITE })).toBe(true);
  });

  it("compares the port too", () => {
    expect(isSameOriginRequest("POST", { origin: "http://localhost:3000", siteOrigin: "http://localhost:3000" })).toBe(true);
    expect(isSameOriginRequest("POST", { origin: "http://localhost:3001", siteOrigin: "http://localhost:3000" })).toBe(false);
    expect(isSameOriginRequest("POST", { origin: "http://localhost", siteOrigin: "http://localhost:3000" })).toBe(false);
  });

  it("compares the scheme too", () => {
    expect(isSameOriginRequest("POST", { origin: `http://${HOST}`, siteOrigin: SITE })).toBe(false);
    expect(isSameOriginRequest("POST", { origin: SITE, siteOrigin: `http://${HOST}` })).toBe(false);
    expect(isSameOriginRequest("POST", { origin: `ws://${HOST}`, siteOrigin: `http://${HOST}` })).toBe(false);
  });

  it("treats a default port in the Origin as the bare host", () => {
    expect(isSameOriginRequest("POST", { origin: `https://${HOST}:443`, siteOrigin: SITE })).toBe(true);
    expect(isSameOriginRequest("POST", { origin: `http://${HOST}:80`, siteOrigin: `http://${HOST}` })).toBe(true);
    expect(isSameOriginRequest("POST", { origin: `https://${HOST}:80`, siteOrigin: SITE })).toBe(false);
  });

  it.each([
    "https://evil.example",
    `https://${HOST}.evil.example`,
    `https://evil.${HOST}`,
    "https://evil.example/ideas.example.com",
    `https://${HOST}@evil.example`,
  ])("refuses POST from another origin %j", (origin) => {
    expect(isSameOriginRequest("POST", { origin, siteOrigin: SITE })).toBe(false);
  });

  it("refuses Origin \"null\" (sandboxed frames, some redirects)", () => {
    expect(isSameOriginRequest("POST", { origin: "null", siteOrigin: SITE })).toBe(false);
    expect(isSameOriginRequest("POST", { origin: "null", siteOrigin: SITE, secFetchSite: "same-origin" })).toBe(false);
  });

  it.each(["not a url", "ideas.example.com", "://", "https://"])("refuses malformed Origin %j", (origin) => {
    expect(isSameOriginRequest("POST", { origin, siteOrigin: SITE })).toBe(false);
  });

  it("refuses an Origin when the site's own origin is unknown (no Host header)", () => {
    expect(isSameOriginRequest("POST", { origin: SITE })).toBe(false);
    expect(isSameOriginRequest("POST", { origin: SITE, siteOrigin: null })).toBe(false);
  });

  it("lets a matching Origin decide even if Sec-Fetch-Site says otherwise", () => {
    expect(isSameOriginRequest("POST", { origin: SITE, siteOrigin: SITE, secFetchSite: "cross-site" })).toBe(true);
    expect(isSameOriginRequest("POST", { origin: "https://evil.example", siteOrigin: SITE, secFetchSite: "same-origin" })).toBe(false);
  });

  it("without Origin, refuses Sec-Fetch-Site cross-site and same-site", () => {
    expect(isSameOriginRequest("POST", { siteOrigin: SITE, secFetchSite: "cross-site" })).toBe(false);
    expect(isSameOriginRequest("POST", { siteOrigin: SITE, secFetchSite: "same-site" })).toBe(false);
    expect(isSameOriginRequest("POST", { origin: null, siteOrigin: SITE, secFetchSite: "cross-site" })).toBe(false);
  });

  it("without Origin, allows Sec-Fetch-Site same-origin and none", () => {
    expect(isSameOriginRequest("POST", { siteOrigin: SITE, secFetchSite: "same-origin" })).toBe(true);
    expect(isSameOriginRequest("POST", { siteOrigin: SITE, secFetchSite: "none" })).toBe(true);
  });

  it("allows a request with neither Origin nor Sec-Fetch-Site (curl, server to server)", () => {
    expect(isSameOriginRequest("POST", { siteOrigin: SITE })).toBe(true);
    expect(isSameOriginRequest("DELETE", { origin: null, siteOrigin: SITE, secFetchSite: null })).toBe(true);
    expect(isSameOriginRequest("POST", {})).toBe(true);
  });
});

describe("siteOrigin", () => {
  const direct = { encrypted: false, host: "localhost:3000" };

  it("is the connection's scheme with the Host header", () => {
    expect(siteOrigin(direct, 0)).toBe("http://localhost:3000");
    expect(siteOrigin({ encrypted: true, host: HOST }, 0)).toBe(SITE);
  });

  it("normalises the host: lower case, default port dropped, international names in punycode", () => {
    expect(siteOrigin({ encrypted: false, host: "Ideas.Example.COM:80" }, 0)).toBe(`http://${HOST}`);
    expect(siteOrigin({ encrypted: true, host: `${HOST}:443` }, 0)).toBe(SITE);
    expect(siteOrigin({ encrypted: true, host: "bücher.example" }, 0)).toBe("https://xn--bcher-kva.example");
  });

  it("ignores X-Forwarded-Proto and X-Forwarded-Host unless proxies are trusted", () => {
    const forwarded = { ...direct, forwardedProto: "https", forwardedHost: "evil.example" };
    expect(siteOrigin(forwarded, 0)).toBe("http://localhost:3000");
  });

  it("behind trusted proxies, takes the scheme and host they forwarded (the first, if a list)", () => {
    expect(siteOrigin({ encrypted: false, host: "app:3001", forwardedProto: "https", forwardedHost: HOST }, 1)).toBe(SITE);
    expect(siteOrigin({ encrypted: false, host: "app:3001", forwardedProto: "https, http", forwardedHost: `${HOST}, app:3001` }, 2)).toBe(SITE);
    expect(siteOrigin({ encrypted: false, host: HOST, forwardedProto: "HTTPS" }, 1)).toBe(SITE);
  });

  it("behind trusted proxies, falls back to the connection for headers that are missing or not http(s)", () => {
    expect(siteOrigin({ encrypted: false, host: HOST }, 1)).toBe(`http://${HOST}`);
    expect(siteOrigin({ encrypted: false, host: HOST, forwardedProto: "javascript" }, 1)).toBe(`http://${HOST}`);
    expect(siteOrigin({ encrypted: false, host: HOST, forwardedHost: " " }, 1)).toBe(`http://${HOST}`);
  });

  it.each([null, undefined, "", " ", "evil.example/path", "a@evil.example", "evil.example\\x", "a b", "x?y", "x#y", "[::1", "host:99999"])(
    "is null for the host %j",
    (host) => {
      expect(siteOrigin({ encrypted: false, host }, 0)).toBeNull();
    },
  );

  it("refuses a cross-scheme POST end to end: http page posting to the https site", () => {
    const site = siteOrigin({ encrypted: false, host: "app:3001", forwardedProto: "https", forwardedHost: HOST }, 1);
    expect(isSameOriginRequest("POST", { origin: `http://${HOST}`, siteOrigin: site })).toBe(false);
    expect(isSameOriginRequest("POST", { origin: SITE, siteOrigin: site })).toBe(true);
  });
});

/** The CSP as a map of directive name to its source list. */
function csp(headers: Record<string, string>): Map<string, string[]> {
  const policy = headers["Content-Security-Policy"];
  expect(policy).toBeDefined();
  return new Map(
    policy!.split(";").map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as [string, string[]];
    }),
  );
}

describe("securityHeaders", () => {
  const nonce = "AbC123+/xyz==";

  it.each([true, false])("puts the nonce in script-src without 'unsafe-inline' (production %s)", (production) => {
    const scriptSrc = csp(securityHeaders(nonce, production)).get("script-src");
    expect(scriptSrc).toContain(`'nonce-${nonce}'`);
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(scriptSrc).not.toContain("*");
  });

  it("uses the nonce it is given", () => {
    const a = securityHeaders("first", true)["Content-Security-Policy"];
    const b = securityHeaders("second", true)["Content-Security-Policy"];
    expect(a).toContain("'nonce-first'");
    expect(a).not.toContain("second");
    expect(b).toContain("'nonce-second'");
  });

  it.each([true, false])("forbids framing and plugins (production %s)", (production) => {
    const headers = securityHeaders(nonce, production);
    const policy = csp(headers);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(headers["X-Frame-Options"]).toBe("DENY");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Cross-Origin-Opener-Policy"]).toBe("same-origin");
  });

  it("sends HSTS only in production", () => {
    expect(securityHeaders(nonce, true)["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(securityHeaders(nonce, false)).not.toHaveProperty("Strict-Transport-Security");
  });

  it("allows the dev-server websocket only outside production", () => {
    expect(csp(securityHeaders(nonce, true)).get("connect-src")).toEqual(["'self'"]);
    expect(csp(securityHeaders(nonce, false)).get("connect-src")).toEqual(["'self'", "ws://localhost:*"]);
  });
});

describe("newNonce", () => {
  it("returns 16 random bytes in base64, different each time", () => {
    const a = newNonce();
    const b = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(a).not.toBe(b);
  });
});

describe("MAX_BODY_BYTES", () => {
  it("is 256 KiB", () => {
    expect(MAX_BODY_BYTES).toBe(262_144);
  });
  it("is larger only for the account page, which takes an avatar upload (2 MiB and the form around it)", () => {
    expect(maxBodyBytesFor("/account")).toBe(MAX_UPLOAD_BODY_BYTES);
    expect(maxBodyBytesFor("/account.data")).toBe(MAX_UPLOAD_BODY_BYTES);
    expect(MAX_UPLOAD_BODY_BYTES).toBeGreaterThan(2 * 1024 * 1024);
    expect(MAX_UPLOAD_BODY_BYTES).toBeLessThan(3 * 1024 * 1024);
    for (const path of ["/", "/ideas/new", "/account/", "/accounts", "/ideas/1", "/login"]) expect(maxBodyBytesFor(path)).toBe(MAX_BODY_BYTES);
  });
});
