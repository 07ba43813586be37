import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "../components/ui";
import { passThroughHeaders } from "../lib/headers";
import { domainError, redirectWithFlash } from "../lib/http.server";
import { verifyEmail } from "../models/members/account.server";
import { getBranding } from "../models/settings/settings.server";
import { startSession } from "../lib/auth.server";
import { peekEmailToken } from "../models/mail/tokens.server";
import type { FieldErrors } from "../models/shared/validation";
import { translate, useT } from "../i18n";
import { rich } from "../i18n/rich";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Confirm your e-mail address") }];

// Opening the link only shows a button: mail scanners that fetch links do not use it up.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const link = await peekEmailToken(context.db, "verify_email", params.token);
  return { email: link?.email ?? null };
}

export async function action({ params, context }: ActionFunctionArgs) {
  try {
    const done = await verifyEmail(context.db, params.token ?? "");
    if (done.joined && context.member?.id !== done.memberId) {
      // The link finishes joining: it reached the address, so it signs the new member in.
      const { siteName } = await getBranding(context.db);
      const setCookie = await startSession(context.db, done.memberId);
      return redirectWithFlash("/", translate(context.locale, "Welcome to {site}, {name}! Your e-mail address is confirmed.", { site: siteName, name: done.displayName }), { setCookie });
    }
    return redirectWithFlash(context.member ? "/account" : "/", done.changed ? "Your new e-mail address is confirmed and now in use." : "Your e-mail address is confirmed. Thank you!");
  } catch (error) {
    return domainError(error);
  }
}

export default function VerifyEmail() {
  const t = useT();
  const { email } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors }>();
  if (!email) {
    return (
      <div className="auth-page">
        <h1>{t("This link does not work any more")}</h1>
        <p>{rich(t("Confirmation links work once, for 48 hours. Sign in and ask for a new one on <0>your account page</0>."), [<Link to="/account" />])}</p>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <h1>{t("Confirm your e-mail address")}</h1>
      <p className="lead">{rich(t("Is <0>{email}</0> yours?", { email }), [<strong />])}</p>
      <Form method="post" className="auth-form">
        <FormMessage message={actionData?.fieldErrors?.form} />
        <button type="submit" className="button button-primary button-block">{t("Yes, confirm my address")}</button>
      </Form>
    </div>
  );
}
