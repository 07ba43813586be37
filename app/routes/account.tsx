import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Field, FormMessage, TextArea, TimeAgo, useFocusFirstError } from "../components/ui";
import { LanguageChoice } from "../components/language-choice";
import { rich } from "../i18n/rich";
import { passThroughHeaders } from "../lib/headers";
import { Avatar } from "../components/avatar";
import { domainError, formError, isMultipart, orFail, readForm, readMultipartForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { MAX_UPLOAD_BODY_BYTES } from "../lib/security.server";
import { AVATAR_ACCEPT, AVATAR_UPLOAD_MAX_BYTES } from "../models/members/avatar";
import { removeAvatar, tooLarge, uploadAvatar } from "../models/members/avatar.server";
import { readSettings } from "../models/settings/settings.server";
import {
  changePassword,
  endOtherSessions,
  getAccount,
  requestEmailChange,
  resendVerification,
  setMailPreferences,
  setVoteVisibility,
  updateProfile,
} from "../models/members/account.server";
import { PASSWORD_MIN } from "../models/members/member";
import { accountSchema } from "../models/members/schemas.server";
import { CHOICE_LABELS, PREFERENCE_KINDS, PREFERENCE_LABELS } from "../models/mail/kinds";
import { MAIL_CHOICES } from "../../db/schema";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { pageTitle } from "../components/root-data";
import { translate, useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Your account") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const [account, settings] = await Promise.all([orFail(getAccount(context.db, member, context.sessionId)), readSettings(context.db, context.reference)]);
  return { account, profilePoints: settings.points_profile_complete };
}

/** The photo form: a multipart body with one image, checked and re-encoded by the model. */
async function avatarAction(request: Request, context: ActionFunctionArgs["context"], member: ReturnType<typeof requireMember>) {
  try {
    const form = await readMultipartForm(request, { maxPartBytes: AVATAR_UPLOAD_MAX_BYTES, maxBodyBytes: MAX_UPLOAD_BODY_BYTES, tooLarge });
    const file = form.get("avatar");
    if (String(form.get("intent") ?? "") !== "avatar" || !(file instanceof Blob)) return formError(400, { avatar: translate(context.locale, "Choose an image file to upload.") }, { intent: "avatar" });
    await uploadAvatar(context.db, member, new Uint8Array(await file.arrayBuffer()));
    return redirectWithFlash("/account#profile-heading", translate(context.locale, "Your photo is saved."));
  } catch (error) {
    return domainError(error, { intent: "avatar" });
  }
}

type ActionData = { intent?: string; fieldErrors?: FieldErrors; values?: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  if (isMultipart(request)) return avatarAction(request, context, member);
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const parsed = parseForm(accountSchema, form);
  if (!parsed.ok) {
    const { currentPassword: _c, newPassword: _n, ...values } = parsed.values;
    return formError(400, parsed.fieldErrors, { ...values, intent });
  }
  const input = parsed.data;
  const t = (id: string, values?: Record<string, string | number>) => translate(context.locale, id, values);
  try {
    switch (input.intent) {
      case "profile":
        await updateProfile(context.db, member, input);
        return redirectWithFlash("/account", t("Your profile is saved."));
      case "email":
        await requestEmailChange(context.db, member, input);
        return redirectWithFlash("/account", t("We sent a confirmation link to {email}. Your address changes when you use it.", { email: input.email }));
      case "password":
        await changePassword(context.db, member, context.sessionId, input);
        return redirectWithFlash("/account", t("Your password is changed. Every other session was signed out."));
      case "preferences": {
        const { intent: _i, digest, ...choices } = input;
        await setMailPreferences(context.db, member, { digest, choices });
        return redirectWithFlash("/account#preferences", t("Your notification choices are saved."));
      }
      case "sign-out-others": {
        const ended = await endOtherSessions(context.db, member, context.sessionId);
        return redirectWithFlash("/account#sessions", ended ? t("{count, plural, one {# other session signed out.} other {# other sessions signed out.}}", { count: ended }) : t("There was no other session."));
      }
      case "remove-avatar": {
        const removed = await removeAvatar(context.db, member);
        return redirectWithFlash("/account#profile-heading", removed ? t("Your photo is removed; your initial shows instead.") : t("You had no photo."));
      }
      case "privacy":
        await setVoteVisibility(context.db, member, { showVotes: input.showVotes });
        return redirectWithFlash(
          "/account#privacy",
          input.showVotes ? t("Your member page now lists the ideas you support.") : t("Your votes are no longer shown on your member page."),
        );
      case "resend-verification": {
        const to = await resendVerification(context.db, member);
        return redirectWithFlash("/account", t("We sent a new confirmation link to {email}.", { email: to }));
      }
    }
  } catch (error) {
    const response = domainError(error, { intent });
    return response;
  }
}

export default function Account() {
  const t = useT();
  const { account, profilePoints } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errorsFor = (intent: string) => (actionData?.values?.intent === intent ? actionData.fieldErrors : undefined);
  const profileErrors = errorsFor("profile");
  const emailErrors = errorsFor("email");
  const passwordErrors = errorsFor("password");
  const prefErrors = errorsFor("preferences");
  const avatarErrors = errorsFor("avatar");
  const avatarRef = useFocusFirstError(avatarErrors);
  // With JavaScript, a file over the limit is refused before it is sent (the server refuses it too).
  const [tooLargeHere, setTooLargeHere] = useState<string | null>(null);
  const hasBio = account.bio.trim() !== "";
  const hasPhoto = account.avatarVersion !== null;
  const profileRef = useFocusFirstError(profileErrors);
  const emailRef = useFocusFirstError(emailErrors);
  const passwordRef = useFocusFirstError(passwordErrors);
  const prefRef = useFocusFirstError(prefErrors);
  const others = account.sessions.filter((s) => !s.current).length;
  const v = actionData?.values;
  return (
    <div className="narrow-page account-page">
      <h1>{t("Your account")}</h1>
      <p className="lead">
        {rich(t("How others see you is on <0>your member page</0>."), [<Link key="page" to={`/members/${account.handle}`} />])}
      </p>
      <FormMessage message={errorsFor("sign-out-others")?.form ?? errorsFor("resend-verification")?.form} />

      <section aria-labelledby="profile-heading" className="account-section">
        <h2 id="profile-heading">{t("Profile")}</h2>
        {profilePoints > 0 ? (
          <div className="notice">
            <p id="profile-checklist-heading">
              {hasBio && hasPhoto
                ? t("Your profile is complete: it earns you {points, plural, one {# point} other {# points}} while it stays so.", { points: profilePoints })
                : t("Complete your profile: it earns {points, plural, one {# point} other {# points}}.", { points: profilePoints })}
            </p>
            <ul className="profile-checklist">
              <li className={hasBio ? "done" : undefined}>{hasBio ? t("Add a bio (done)") : t("Add a bio")}</li>
              <li className={hasPhoto ? "done" : undefined}>{hasPhoto ? t("Add a photo (done)") : t("Add a photo")}</li>
            </ul>
          </div>
        ) : null}
        <Form method="post" encType="multipart/form-data" ref={avatarRef} className="idea-form" noValidate aria-labelledby="avatar-heading"
          onSubmit={(event) => {
            if (!tooLargeHere) return;
            event.preventDefault();
            event.currentTarget.querySelector<HTMLInputElement>("#account-avatar")?.focus();
          }}>
          <h3 id="avatar-heading">{t("Photo")}</h3>
          <div className="avatar-preview">
            <Avatar name={account.displayName} handle={account.handle} version={account.avatarVersion} size="lg" />
            <p className="field-hint">{hasPhoto ? t("This is your photo, shown next to your name.") : t("Without a photo, your initial is shown.")}</p>
          </div>
          <input type="hidden" name="intent" value="avatar" />
          <FormMessage message={avatarErrors?.form} />
          <Field label={hasPhoto ? t("Choose a new photo") : t("Choose a photo")} name="avatar" id="account-avatar" type="file" accept={AVATAR_ACCEPT} required
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              setTooLargeHere(file && file.size > AVATAR_UPLOAD_MAX_BYTES
                ? t("That picture is too large ({size} MB). Upload one of at most {max} MB.", { size: (file.size / 1024 / 1024).toFixed(1), max: AVATAR_UPLOAD_MAX_BYTES / 1024 / 1024 })
                : null);
            }}
            error={tooLargeHere ?? avatarErrors?.avatar}
            hint={t("JPEG, PNG, WebP or GIF, up to {max} MB. We crop it to a square and remove its metadata (such as where it was taken).", { max: AVATAR_UPLOAD_MAX_BYTES / 1024 / 1024 })} />
          <button type="submit" className="button button-secondary">{t("Upload photo")}</button>
        </Form>
        {hasPhoto ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="remove-avatar" />
            <button type="submit" className="button button-quiet">{t("Remove my photo")}</button>
          </Form>
        ) : null}
        <Form method="post" ref={profileRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="profile" />
          <FormMessage message={profileErrors?.form} />
          <Field label={t("Display name")} name="displayName" id="account-name" required maxLength={60} autoComplete="nickname"
            defaultValue={(profileErrors && v?.displayName) ?? account.displayName} error={profileErrors?.displayName} />
          <TextArea label={t("Bio")} name="bio" id="account-bio" rows={3} maxLength={500} hint={t("A line or two about you, shown on your member page (up to 500 characters).")}
            defaultValue={(profileErrors && v?.bio) ?? account.bio} error={profileErrors?.bio} />
          <button type="submit" className="button button-primary">{t("Save profile")}</button>
        </Form>
      </section>

      <section aria-labelledby="privacy-heading" className="account-section" id="privacy">
        <h2 id="privacy-heading">{t("Privacy")}</h2>
        <Form method="post" className="idea-form">
          <input type="hidden" name="intent" value="privacy" />
          <label className="checkbox-row">
            <input type="checkbox" name="showVotes" defaultChecked={account.showVotes} /> {t("Show my votes on my public page")}
          </label>
          <p className="field-hint">{t("When ticked, your member page lists the ideas you up-voted. Down-votes are never shown.")}</p>
          <button type="submit" className="button button-secondary">{t("Save privacy choice")}</button>
        </Form>
      </section>

      <section aria-labelledby="email-heading" className="account-section">
        <h2 id="email-heading">{t("E-mail")}</h2>
        <p>
          {rich(t("Your address is <0>{email}</0>", { email: account.email }), [<strong key="email" />])}{" "}
          {account.verified ? <span className="badge">{t("confirmed")}</span> : <span className="badge badge-warning">{t("not confirmed yet")}</span>}
        </p>
        {!account.verified ? (
          <div className="notice">
            <p>{t("Until you confirm your address we send you no notification mail (account mail, such as password resets, still comes).")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="resend-verification" />
              <button type="submit" className="button button-secondary">{t("Send me a new confirmation link")}</button>
            </Form>
          </div>
        ) : null}
        {account.pendingEmail ? (
          <p className="notice" role="status">{rich(t("We sent a confirmation link to <0>{email}</0>. Your address changes when you use it.", { email: account.pendingEmail }), [<strong key="email" />])}</p>
        ) : null}
        <Form method="post" ref={emailRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="email" />
          <FormMessage message={emailErrors?.form} />
          <Field label={t("New e-mail address")} name="email" id="account-email" type="email" autoComplete="email" required
            defaultValue={emailErrors ? v?.email : undefined} error={emailErrors?.email} hint={t("We send a link there; the change takes effect when you use it.")} />
          <Field label={t("Current password")} name="currentPassword" id="account-email-password" type="password" autoComplete="current-password" required error={emailErrors?.currentPassword} />
          <button type="submit" className="button button-secondary">{t("Change e-mail")}</button>
        </Form>
      </section>

      <section aria-labelledby="password-heading" className="account-section">
        <h2 id="password-heading">{t("Password")}</h2>
        <Form method="post" ref={passwordRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="password" />
          <FormMessage message={passwordErrors?.form} />
          <Field label={t("Current password")} name="currentPassword" id="account-current-password" type="password" autoComplete="current-password" required error={passwordErrors?.currentPassword} />
          <Field label={t("New password")} name="newPassword" id="account-new-password" type="password" autoComplete="new-password" required minLength={PASSWORD_MIN}
            error={passwordErrors?.newPassword} hint={t("At least {min} characters. Changing it signs you out everywhere else.", { min: PASSWORD_MIN })} />
          <button type="submit" className="button button-secondary">{t("Change password")}</button>
        </Form>
      </section>

      <section aria-labelledby="preferences-heading" className="account-section" id="preferences">
        <h2 id="preferences-heading">{t("Notifications")}</h2>
        <p>{t("For each kind: tell me in the app only, by e-mail at once, in my digest, or not at all.")}</p>
        <Form method="post" ref={prefRef} className="idea-form" noValidate>
          <input type="hidden" name="intent" value="preferences" />
          <FormMessage message={prefErrors?.form} />
          {PREFERENCE_KINDS.map((kind) => (
            <fieldset key={kind} className="preference">
              <legend>{t(PREFERENCE_LABELS[kind].label)}</legend>
              <p className="field-hint">{t(PREFERENCE_LABELS[kind].hint)}</p>
              <div className="preference-choices">
                {MAIL_CHOICES.map((choice) => (
                  <label key={choice} className="radio">
                    <input type="radio" name={kind} value={choice} defaultChecked={account.choices[kind] === choice} /> {t(CHOICE_LABELS[choice])}
                  </label>
                ))}
              </div>
              {prefErrors?.[kind] ? <p className="field-error">{prefErrors[kind]}</p> : null}
            </fieldset>
          ))}
          <fieldset className="preference">
            <legend>{t("Digest")}</legend>
            <p className="field-hint">{t("What you did not read, and what is trending, in one mail.")}</p>
            <div className="preference-choices">
              <label className="radio"><input type="radio" name="digest" value="daily" defaultChecked={account.digest === "daily"} /> {t("Daily")}</label>
              <label className="radio"><input type="radio" name="digest" value="weekly" defaultChecked={account.digest === "weekly"} /> {t("Weekly")}</label>
            </div>
          </fieldset>
          <button type="submit" className="button button-primary">{t("Save notification choices")}</button>
        </Form>
      </section>

      <LanguageChoice />

      <section aria-labelledby="sessions-heading" className="account-section" id="sessions">
        <h2 id="sessions-heading">{t("Sessions")}</h2>
        <ul className="session-list">
          {account.sessions.map((s, i) => (
            <li key={i}>
              {t("Signed in")} <TimeAgo iso={s.createdAt} />{s.current ? <strong> · {t("this browser")}</strong> : null}
            </li>
          ))}
        </ul>
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-others" />
          <button type="submit" className="button button-secondary" disabled={others === 0}>
            {others ? t("Sign out everywhere else ({count})", { count: others }) : t("Sign out everywhere else")}
          </button>
        </Form>
      </section>
    </div>
  );
}
