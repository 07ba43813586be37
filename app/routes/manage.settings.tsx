import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, TextArea, useFocusFirstError } from "../components/ui";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { BOOLEAN_SETTINGS, BRANDING_SETTINGS, SETTING_LABELS } from "../models/settings/settings";
import { settingsSchema, type Settings } from "../models/settings/schemas.server";
import { getSettingsForEditing, updateSettings } from "../models/settings/settings.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Settings") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  return { settings: await orFail(getSettingsForEditing(context.db, member)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  for (const key of BOOLEAN_SETTINGS) if (!form.has(key)) form.set(key, "false");
  const parsed = parseForm(settingsSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    await updateSettings(context.db, member, parsed.data);
    return redirectWithFlash("/manage/settings", "Settings saved.");
  } catch (error) {
    return domainError(error);
  }
}

const HINTS: Partial<Record<keyof Settings, string>> = {
  approve_first_posts: "Their post goes to the moderation queue and is public once a moderator approves it; members with an approved post or an established record skip this.",
  logo_url: "A path on this site (/logo.svg) or an https:// address; shown at 28 px beside the site name. Leave empty for the built-in mark.",
  accent_color: "Buttons, links and highlights. A colour too light for white text is darkened automatically.",
  footer_links: "One a line: Label | https://example.com (at most 8).",
};

const isBoolean = (key: keyof Settings): key is (typeof BOOLEAN_SETTINGS)[number] => (BOOLEAN_SETTINGS as readonly string[]).includes(key);
const isBranding = (key: keyof Settings) => (BRANDING_SETTINGS as readonly string[]).includes(key);

export default function ManageSettings() {
  const t = useT();
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const formRef = useFocusFirstError(actionData?.fieldErrors);
  const keys = Object.keys(SETTING_LABELS) as (keyof Settings)[];
  const value = (key: keyof Settings) => actionData?.values?.[key] ?? String(settings[key]);
  const control = (key: keyof Settings) => {
    const error = actionData?.fieldErrors?.[key];
    const id = `setting-${key}`;
    if (isBoolean(key)) {
      return (
        <div key={key} className="field">
          <label className="checkbox-row">
            <input type="checkbox" name={key} defaultChecked={settings[key]} aria-describedby={HINTS[key] ? `${id}-hint` : undefined} />
            <span>{SETTING_LABELS[key]}</span>
          </label>
          {HINTS[key] ? <p className="field-hint" id={`${id}-hint`}>{HINTS[key]}</p> : null}
        </div>
      );
    }
    if (key === "footer_links") {
      return <TextArea key={key} id={id} label={SETTING_LABELS[key]} name={key} rows={3} defaultValue={value(key)} error={error} hint={HINTS[key]} />;
    }
    if (isBranding(key)) {
      return (
        <Field key={key} id={id} label={SETTING_LABELS[key]} name={key} type={key === "accent_color" ? "color" : "text"}
          defaultValue={value(key)} error={error} hint={HINTS[key]} required={key === "site_name" || key === "accent_color"} />
      );
    }
    return (
      <Field key={key} id={id} label={SETTING_LABELS[key]} name={key} type="number" step={key === "flag_hide_threshold" ? "0.1" : "1"}
        defaultValue={value(key)} error={error} hint={HINTS[key]} required />
    );
  };
  return (
    <div className="narrow-page">
      <h1>{t("Site settings")}</h1>
      <p className="lead">{t("Your company's face, moderation thresholds and the limits that keep spam and floods out. Changes are recorded in the audit log.")}</p>
      <Form method="post" ref={formRef} className="idea-form" noValidate>
        <FormMessage message={actionData?.fieldErrors?.form} />
        <fieldset className="settings-group">
          <legend>{t("Branding")}</legend>
          {keys.filter(isBranding).map(control)}
        </fieldset>
        <fieldset className="settings-group">
          <legend>{t("Posting and moderation")}</legend>
          {keys.filter((k) => !isBranding(k)).map(control)}
        </fieldset>
        <button type="submit" className="button button-primary">{t("Save settings")}</button>
      </Form>
    </div>
  );
}
