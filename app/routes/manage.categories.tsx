import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { categoryIntents } from "../models/catalog/schemas.server";
import { createCategory, listCategoriesForManaging, renameCategory } from "../models/catalog/catalog.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Categories") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  return { categories: await orFail(listCategoriesForManaging(context.db, member)) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  const parsed = parseForm(categoryIntents, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    if (parsed.data.intent === "create") {
      await createCategory(context.db, member, parsed.data);
      return redirectWithFlash("/manage/categories", `Category “${parsed.data.name}” created.`);
    }
    await renameCategory(context.db, member, parsed.data);
    return redirectWithFlash("/manage/categories", "Category saved.");
  } catch (error) {
    return domainError(error, { ...parsed.data });
  }
}

export default function ManageCategories() {
  const t = useT();
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const creating = actionData?.values?.intent === "create";
  const formRef = useFocusFirstError(creating ? actionData?.fieldErrors : undefined);
  return (
    <div className="narrow-page">
      <h1>{t("Categories")}</h1>
      <p className="lead">{t("Members choose a category for each idea. Renaming keeps a category's links working.")}</p>
      <Form method="post" ref={formRef} className="idea-form" noValidate>
        <input type="hidden" name="intent" value="create" />
        <h2>{t("New category")}</h2>
        <FormMessage message={creating ? actionData?.fieldErrors?.form : undefined} />
        <Field id="new-category-name" label={t("Name")} name="name" required maxLength={60} defaultValue={creating ? actionData?.values?.name : ""} error={creating ? actionData?.fieldErrors?.name : undefined} />
        <Field id="new-category-description" label={t("Description")} name="description" maxLength={300} defaultValue={creating ? actionData?.values?.description : ""} error={creating ? actionData?.fieldErrors?.description : undefined} />
        <button type="submit" className="button button-primary">{t("Create category")}</button>
      </Form>
      <h2>{t("Existing categories")}</h2>
      <ul className="plain-list">
        {categories.map((c) => (
          <li key={c.slug}>
            <Form method="post" className="inline-edit">
              <input type="hidden" name="intent" value="rename" />
              <input type="hidden" name="slug" value={c.slug} />
              <Field id={`cat-${c.slug}-name`} label={`Name of /${c.slug}`} name="name" defaultValue={c.name} required maxLength={60} />
              <Field id={`cat-${c.slug}-description`} label={t("Description")} name="description" defaultValue={c.description} maxLength={300} />
              <button type="submit" className="button button-secondary">{t("Save")}</button>
            </Form>
          </li>
        ))}
      </ul>
    </div>
  );
}
