import { randomBytes } from "node:crypto";

export const MAX_BODY_BYTES = 256 * 1024;

/** The account page takes an avatar upload (a 2 MiB file, app/models/members/avatar.ts) and a little form around it. */
export const MAX_UPLOAD_BODY_BYTES = 2 * 1024 * 1024 + 64 * 1024;
const UPLOAD_PATHS = new Set(["/account", "/account.data"]);

/** The largest request body a path accepts: the upload route's, or everyone else's. */
export const maxBodyBytesFor = (path: string) => (UPLOAD_PATHS.has(path) ? MAX_UPLOAD_BODY_BYTES : MAX_BODY_BYTES);

export const newNonce = () => randomBytes(16).toString("base64");

/** The security headers every response carries. Scripts run only with this response's nonce. */
export function securityHeaders(nonce: string, production: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${production ? "" : " ws://localhost:*"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  const headers: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (production) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The first value of a header a proxy may have appended to. */
const firstValue = (header: string | null | undefined) => header?.split(",")[0]?.trim() || null;

/**
 * This site's origin (scheme, host and port) as the browser sees it, from the
 * request's own connection and Host header; behind trusted proxies
 * (`trustProxy` > 0), from X-Forwarded-Proto and X-Forwarded-Host when they
 * are present. Null when the host is missing or not a host.
 */
export function siteOrigin(
  request: {
    encrypted: boolean;
    host?: string | null;
    forwardedProto?: string | null;
    forwardedHost?: string | null;
  },
  trustProxy: number,
): string | null {
  const trusted = trustProxy > 0;
  const forwardedProto = trusted ? firstValue(request.forwardedProto)?.toLowerCase() : null;
  const scheme = forwardedProto === "http" || forwardedProto === "https" ? forwardedProto : request.encrypted ? "https" : "http";
  const host = (trusted ? firstValue(request.forwardedHost) : null) ?? request.host?.trim();
  // A host and an optional port, nothing that would change what the URL means.
  if (!host || /[\s/\\?#@]/.test(host)) return null;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a request may change state: safe methods always; otherwise the
 * browser's Origin (or, failing that, Sec-Fetch-Site) must say it came from
 * this site: the same scheme, host and port as `siteOrigin`. Requests without
 * either header (curl, server-to-server) carry no ambient cookies from a
 * victim's browser and are let through.
 */
export function isSameOriginRequest(
  method: string,
  headers: { origin?: string | null; siteOrigin?: string | null; secFetchSite?: string | null },
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (headers.origin) {
    if (headers.origin === "null" || !headers.siteOrigin) return false;
    try {
      return new URL(headers.origin).origin === headers.siteOrigin;
    } catch {
      return false;
    }
  }
  if (headers.secFetchSite) return headers.secFetchSite === "same-origin" || headers.secFetchSite === "none";
  return true;
}
