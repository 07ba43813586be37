import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { fail, requireMember } from "../lib/http.server";
import { openNotification } from "../models/notifications.server";

/** Opening a notification marks it read and goes to what it is about. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const id = params.notificationId ?? "";
  if (!/^\d{1,18}$/.test(id)) fail(404, "That notification does not exist.");
  const target = await openNotification(context.db, member.id, id);
  if (!target) fail(404, "That notification does not exist.");
  if (!target.idea_id) return redirect("/notifications");
  return redirect(`/ideas/${target.idea_id}${target.comment_id ? `#comment-${target.comment_id}` : ""}`);
}
