import type { LoaderFunctionArgs } from "@remix-run/node";
import { suggestMembers } from "../models/members/members.server";

/** GET /mentions?q=ka: members to offer after "@" in a comment (JSON; signed-in members only). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, max-age=30" } });
  if (!context.member) return json({ members: [], message: "Sign in to mention members." }, 403);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 30);
  if (!/^[\p{L}\p{N}_ .'-]{1,30}$/u.test(q)) return json({ members: [] });
  return json({ members: await suggestMembers(context.db, q) });
}
