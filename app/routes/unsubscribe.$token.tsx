import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { MAIL_CHOICES, type MailChoice } from "../../db/schema";
import { passThroughHeaders } from "../lib/headers";
import { fail, readForm } from "../lib/http.server";
import { chooseByLink, readUnsubscribeLink } from "../models/members/account.server";
import { CHOICE_LABELS, PREFERENCE_LABELS } from "../models/mail/kinds";
import { DomainError } from "../models/shared/errors";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "E-mail preferences") }];

/**
 * The link in every notification mail: works without signing in (the signed
 * token names the member and the kind). GET shows the choices; a POST with
 * `List-Unsubscribe=One-Click` (RFC 8058, sent by the mail client) stops that
 * kind of e-mail at once; the page's own form posts a `choice`.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const link = await readUnsubscribeLink(context.db, params.token);
  if (!link) fail(404, "This unsubscribe link is not valid. Sign in to change your e-mail preferences on your account page.");
  const label = link.kind === "digest" ? "Your digest" : PREFERENCE_LABELS[link.kind].label;
  return { kind: link.kind, label, choice: link.choice as MailChoice, signedIn: !!context.member };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const oneClick = form.get("List-Unsubscribe") === "One-Click";
  const raw = oneClick ? "in_app" : String(form.get("choice") ?? "");
  if (!(MAIL_CHOICES as readonly string[]).includes(raw)) fail(400, "Choose one of the options.");
  try {
    const done = await chooseByLink(context.db, params.token, raw as MailChoice);
    if (oneClick) return new Response("Unsubscribed.", { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    return { saved: done.choice };
  } catch (error) {
    if (error instanceof DomainError) fail(error.status, error.message);
    throw error;
  }
}

export default function Unsubscribe() {
  const t = useT();
  const { label, choice, signedIn } = useLoaderData<typeof loader>();
  return (
    <div className="auth-page">
      <h1>{t("E-mail about “{label}”", { label })}</h1>
      {choice === "email" ? null : (
        <p role="status">{t("You get no e-mail of this kind now:")}{" "}<strong>{CHOICE_LABELS[choice]}</strong>.</p>
      )}
      <Form method="post" className="auth-form">
        <fieldset className="preference">
          <legend>{t("How should we tell you?")}</legend>
          {MAIL_CHOICES.map((c) => (
            <label key={c} className="radio">
              <input type="radio" name="choice" value={c} defaultChecked={c === (choice === "email" ? "in_app" : choice)} /> {CHOICE_LABELS[c]}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button button-primary button-block">{t("Save")}</button>
      </Form>
      <p className="auth-switch">
        Other kinds of mail stay as they are. {signedIn ? <Link to="/account#preferences">{t("All your choices")}</Link> : <Link to="/login?redirectTo=%2Faccount%23preferences">{t("Sign in for all your choices")}</Link>}
      </p>
    </div>
  );
}
