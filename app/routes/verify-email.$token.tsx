import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "../components/ui";
import { passThroughHeaders } from "../lib/headers";
import { domainError, redirectWithFlash } from "../lib/http.server";
import { verifyEmail } from "../models/members/account.server";
import { getBranding } from "../models/settings/settings.server";
import { startSession } from "../lib/auth.server";
import { peekEmailToken } from "../models/mail/tokens.server";
import type { FieldErrors } from "../models/shared/validation";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Confirm your e-mail address · Harbor Ideas" }];

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
      return redirectWithFlash("/", `Welcome to ${siteName}, ${done.displayName}! Your e-mail address is confirmed.`, { setCookie });
    }
    return redirectWithFlash(context.member ? "/account" : "/", done.changed ? "Your new e-mail address is confirmed and now in use." : "Your e-mail address is confirmed. Thank you!");
  } catch (error) {
    return domainError(error);
  }
}

export default function VerifyEmail() {
  const { email } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors }>();
  if (!email) {
    return (
      <div className="auth-page">
        <h1>This link does not work any more</h1>
        <p>Confirmation links work once, for 48 hours. Sign in and ask for a new one on <Link to="/account">your account page</Link>.</p>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <h1>Confirm your e-mail address</h1>
      <p className="lead">Is <strong>{email}</strong> yours?</p>
      <Form method="post" className="auth-form">
        <FormMessage message={actionData?.fieldErrors?.form} />
        <button type="submit" className="button button-primary button-block">Yes, confirm my address</button>
      </Form>
    </div>
  );
}
