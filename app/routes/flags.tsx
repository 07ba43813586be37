import type { ActionFunctionArgs } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { FormMessage } from "../components/ui";
import { domainError, formError, readForm, redirectWithFlash, requireMember, safeRedirectPath } from "../lib/http.server";
import { flagIntents } from "../models/moderation/schemas.server";
import { flagItem, withdrawFlag } from "../models/moderation/flags.server";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

/** Members flag ideas, comments and members, and withdraw their flags. */
export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  const returnTo = form.get("returnTo");
  const parsed = parseForm(flagIntents, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    if (parsed.data.intent === "withdraw-flag") {
      await withdrawFlag(context.db, member, parsed.data.flagId);
      return returnTo ? redirectWithFlash(safeRedirectPath(returnTo), "Your flag is withdrawn.") : { ok: true, withdrawn: true };
    }
    const result = await flagItem(context.db, member, parsed.data);
    const message = result.hidden
      ? "Thank you. It is hidden until a moderator reviews it."
      : "Thank you. A moderator will review it.";
    return returnTo ? redirectWithFlash(safeRedirectPath(returnTo), message) : { ok: true, message };
  } catch (error) {
    return domainError(error);
  }
}

/** Shown only when a flag posted without JavaScript was refused. */
export default function FlagRefused() {
  const t = useT();
  const data = useActionData<{ fieldErrors?: Record<string, string> }>();
  if (!data) {
    return (
      <div className="narrow-page">
        <h1>{t("Flags")}</h1>
        <p>{t("Flag an idea, a comment or a member from where you see it, with the “Flag” link.")}</p>
        <p><Link to="/" className="button button-secondary">{t("Back to ideas")}</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow-page">
      <h1>{t("Your flag was not sent")}</h1>
      <FormMessage message={Object.values(data?.fieldErrors ?? {}).join(" ") || "The request was not valid."} />
      <p><Link to="/" className="button button-secondary">{t("Back to ideas")}</Link></p>
    </div>
  );
}
