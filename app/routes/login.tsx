import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageTitle, useRootData } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { startSession } from "../lib/auth.server";
import { domainError, formError, readForm, redirectWithFlash, safeRedirectPath } from "../lib/http.server";
import { signInSchema } from "../models/members/schemas.server";
import { hasDemoAccounts, signIn } from "../models/members/members.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";
import { rich } from "../i18n/rich";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Sign in") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.member) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return { demo: await hasDemoAccounts(context.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = parseForm(signInSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    const member = await signIn(context.db, parsed.data, context.client);
    const setCookie = await startSession(context.db, member.id);
    return redirectWithFlash(safeRedirectPath(form.get("redirectTo")), "You are signed in.", { setCookie });
  } catch (error) {
    return domainError(error, { email: parsed.data.email });
  }
}

const DEMO_ACCOUNTS = [
  ["member@example.com", "Member"],
  ["pm@example.com", "Product manager"],
  ["moderator@example.com", "Moderator"],
  ["admin@example.com", "Admin"],
] as const;

export default function Login() {
  const t = useT();
  const { demo } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors;
  const formRef = useFocusFirstError(errors);
  return (
    <div className="auth-page">
      <h1>{t("Sign in")}</h1>
      <Form method="post" ref={formRef} className="auth-form" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <FormMessage message={errors?.form} />
        <Field label={t("E-mail")} name="email" type="email" autoComplete="email" required
          defaultValue={actionData?.values?.email} error={errors?.email} />
        <Field label={t("Password")} name="password" type="password" autoComplete="current-password" required error={errors?.password} />
        <p className="field-hint"><Link to="/forgot-password">{t("Forgot your password?")}</Link></p>
        <button type="submit" className="button button-primary button-block" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? t("Signing in…") : t("Sign in")}
        </button>
      </Form>
      <p className="auth-switch">{t("New here?")}{" "}<Link to={`/join${params.toString() ? `?${params}` : ""}`}>{t("Join {site}", { site: useRootData()?.brand.siteName ?? "Harbor Ideas" })}</Link></p>
      {demo ? (
        <aside className="demo-accounts" aria-labelledby="demo-heading">
          <h2 id="demo-heading">{t("Demo sign-ins")}</h2>
          <p>{rich(t("This site has demo data. Every demo account's password is <0>groundswell</0>."), [<code />])}</p>
          <ul>
            {DEMO_ACCOUNTS.map(([email, role]) => (
              <li key={email}><code>{email}</code> · {t(role)}</li>
            ))}
          </ul>
        </aside>
      ) : null}
    </div>
  );
}

