import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageTitle, useRootData } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { startSession } from "../lib/auth.server";
import { domainError, formError, readForm, redirectWithFlash, safeRedirectPath } from "../lib/http.server";
import { PASSWORD_MIN, signUpSchema } from "../models/members/member";
import { requestSignUp } from "../models/members/members.server";
import { getBranding } from "../models/settings/settings.server";
import { mailTransportKind } from "../lib/mail.server";
import { parseForm, type FieldErrors } from "../models/shared/validation";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Join") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (context.member) throw redirect(safeRedirectPath(url.searchParams.get("redirectTo")));
  return { sent: url.searchParams.has("sent"), mailbox: mailTransportKind() === "mailbox" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(signUpSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  const { password: _password, ...values } = parsed.data;
  try {
    const joined = await requestSignUp(context.db, parsed.data, context.client);
    if (joined.confirm) {
      // The same answer whether or not the address already has an account.
      return redirectWithFlash("/join?sent", `We have sent a mail to ${parsed.data.email}. Open the link in it to finish joining.`);
    }
    const { siteName } = await getBranding(context.db);
    const setCookie = await startSession(context.db, joined.id);
    return redirectWithFlash(safeRedirectPath(form.get("redirectTo")), `Welcome to ${siteName}, ${parsed.data.displayName}!`, { setCookie });
  } catch (error) {
    return domainError(error, values);
  }
}

export default function Join() {
  const { sent, mailbox } = useLoaderData<typeof loader>();
  const siteName = useRootData()?.brand.siteName ?? "Harbor Ideas";
  if (sent) {
    return (
      <div className="auth-page">
        <h1>Check your inbox</h1>
        <p className="lead">The link in our mail finishes joining {siteName} and signs you in. It works once, for 48 hours.</p>
        <p>Nothing there after a few minutes? Look in your spam folder, or <Link to="/join">join again</Link> for a new link.
          If the address already has an account, the mail says so and how to get in.</p>
        {mailbox ? (
          <p className="notice" role="note">This site has no mail server set up, so its mail is kept in the{" "}
            <Link to="/dev/mailbox">development mailbox</Link>.</p>
        ) : null}
        <p className="auth-switch">Already confirmed? <Link to="/login">Sign in</Link></p>
      </div>
    );
  }
  return <JoinForm siteName={siteName} />;
}

function JoinForm({ siteName }: { siteName: string }) {
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors;
  const formRef = useFocusFirstError(errors);
  return (
    <div className="auth-page">
      <h1>Join {siteName}</h1>
      <p className="lead">Post ideas, vote for the ones you want, and hear back from the team.</p>
      <Form method="post" ref={formRef} className="auth-form" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <FormMessage message={errors?.form} />
        <Field label="Display name" name="displayName" autoComplete="nickname" required maxLength={60}
          defaultValue={actionData?.values?.displayName} error={errors?.displayName} hint="Shown with your ideas and comments." />
        <Field label="E-mail" name="email" type="email" autoComplete="email" required
          defaultValue={actionData?.values?.email} error={errors?.email} hint="Never shown to other members." />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN}
          error={errors?.password} hint={`At least ${PASSWORD_MIN} characters. A long passphrase is best.`} />
        <button type="submit" className="button button-primary button-block" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Creating your account…" : "Create account"}
        </button>
      </Form>
      <p className="auth-switch">Already a member? <Link to={`/login${params.toString() ? `?${params}` : ""}`}>Sign in</Link></p>
    </div>
  );
}
