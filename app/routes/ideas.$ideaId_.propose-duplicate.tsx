import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, useFocusFirstError } from "../components/ui";
import { domainError, fail, formError, idParam, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { proposeDuplicateSchema } from "../models/engagement/schemas.server";
import { proposeDuplicate } from "../models/engagement/proposals.server";
import { getIdea } from "../models/ideas/ideas.server";
import { ideaPath } from "../models/ideas/idea";
import { readSettings } from "../models/settings/settings.server";
import { getStanding } from "../models/engagement/rank.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Propose a duplicate") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const member = requireMember(context, request);
  const [found, settings, standing] = await Promise.all([orFail(getIdea(context.db, member, ideaId)), readSettings(context.db, context.reference), getStanding(context.db, member.id)]);
  if (!found.visible) fail(404, "That idea does not exist or is hidden.");
  return { idea: { id: found.idea.id, title: found.idea.title }, threshold: settings.duplicate_proposal_min_points, points: standing.points };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const member = requireMember(context, request);
  const form = await readForm(request);
  const parsed = parseForm(proposeDuplicateSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    await proposeDuplicate(context.db, member, { sourceId: ideaId, targetId: parsed.data.targetId });
    return redirectWithFlash(`/ideas/${ideaId}`, "Thanks: the product team will look at your proposed duplicate.");
  } catch (error) {
    return domainError(error, { targetId: String(form.get("targetId") ?? "") });
  }
}

export default function ProposeDuplicate() {
  const t = useT();
  const { idea, threshold, points } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const formRef = useFocusFirstError(actionData?.fieldErrors);
  return (
    <div className="narrow-page">
      <h1>{t("Propose a duplicate")}</h1>
      <p className="lead">{t("Does")}{" "}<Link to={ideaPath(idea)}>{idea.title}</Link>{" "}{t("ask for the same thing as another idea? Tell the product team which one; if they merge them, you earn points.")}</p>
      {points < threshold ? (
        <p className="moderation-notice" role="note">{t("Members with {threshold, number} points or more can propose duplicates; you have {points, number}.", { threshold, points })}</p>
      ) : null}
      <Form method="post" ref={formRef} className="idea-form" noValidate>
        <FormMessage message={actionData?.fieldErrors?.form} />
        <Field id="duplicate-target" label={t("Number of the other idea (as in its address, /ideas/123)")} name="targetId" inputMode="numeric" required
          defaultValue={actionData?.values?.targetId} error={actionData?.fieldErrors?.targetId} />
        <button type="submit" className="button button-primary">{t("Propose")}</button>
      </Form>
    </div>
  );
}
