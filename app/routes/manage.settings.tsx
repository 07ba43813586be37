import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { SETTING_LABELS, settingsSchema, type Settings } from "../models/settings/settings";
import { getSettingsForEditing, updateSettings } from "../models/settings/settings.server";
import { parseForm, type FieldErrors } from "../models/shared/validation";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Settings · Harbor Ideas" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  return { settings: await orFail(getSettingsForEditing(context.db, member)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  if (!form.has("allow_down_votes")) form.set("allow_down_votes", "false");
  const parsed = parseForm(settingsSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    await updateSettings(context.db, member, parsed.data);
    return redirectWithFlash("/manage/settings", "Settings saved.");
  } catch (error) {
    return domainError(error);
  }
}

export default function ManageSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const formRef = useFocusFirstError(actionData?.fieldErrors);
  const keys = Object.keys(SETTING_LABELS) as (keyof Settings)[];
  return (
    <div className="narrow-page">
      <h1>Site settings</h1>
      <p className="lead">Moderation thresholds and the limits that keep spam and floods out. Changes are recorded in the audit log.</p>
      <Form method="post" ref={formRef} className="idea-form" noValidate>
        <FormMessage message={actionData?.fieldErrors?.form} />
        {keys.map((key) =>
          key === "allow_down_votes" ? (
            <label key={key} className="checkbox field">
              <input type="checkbox" name={key} defaultChecked={settings[key]} /> {SETTING_LABELS[key]}
            </label>
          ) : (
            <Field key={key} id={`setting-${key}`} label={SETTING_LABELS[key]} name={key} type="number" step={key === "flag_hide_threshold" ? "0.1" : "1"}
              defaultValue={actionData?.values?.[key] ?? String(settings[key])} error={actionData?.fieldErrors?.[key]} required />
          ),
        )}
        <button type="submit" className="button button-primary">Save settings</button>
      </Form>
    </div>
  );
}
