import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageTitle, useRootData } from "../components/root-data";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { startSession } from "../lib/auth.server";
import { domainError, formError, readForm, redirectWithFlash, safeRedirectPath } from "../lib/http.server";
import { PASSWORD_MIN, signUpSchema } from "../models/members/member";
import { signUp } from "../models/members/members.server";
import { parseForm, type FieldErrors } from "../models/shared/validation";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Join") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.member) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(signUpSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  const { password: _password, ...values } = parsed.data;
  try {
    const member = await signUp(context.db, parsed.data, context.client);
    const setCookie = await startSession(context.db, member.id);
    return redirectWithFlash(safeRedirectPath(form.get("redirectTo")), `Welcome to Harbor Ideas, ${parsed.data.displayName}!`, { setCookie });
  } catch (error) {
    return domainError(error, values);
  }
}

export default function Join() {
  const t = useT();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors;
  const formRef = useFocusFirstError(errors);
  return (
    <div className="auth-page">
      <h1>{t("Join {site}", { site: useRootData()?.brand.siteName ?? "Harbor Ideas" })}</h1>
      <p className="lead">{t("Post ideas, vote for the ones you want, and hear back from the Harbor team.")}</p>
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
