import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { tagFormSchema } from "../models/catalog/schemas.server";
import { createTag, listTagsForManaging } from "../models/catalog/catalog.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Tags") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  return { tags: await orFail(listTagsForManaging(context.db, member)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  const parsed = parseForm(tagFormSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    const tag = await createTag(context.db, member, parsed.data);
    return redirectWithFlash("/manage/tags", `Tag #${tag.slug} created.`);
  } catch (error) {
    return domainError(error, { ...parsed.data });
  }
}

export default function ManageTags() {
  const t = useT();
  const { tags } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const formRef = useFocusFirstError(actionData?.fieldErrors);
  return (
    <div className="narrow-page">
      <h1>{t("Tags")}</h1>
      <p className="lead">{t("Staff tag ideas to group them across categories; anyone can filter the lists by tag.")}</p>
      <Form method="post" ref={formRef} className="idea-form" noValidate>
        <FormMessage message={actionData?.fieldErrors?.form} />
        <Field label={t("New tag")} name="name" required maxLength={40} defaultValue={actionData?.values?.name} error={actionData?.fieldErrors?.name} />
        <button type="submit" className="button button-primary">{t("Create tag")}</button>
      </Form>
      <ul className="tags tag-cloud">
        {tags.map((t) => (
          <li key={t.id}><Link to={`/?tag=${t.slug}`} className="tag">#{t.slug}</Link> {t.name}</li>
        ))}
      </ul>
    </div>
  );
}
