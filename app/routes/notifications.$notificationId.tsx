import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { fail, requireMember } from "../lib/http.server";
import { openNotification } from "../models/notifications/notifications.server";

/**
 * Opening a notification goes to what it is about, and marks it read when the
 * click came from this site: another site linking here (a cross-site GET)
 * cannot mark anyone's notifications read.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const id = params.notificationId ?? "";
  if (!/^\d{1,18}$/.test(id)) fail(404, "That notification does not exist.");
  const site = request.headers.get("Sec-Fetch-Site");
  const fromHere = site === null || site === "same-origin" || site === "none";
  const target = await openNotification(context.db, member.id, id, fromHere);
  if (!target) fail(404, "That notification does not exist.");
  if (target.message_id) return redirect(`/messages/${target.message_id}`);
  if (target.badge && /^[a-z0-9-]{1,40}$/.test(target.badge)) return redirect(`/badges/${target.badge}`);
  if (!target.idea_id) return redirect("/notifications");
  return redirect(`/ideas/${target.idea_id}${target.comment_id ? `#comment-${target.comment_id}` : ""}`);
}
