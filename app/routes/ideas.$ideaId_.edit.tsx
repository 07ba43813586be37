import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { msg } from "../i18n";
import { pageTitle } from "../components/root-data";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { IdeaForm } from "../components/idea-form";
import { domainError, formError, idParam, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { readCategories } from "../models/catalog/catalog.server";
import { ideaPath } from "../models/ideas/idea";
import { ideaFormSchema } from "../models/ideas/schemas.server";
import { editIdea, getIdeaForEditing } from "../models/ideas/ideas.server";
import { previewMarkdown } from "../models/ideas/preview.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Edit idea") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const ideaId = idParam(params.ideaId, "That idea");
  const [idea, categories] = await orFail(Promise.all([getIdeaForEditing(context.db, member, ideaId), readCategories(context.db, context.reference)]));
  return { idea, categories };
}

type ActionData = { fieldErrors?: FieldErrors; values: Record<string, string>; preview?: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const ideaId = idParam(params.ideaId, "That idea");
  const form = await readForm(request);
  const parsed = parseForm(ideaFormSchema, form);
  if (form.get("intent") === "preview") {
    const values = parsed.ok ? { ...parsed.data } : parsed.values;
    try {
      return { values, preview: await previewMarkdown(context.db, member, form.get("body")) } satisfies ActionData;
    } catch (error) {
      return domainError(error, values);
    }
  }
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    const idea = await editIdea(context.db, member, { ideaId, ...parsed.data });
    return redirectWithFlash(ideaPath(idea), idea.changed ? msg("Your changes are saved.") : msg("Nothing changed."));
  } catch (error) {
    return domainError(error, { ...parsed.data });
  }
}

export default function EditIdea() {
  const t = useT();
  const { idea, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  return (
    <div className="narrow-page">
      <p className="breadcrumb"><Link to={ideaPath(idea)}>{t("← Back to the idea")}</Link></p>
      <h1>{t("Edit idea")}</h1>
      <p className="lead">{t("The earlier version is kept in the idea's history.")}</p>
      <IdeaForm
        categories={categories}
        values={actionData?.values ?? idea}
        errors={actionData?.fieldErrors}
        preview={actionData?.preview}
        submitLabel={t("Save changes")}
      />
    </div>
  );
}
