import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { LANG_COOKIE, isLocale } from "../i18n/locales";
import { fail, readForm, safeRedirectPath } from "../lib/http.server";
import { setMemberLocale } from "../models/preferences/locale.server";

/**
 * The footer's language select (works without JavaScript: a form POST that comes back).
 * Anyone: a `gs_lang` cookie for a year. A signed-in member: also their stored choice.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const locale = form.get("locale");
  // "auto" (the account page): forget the choice and follow the browser again.
  if (locale !== "auto" && !isLocale(locale)) fail(400, "That language is not offered.");
  if (context.member) await setMemberLocale(context.db, context.member.id, locale === "auto" ? null : locale);
  const secure = process.env.NODE_ENV === "production" ? "; Secure" : "";
  const cookie = locale === "auto" ? `${LANG_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure}` : `${LANG_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
  return redirect(safeRedirectPath(form.get("returnTo")), { headers: { "Set-Cookie": cookie } });
}

export const loader = () => redirect("/");
