import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, TextArea, TimeAgo, useFocusFirstError } from "../components/ui";
import { LanguageChoice } from "../components/language-choice";
import { passThroughHeaders } from "../lib/headers";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import {
  changePassword,
  endOtherSessions,
  getAccount,
  requestEmailChange,
  resendVerification,
  setMailPreferences,
  updateProfile,
} from "../models/members/account.server";
import { PASSWORD_MIN, accountSchema } from "../models/members/member";
import { CHOICE_LABELS, PREFERENCE_KINDS, PREFERENCE_LABELS } from "../models/mail/kinds";
import { MAIL_CHOICES } from "../../db/schema";
import { parseForm, type FieldErrors } from "../models/shared/validation";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Your account · Harbor Ideas" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  return { account: await orFail(getAccount(context.db, member, context.sessionId)) };
}

type ActionData = { intent?: string; fieldErrors?: FieldErrors; values?: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const parsed = parseForm(accountSchema, form);
  if (!parsed.ok) {
    const { currentPassword: _c, newPassword: _n, ...values } = parsed.values;
    return formError(400, parsed.fieldErrors, { ...values, intent });
  }
  const input = parsed.data;
  try {
    switch (input.intent) {
      case "profile":
        await updateProfile(context.db, member, input);
        return redirectWithFlash("/account", "Your profile is saved.");
      case "email":
        await requestEmailChange(context.db, member, input);
        return redirectWithFlash("/account", `We sent a confirmation link to ${input.email}. Your address changes when you use it.`);
      case "password":
        await changePassword(context.db, member, context.sessionId, input);
        return redirectWithFlash("/account", "Your password is changed. Every other session was signed out.");
      case "preferences": {
        const { intent: _i, digest, ...choices } = input;
        await setMailPreferences(context.db, member, { digest, choices });
        return redirectWithFlash("/account#preferences", "Your notification choices are saved.");
      }
      case "sign-out-others": {
        const ended = await endOtherSessions(context.db, member, context.sessionId);
        return redirectWithFlash("/account#sessions", ended ? `Signed out of ${ended} other session${ended === 1 ? "" : "s"}.` : "There was no other session.");
      }
      case "resend-verification": {
        const to = await resendVerification(context.db, member);
        return redirectWithFlash("/account", `We sent a new confirmation link to ${to}.`);
      }
    }
  } catch (error) {
    const response = domainError(error, { intent });
    return response;
  }
}

export default function Account() {
  const { account } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errorsFor = (intent: string) => (actionData?.values?.intent === intent ? actionData.fieldErrors : undefined);
  const profileErrors = errorsFor("profile");
  const emailErrors = errorsFor("email");
  const passwordErrors = errorsFor("password");
  const prefErrors = errorsFor("preferences");
  const profileRef = useFocusFirstError(profileErrors);
  const emailRef = useFocusFirstError(emailErrors);
  const passwordRef = useFocusFirstError(passwordErrors);
  const prefRef = useFocusFirstError(prefErrors);
  const others = account.sessions.filter((s) => !s.current).length;
  const v = actionData?.values;
  return (
    <div className="narrow-page account-page">
      <h1>Your account</h1>
      <p className="lead">
        How others see you is on <Link to={`/members/${account.handle}`}>your member page</Link>.
      </p>
      <FormMessage message={errorsFor("sign-out-others")?.form ?? errorsFor("resend-verification")?.form} />

      <section aria-labelledby="profile-heading" className="account-section">
        <h2 id="profile-heading">Profile</h2>
        <Form method="post" ref={profileRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <FormMessage message={profileErrors?.form} />
          <Field label="Display name" name="displayName" id="account-name" required maxLength={60} autoComplete="nickname"
            defaultValue={(profileErrors && v?.displayName) ?? account.displayName} error={profileErrors?.displayName} />
          <TextArea label="Bio" name="bio" id="account-bio" rows={3} maxLength={500} hint="A line or two about you, shown on your member page (up to 500 characters)."
            defaultValue={(profileErrors && v?.bio) ?? account.bio} error={profileErrors?.bio} />
          <button type="submit" className="button button-primary">Save profile</button>
        </Form>
      </section>

      <section aria-labelledby="email-heading" className="account-section">
        <h2 id="email-heading">E-mail</h2>
        <p>
          Your address is <strong>{account.email}</strong>{" "}
          {account.verified ? <span className="badge">confirmed</span> : <span className="badge badge-warning">not confirmed yet</span>}
        </p>
        {!account.verified ? (
          <div className="notice">
            <p>Until you confirm your address we send you no notification mail (account mail, such as password resets, still comes).</p>
            <Form method="post">
              <input type="hidden" name="intent" value="resend-verification" />
              <button type="submit" className="button button-secondary">Send me a new confirmation link</button>
            </Form>
          </div>
        ) : null}
        {account.pendingEmail ? (
          <p className="notice" role="status">We sent a confirmation link to <strong>{account.pendingEmail}</strong>. Your address changes when you use it.</p>
        ) : null}
        <Form method="post" ref={emailRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="email" />
          <FormMessage message={emailErrors?.form} />
          <Field label="New e-mail address" name="email" id="account-email" type="email" autoComplete="email" required
            defaultValue={emailErrors ? v?.email : undefined} error={emailErrors?.email} hint="We send a link there; the change takes effect when you use it." />
          <Field label="Current password" name="currentPassword" id="account-email-password" type="password" autoComplete="current-password" required error={emailErrors?.currentPassword} />
          <button type="submit" className="button button-secondary">Change e-mail</button>
        </Form>
      </section>

      <section aria-labelledby="password-heading" className="account-section">
        <h2 id="password-heading">Password</h2>
        <Form method="post" ref={passwordRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="password" />
          <FormMessage message={passwordErrors?.form} />
          <Field label="Current password" name="currentPassword" id="account-current-password" type="password" autoComplete="current-password" required error={passwordErrors?.currentPassword} />
          <Field label="New password" name="newPassword" id="account-new-password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN}
            error={passwordErrors?.newPassword} hint={`At least ${PASSWORD_MIN} characters. Changing it signs you out everywhere else.`} />
          <button type="submit" className="button button-secondary">Change password</button>
        </Form>
      </section>

      <section aria-labelledby="preferences-heading" className="account-section" id="preferences">
        <h2 id="preferences-heading">Notifications</h2>
        <p>For each kind: tell me in the app only, by e-mail at once, in my digest, or not at all.</p>
        <Form method="post" ref={prefRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="preferences" />
          <FormMessage message={prefErrors?.form} />
          {PREFERENCE_KINDS.map((kind) => (
            <fieldset key={kind} className="preference">
              <legend>{PREFERENCE_LABELS[kind].label}</legend>
              <p className="field-hint">{PREFERENCE_LABELS[kind].hint}</p>
              <div className="preference-choices">
                {MAIL_CHOICES.map((choice) => (
                  <label key={choice} className="radio">
                    <input type="radio" name={kind} value={choice} defaultChecked={account.choices[kind] === choice} /> {CHOICE_LABELS[choice]}
                  </label>
                ))}
              </div>
              {prefErrors?.[kind] ? <p className="field-error">{prefErrors[kind]}</p> : null}
            </fieldset>
          ))}
          <fieldset className="preference">
            <legend>Digest</legend>
            <p className="field-hint">What you did not read, and what is trending, in one mail.</p>
            <div className="preference-choices">
              <label className="radio"><input type="radio" name="digest" value="daily" defaultChecked={account.digest === "daily"} /> Daily</label>
              <label className="radio"><input type="radio" name="digest" value="weekly" defaultChecked={account.digest === "weekly"} /> Weekly</label>
            </div>
          </fieldset>
          <button type="submit" className="button button-primary">Save notification choices</button>
        </Form>
      </section>

      <LanguageChoice />

      <section aria-labelledby="sessions-heading" className="account-section" id="sessions">
        <h2 id="sessions-heading">Sessions</h2>
        <ul className="session-list">
          {account.sessions.map((s, i) => (
            <li key={i}>
              Signed in <TimeAgo iso={s.createdAt} />{s.current ? <strong> · this browser</strong> : null}
            </li>
          ))}
        </ul>
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-others" />
          <button type="submit" className="button button-secondary" disabled={others === 0}>
            Sign out everywhere else{others ? ` (${others})` : ""}
          </button>
        </Form>
      </section>
    </div>
  );
}
