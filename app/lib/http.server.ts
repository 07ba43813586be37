import { createCookie, data, redirect, type AppLoadContext } from "@remix-run/node";
import type { CurrentMember } from "./auth.server";
import { DomainError } from "../models/shared/errors";
import type { FieldErrors } from "../models/shared/validation";
import { idSchema } from "../models/shared/validation";

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

/** Only a local path may be redirected to, never another site. */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
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

/** Reads the one-time message and the header that clears it. */
export async function readFlash(request: Request): Promise<{ message: string | null; clear: string | null }> {
  const value: unknown = await flashCookie.parse(request.headers.get("Cookie"));
  if (typeof value !== "string" || !value) return { message: null, clear: null };
  return { message: value.slice(0, 300), clear: await flashCookie.serialize("", { maxAge: 0 }) };
}

/** The request's form data, or a 400 when the body is not a form. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    fail(400, "The request body is not a valid form submission.");
  }
}

/** After a form posted without JavaScript, go back where it came from; with a fetcher, answer with data. */
export function returnToOrData<T>(form: FormData, value: T, anchor = "") {
  const to = form.get("returnTo");
  if (typeof to === "string" && to) return redirect(`${safeRedirectPath(to)}${anchor}`);
  return value;
}
