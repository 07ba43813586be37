import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { IdeaForm } from "../components/idea-form";
import { domainError, fail, formError, idParam, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { renderMarkdown } from "../lib/markdown.server";
import { listCategories } from "../models/categories.server";
import { IDEA_EDIT_WINDOW_MINUTES, canEditIdea } from "../models/permissions";
import { ideaFormSchema, ideaPath } from "../models/idea";
import { editIdea, getIdea } from "../models/ideas.server";
import { assertNotSuspended } from "../models/moderation.server";
import { parseForm, type FieldErrors } from "../models/validation";

export const meta: MetaFunction = () => [{ title: "Edit idea · Harbor Ideas" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const ideaId = idParam(params.ideaId, "That idea");
  const [idea, categories] = await orFail(Promise.all([getIdea(context.db, ideaId, member.id), listCategories(context.db)]));
  if (!canEditIdea(member, { authorId: idea.author_id, createdAt: new Date(idea.created_at) })) {
    fail(403, member.id === idea.author_id
      ? `Ideas can be edited for ${IDEA_EDIT_WINDOW_MINUTES} minutes after posting. Add a comment to say what changed.`
      : "Only the author or staff can edit this idea.");
  }
  return {
    idea: { id: idea.id, title: idea.title, body: idea.body, category: idea.category_slug ?? "" },
    categories,
  };
}

type ActionData = { fieldErrors?: FieldErrors; values: Record<string, string>; preview?: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const ideaId = idParam(params.ideaId, "That idea");
  const form = await readForm(request);
  const parsed = parseForm(ideaFormSchema, form);
  if (form.get("intent") === "preview") {
    const body = typeof form.get("body") === "string" ? String(form.get("body")) : "";
    return { values: parsed.ok ? { ...parsed.data } : parsed.values, preview: renderMarkdown(body.slice(0, 20_000)) } satisfies ActionData;
  }
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    assertNotSuspended(member);
    const idea = await editIdea(context.db, member, ideaId, parsed.data);
    return redirectWithFlash(ideaPath(idea), idea.changed ? "Your changes are saved." : "Nothing changed.");
  } catch (error) {
    return domainError(error, { ...parsed.data });
  }
}

export default function EditIdea() {
  const { idea, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  return (
    <div className="narrow-page">
      <p className="breadcrumb"><Link to={ideaPath(idea)}>← Back to the idea</Link></p>
      <h1>Edit idea</h1>
      <p className="lead">The earlier version is kept in the idea's history.</p>
      <IdeaForm
        categories={categories}
        values={actionData?.values ?? idea}
        errors={actionData?.fieldErrors}
        preview={actionData?.preview}
        submitLabel="Save changes"
      />
    </div>
  );
}
