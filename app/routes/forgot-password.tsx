import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { passThroughHeaders } from "../lib/headers";
import { domainError, formError, readForm } from "../lib/http.server";
import { requestPasswordReset } from "../models/members/account.server";
import { forgotPasswordSchema } from "../models/members/schemas.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Forgot your password?") }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.member) throw redirect("/account");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(forgotPasswordSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    await requestPasswordReset(context.db, parsed.data, context.client);
  } catch (error) {
    return domainError(error, { email: parsed.data.email });
  }
  // The same answer whether or not an account has this address.
  return { sentTo: parsed.data.email };
}

export default function ForgotPassword() {
  const t = useT();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string>; sentTo?: string }>();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors;
  const formRef = useFocusFirstError(errors);
  if (actionData?.sentTo) {
    return (
      <div className="auth-page">
        <h1>{t("Check your e-mail")}</h1>
        <p role="status">
          If an account uses <strong>{actionData.sentTo}</strong>, we have sent it a link to choose a new password. The link
          works once, for one hour.
        </p>
        <p className="auth-switch"><Link to="/login">{t("Back to sign in")}</Link></p>
      </div>
    );
  }
  return (
    <div className="auth-page">
      <h1>{t("Forgot your password?")}</h1>
      <p className="lead">{t("Enter the e-mail address of your account and we will send you a link to choose a new password.")}</p>
      <Form method="post" ref={formRef} className="auth-form" noValidate>
        <FormMessage message={errors?.form} />
        <Field label={t("E-mail")} name="email" type="email" autoComplete="email" required defaultValue={actionData?.values?.email} error={errors?.email} />
        <button type="submit" className="button button-primary button-block" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("Sending…") : t("Send me a link")}
        </button>
      </Form>
      <p className="auth-switch"><Link to="/login">{t("Back to sign in")}</Link></p>
    </div>
  );
}
