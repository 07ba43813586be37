import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "../components/ui";
import { passThroughHeaders } from "../lib/headers";
import { domainError, redirectWithFlash } from "../lib/http.server";
import { verifyEmail } from "../models/members/account.server";
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
    const { changed } = await verifyEmail(context.db, params.token ?? "");
    return redirectWithFlash(context.member ? "/account" : "/", changed ? "Your new e-mail address is confirmed and now in use." : "Your e-mail address is confirmed. Thank you!");
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
