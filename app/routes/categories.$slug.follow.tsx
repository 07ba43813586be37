import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { backTo, fail, readForm, redirectWithFlash } from "../lib/http.server";
import { setCategoryFollowing } from "../models/following/follows.server";
import { followIntentSchema } from "../models/following/schemas.server";
import { DomainError } from "../models/shared/errors";

/**
 * POST /categories/:slug/follow: follow or unfollow a category (intent=follow|unfollow),
 * then back to the page the form was on, with a message. Signed-out visitors are sent
 * to sign in, and then back to the category's list.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  const list = `/?category=${encodeURIComponent(slug)}`;
  const member = context.member;
  if (!member) return redirect(`/login?redirectTo=${encodeURIComponent(list)}`);
  const form = await readForm(request);
  const parsed = followIntentSchema.safeParse({ intent: form.get("intent") });
  if (!parsed.success) fail(400, "Choose to follow or unfollow the category.");
  try {
    const follow = parsed.data.intent === "follow";
    const { name } = await setCategoryFollowing(context.db, member, { slug, follow });
    const message = follow ? `You follow ${name}: new ideas in it will show in your notifications.` : `You no longer follow ${name}.`;
    return redirectWithFlash(backTo(request, form) ?? list, message);
  } catch (error) {
    if (error instanceof DomainError) fail(error.status, error.message);
    throw error;
  }
}

export async function loader() {
  return new Response("Follow a category with a form post.", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain" } });
}
