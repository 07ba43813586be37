import {
  MaxPartSizeExceededError,
  createCookie,
  data,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type AppLoadContext,
} from "@remix-run/node";
import type { CurrentMember } from "./auth.server";
import { DomainError } from "../models/shared/errors";
import type { FieldErrors } from "../models/shared/validation";
import { idSchema } from "../models/shared/schemas.server";

export type FormErrorData = { fieldErrors: FieldErrors; values: Record<string, string> };

/** A 4xx answer for a form: the message per field and the values to refill it. */
export function formError(status: number, fieldErrors: FieldErrors, values: Record<string, string> = {}) {
  return data<FormErrorData>({ fieldErrors, values }, { status });
}

/**
 * Turns an expected domain refusal into a form answer with its status;
 * anything else is rethrown (a bug, answered with the 500 page).
 */
export function domainError(error: unknown, values: Record<string, string> = {}) {
  if (!(error instanceof DomainError)) throw error;
  const headers = error.retryAfter ? { "Retry-After": String(error.retryAfter) } : undefined;
  return data<FormErrorData>(
    { fieldErrors: { [error.field ?? "form"]: error.message }, values },
    { status: error.status, headers },
  );
}

/** Throws a response that the error boundary shows. */
export function fail(status: number, message: string): never {
  throw data({ message }, { status });
}

/** For loaders: an expected domain refusal becomes the error page with its status. */
export async function orFail<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError) fail(error.status, error.message);
    throw error;
  }
}

/** The route's id parameter ("123" or "123-some-slug"), or a 404. */
export function idParam(raw: string | undefined, what = "That page"): number {
  const match = /^(\d{1,10})(?:-[a-z0-9-]*)?$/.exec(raw ?? "");
  const parsed = idSchema.safeParse(match?.[1]);
  if (!parsed.success) fail(404, `${what} does not exist.`);
  return parsed.data;
}

// Redirect targets are resolved against this stand-in for our own origin, by
// the same WHATWG URL rules a browser applies to a Location header.
const OWN_ORIGIN = "https://groundswell.invalid";
const MAX_REDIRECT_LENGTH = 2_000;

/**
 * A client-chosen redirect target as a path on this site, or `fallback`.
 * The target is parsed the way a browser would (tabs and newlines dropped,
 * backslashes read as slashes, "https:x" taken as relative, and so on) and
 * kept only if it stays on this origin. The answer is the normalised,
 * percent-encoded path, query and fragment: printable ASCII that a browser
 * resolves to the same path, never to another host.
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to === "" || to.length > MAX_REDIRECT_LENGTH) return fallback;
  let url: URL;
  try {
    url = new URL(to, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  // "/.//evil.example" normalises to the path "//evil.example", which a
  // browser would read as another host.
  if (url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The signed-in member, or a redirect to sign in and come back. */
export function requireMember(context: AppLoadContext, request: Request): CurrentMember {
  if (context.member) return context.member;
  const url = new URL(request.url);
  const back = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

const flashCookie = createCookie("gs_flash", {
  path: "/",
  httpOnly: true,
  sameSite: "lax",
  secure: process.env.NODE_ENV === "production",
  maxAge: 60,
});

/** Post/Redirect/Get with a one-time message shown on the next page. */
export async function redirectWithFlash(to: string, message: string, init: { setCookie?: string } = {}) {
  const headers = new Headers();
  if (init.setCookie) headers.append("Set-Cookie", init.setCookie);
  headers.append("Set-Cookie", await flashCookie.serialize(message));
  return redirect(to, { headers });
}

/**
 * Reads the one-time message and the header that clears it. A flash cookie
 * that is not a message we wrote (malformed, not text, empty) is no message,
 * and is cleared all the same.
 */
export async function readFlash(request: Request): Promise<{ message: string | null; clear: string | null }> {
  const header = request.headers.get("Cookie");
  if (!header || !hasCookie(header, flashCookie.name)) return { message: null, clear: null };
  let value: unknown;
  try {
    value = await flashCookie.parse(header);
  } catch {
    value = null;
  }
  const clear = await flashCookie.serialize("", { maxAge: 0 });
  if (typeof value !== "string" || !value) return { message: null, clear };
  return { message: value.slice(0, 300), clear };
}

/**
 * A loader's answer with the one-time message read for it (the root's): `build` gets the
 * message, and the answer carries the header that clears its cookie.
 */
export async function withFlash<T>(request: Request, build: (message: string | null) => Promise<T>) {
  const flash = await readFlash(request);
  return data(await build(flash.message), { headers: flash.clear ? { "Set-Cookie": flash.clear } : undefined });
}

/** Whether a Cookie header names this cookie (whatever its value). */
function hasCookie(header: string, name: string): boolean {
  return header.split(";").some((pair) => pair.trimStart().startsWith(`${name}=`));
}

/** The request's form data, or a 400 when the body is not a form. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    fail(400, "The request body is not a valid form submission.");
  }
}

/** Whether the request's body is a multipart form (a file upload). */
export const isMultipart = (request: Request) => /^multipart\/form-data\s*;/i.test(request.headers.get("Content-Type") ?? "");

/**
 * A multipart form with one file, held in memory: a body declared larger than
 * `maxBodyBytes`, or a part larger than `maxPartBytes` as it arrives, is
 * `tooLarge()` (a 413); a body that is not a multipart form is a 400. The
 * server's body limit for the route (security.server.ts) is the outer guard.
 */
export async function readMultipartForm(
  request: Request,
  limits: { maxPartBytes: number; maxBodyBytes: number; tooLarge: () => DomainError },
): Promise<FormData> {
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > limits.maxBodyBytes) throw limits.tooLarge();
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: limits.maxPartBytes }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw limits.tooLarge();
    throw new DomainError(400, "The request body is not a valid form submission.");
  }
}

/** Query parameters that only open a form on the page (?reply=12): not kept when coming back. */
const FORM_OPENERS = ["reply", "edit", "flag", "moderate"];

/**
 * Where a form posted without JavaScript goes back to: its `returnTo` field if it has one,
 * else the page it was posted from (a navigation's Referer, when it is this site's), as a
 * path on this site (see `safeRedirectPath`). Null for a fetch (JavaScript), which gets data.
 */
export function backTo(request: Request, form: FormData): string | null {
  const field = form.get("returnTo");
  if (typeof field === "string" && field) return safeRedirectPath(field);
  if (request.headers.get("Sec-Fetch-Mode") !== "navigate") return null;
  const referer = request.headers.get("Referer");
  if (!referer) return null;
  let from: URL;
  try {
    from = new URL(referer);
  } catch {
    return null;
  }
  const origin = request.headers.get("Origin");
  if (origin && origin !== from.origin) return null;
  for (const name of FORM_OPENERS) from.searchParams.delete(name);
  return safeRedirectPath(`${from.pathname}${from.search}`);
}

/**
 * After a form posted without JavaScript, go back where it came from (`backTo`), at
 * `anchor` if given; with a fetcher, answer with data.
 */
export function returnToOrData<T>(request: Request, form: FormData, value: T, anchor = "") {
  const to = backTo(request, form);
  if (!to) return value;
  const url = new URL(to, OWN_ORIGIN);
  if (anchor) url.hash = anchor;
  return redirect(`${url.pathname}${url.search}${url.hash}`);
}
