import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { msg } from "../i18n";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { startSession } from "../lib/auth.server";
import { passThroughHeaders } from "../lib/headers";
import { domainError, formError, readForm, redirectWithFlash } from "../lib/http.server";
import { resetPassword } from "../models/members/account.server";
import { PASSWORD_MIN } from "../models/members/member";
import { resetPasswordSchema } from "../models/members/schemas.server";
import { peekEmailToken } from "../models/mail/tokens.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Choose a new password") }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const link = await peekEmailToken(context.db, "reset_password", params.token);
  return { valid: !!link, displayName: link?.displayName ?? null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(resetPasswordSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, {});
  try {
    const { memberId } = await resetPassword(context.db, { token: params.token ?? "", password: parsed.data.password });
    const setCookie = await startSession(context.db, memberId);
    return redirectWithFlash("/", msg("Your password is changed, and you are signed in. Every other session was signed out."), { setCookie });
  } catch (error) {
    return domainError(error);
  }
}

export default function ResetPassword() {
  const t = useT();
  const { valid, displayName } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors }>();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors;
  const formRef = useFocusFirstError(errors);
  if (!valid && !errors) {
    return (
      <div className="auth-page">
        <h1>{t("This link does not work any more")}</h1>
        <p>{t("Reset links work once, for one hour.")}{" "}<Link to="/forgot-password">{t("Ask for a new one")}</Link>.</p>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <h1>{t("Choose a new password")}</h1>
      {displayName ? <p className="lead">For the account of {displayName}. Every other session will be signed out.</p> : null}
      <Form method="post" ref={formRef} className="auth-form" noValidate>
        <FormMessage message={errors?.form} />
        <Field label={t("New password")} name="password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN}
          error={errors?.password} hint={`At least ${PASSWORD_MIN} characters. A long passphrase is best.`} />
        <button type="submit" className="button button-primary button-block" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("Saving…") : t("Save my new password")}
        </button>
      </Form>
      {errors?.form ? <p className="auth-switch"><Link to="/forgot-password">{t("Ask for a new link")}</Link></p> : null}
    </div>
  );
}
