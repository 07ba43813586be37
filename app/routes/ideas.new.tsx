import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { msg } from "../i18n";
import { pageTitle } from "../components/root-data";
import { useActionData, useLoaderData } from "@remix-run/react";
import { IdeaForm, type SimilarIdea } from "../components/idea-form";
import { findSimilarIdeas } from "../models/pipeline/merges.server";
import { domainError, formError, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { previewMarkdown } from "../models/ideas/preview.server";
import { readCategories } from "../models/catalog/catalog.server";
import { ideaPath } from "../models/ideas/idea";
import { ideaFormSchema } from "../models/ideas/schemas.server";
import { postIdea } from "../models/ideas/ideas.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Post an idea") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireMember(context, request);
  return { categories: await readCategories(context.db, context.reference) };
}

type ActionData = { fieldErrors?: FieldErrors; values: Record<string, string>; preview?: string; similar?: SimilarIdea[] };

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
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
  if (form.get("confirmed") !== "1") {
    // Without JavaScript nobody saw the live suggestions: ask once before posting.
    const similar = await findSimilarIdeas(context.db, { text: parsed.data.title, limit: 5, minRelevance: 0.35 });
    if (similar.length) return { values: { ...parsed.data }, similar } satisfies ActionData;
  }
  try {
    const idea = await postIdea(context.db, member, parsed.data);
    return redirectWithFlash(
      ideaPath(idea),
      idea.held
        ? msg("Thanks! As a new member, your first idea waits for a moderator's approval before it is public. You will be told when it is.")
        : msg("Your idea is posted. Share it so others can vote!"),
    );
  } catch (error) {
    return domainError(error, { ...parsed.data });
  }
}

export default function NewIdea() {
  const t = useT();
  const { categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  return (
    <div className="narrow-page">
      <h1>{t("Post an idea")}</h1>
      <p className="lead">{t("One idea per post. Say what you would like and why it matters to you.")}</p>
      <IdeaForm
        categories={categories}
        values={actionData?.values ?? {}}
        errors={actionData?.fieldErrors}
        preview={actionData?.preview}
        submitLabel={t("Post idea")}
        checkSimilar
        similarOnSubmit={actionData?.similar}
      />
    </div>
  );
}
