import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { startSession } from "../../app/lib/auth.server";
import { buildContext } from "../../app/lib/context.server";
import type { DB } from "../../app/lib/db.server";

export interface RouteResult {
  status: number;
  data: any;
  headers: Headers;
}

type RouteFn = (args: any) => unknown;

/** A session cookie for a member, made the same way signing in makes it. */
export async function cookieFor(db: DB, memberId: number): Promise<string> {
  const setCookie = await startSession(db, memberId);
  return setCookie.split(";")[0]!;
}

/**
 * Calls a route's loader or action the way Remix does: with a real Request,
 * the params, and the context our server builds (session cookie resolved).
 * Whatever it returns or throws (data, redirect, error response) is
 * normalised to status, data and headers.
 */
export async function callRoute(
  fn: RouteFn,
  db: DB,
  options: {
    path: string;
    params?: Record<string, string>;
    method?: "GET" | "POST";
    form?: Record<string, string> | URLSearchParams;
    cookie?: string;
    client?: string;
    body?: BodyInit;
    contentType?: string;
    /** More request headers (Sec-Fetch-Site, Origin, …). */
    headers?: Record<string, string>;
  },
): Promise<RouteResult> {
  const method = options.method ?? (options.form || options.body ? "POST" : "GET");
  const headers = new Headers();
  if (options.cookie) headers.set("Cookie", options.cookie);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  let body: BodyInit | undefined = options.body;
  if (options.form) {
    body = options.form instanceof URLSearchParams ? options.form : new URLSearchParams(options.form);
  }
  if (options.contentType) headers.set("Content-Type", options.contentType);
  const request = new Request(`http://localhost${options.path}`, { method, headers, body });
  const { context } = await buildContext(db, request.headers.get("Cookie"), {
    client: options.client ?? "127.0.0.1",
    nonce: "test",
    acceptLanguage: request.headers.get("Accept-Language"),
  });
  const args = { request, params: options.params ?? {}, context: context as unknown as AppLoadContext } satisfies LoaderFunctionArgs | ActionFunctionArgs;
  try {
    return await normalise(await fn(args));
  } catch (thrown) {
    return normalise(thrown, true);
  }
}

async function normalise(value: unknown, thrown = false): Promise<RouteResult> {
  if (value instanceof Response) {
    const text = await value.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // plain text body
    }
    return { status: value.status, data, headers: value.headers };
  }
  if (value && typeof value === "object" && (value as { type?: string }).type === "DataWithResponseInit") {
    const v = value as { data: unknown; init?: ResponseInit | null };
    return { status: v.init?.status ?? 200, data: v.data, headers: new Headers(v.init?.headers) };
  }
  if (thrown) throw value;
  return { status: 200, data: value, headers: new Headers() };
}
