import { randomBytes } from "node:crypto";

export const MAX_BODY_BYTES = 256 * 1024;

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

/**
 * Whether a request may change state: safe methods always; otherwise the
 * browser's Origin (or, failing that, Sec-Fetch-Site) must say it came from
 * this site. Requests without either header (curl, server-to-server) carry no
 * ambient cookies from a victim's browser and are let through.
 */
export function isSameOriginRequest(
  method: string,
  headers: { origin?: string | null; host?: string | null; secFetchSite?: string | null },
): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (headers.origin) {
    if (headers.origin === "null") return false;
    try {
      return new URL(headers.origin).host === headers.host;
    } catch {
      return false;
    }
  }
  if (headers.secFetchSite) return headers.secFetchSite === "same-origin" || headers.secFetchSite === "none";
  return true;
}
