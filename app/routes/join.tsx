import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageTitle, useRootData } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { startSession } from "../lib/auth.server";
import { domainError, formError, readForm, redirectWithFlash, safeRedirectPath } from "../lib/http.server";
import { PASSWORD_MIN } from "../models/members/member";
import { signUpSchema } from "../models/members/schemas.server";
import { requestSignUp } from "../models/members/members.server";
import { getBranding } from "../models/settings/settings.server";
import { mailTransportKind } from "../lib/mail.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { translate, useT } from "../i18n";
import { rich } from "../i18n/rich";

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
      return redirectWithFlash("/join?sent", translate(context.locale, "We have sent a mail to {email}. Open the link in it to finish joining.", { email: parsed.data.email }));
    }
    const { siteName } = await getBranding(context.db);
    const setCookie = await startSession(context.db, joined.id);
    return redirectWithFlash(safeRedirectPath(form.get("redirectTo")), translate(context.locale, "Welcome to {site}, {name}!", { site: siteName, name: parsed.data.displayName }), { setCookie });
  } catch (error) {
    return domainError(error, values);
  }
}

export default function Join() {
  const t = useT();
  const { sent, mailbox } = useLoaderData<typeof loader>();
  const siteName = useRootData()?.brand.siteName ?? "Harbor Ideas";
  if (sent) {
    return (
      <div className="auth-page">
        <h1>{t("Check your inbox")}</h1>
        <p className="lead">{t("The link in our mail finishes joining {site} and signs you in. It works once, for 48 hours.", { site: siteName })}</p>
        <p>{rich(t("Nothing there after a few minutes? Look in your spam folder, or <0>join again</0> for a new link. If the address already has an account, the mail says so and how to get in."), [<Link key="join" to="/join" />])}</p>
        {mailbox ? (
          <p className="notice" role="note">{rich(t("This site has no mail server set up, so its mail is kept in the <0>development mailbox</0>."), [<Link key="mailbox" to="/dev/mailbox" />])}</p>
        ) : null}
        <p className="auth-switch">{t("Already confirmed?")}{" "}<Link to="/login">{t("Sign in")}</Link></p>
      </div>
    );
  }
  return <JoinForm siteName={siteName} />;
}

function JoinForm({ siteName }: { siteName: string }) {
  const t = useT();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors;
  const formRef = useFocusFirstError(errors);
  return (
    <div className="auth-page">
      <h1>{t("Join {site}", { site: siteName })}</h1>
      <p className="lead">{t("Post ideas, vote for the ones you want, and hear back from the team.")}</p>
      <Form method="post" ref={formRef} className="auth-form" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <FormMessage message={errors?.form} />
        <Field label={t("Display name")} name="displayName" autoComplete="nickname" required maxLength={60}
          defaultValue={actionData?.values?.displayName} error={errors?.displayName} hint={t("Shown with your ideas and comments.")} />
        <Field label={t("E-mail")} name="email" type="email" autoComplete="email" required
          defaultValue={actionData?.values?.email} error={errors?.email} hint={t("Never shown to other members.")} />
        <Field label={t("Password")} name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN}
          error={errors?.password} hint={`At least ${PASSWORD_MIN} characters. A long passphrase is best.`} />
        <button type="submit" className="button button-primary button-block" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("Creating your account…") : t("Create account")}
        </button>
      </Form>
      <p className="auth-switch">{t("Already a member?")}{" "}<Link to={`/login${params.toString() ? `?${params}` : ""}`}>{t("Sign in")}</Link></p>
    </div>
  );
}
