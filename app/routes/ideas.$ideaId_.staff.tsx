import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useParams } from "@remix-run/react";
import { FormMessage } from "../components/ui";
import { domainError, formError, idParam, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { mergeIdeas, undoMerge } from "../models/pipeline/merges.server";
import { postOfficialResponse } from "../models/pipeline/responses.server";
import { addStaffNote, assignOwner, setIdeaCategory, setIdeaTags } from "../models/triage/triage.server";
import { parseTags } from "../models/triage/triage";
import { staffIntents } from "../models/triage/schemas.server";
import { respondSchema } from "../models/pipeline/schemas.server";
import { parseForm } from "../models/shared/schemas.server";
import { assertCan } from "../models/policy";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

// The product team's actions on an idea. The domain commands decide who may
// (app/models/policy.ts); the idea page only shows the forms to those allowed.
// No loader: after a refused form post without JavaScript, Remix renders this
// route's page with the reason (a redirecting loader would swallow it).

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const member = requireMember(context, request);
  const form = await readForm(request);
  const intent = form.get("intent");
  const back = `/ideas/${ideaId}`;
  const db = context.db;
  try {
    if (intent === "respond") {
      const parsed = parseForm(respondSchema, form);
      if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
      const { status, body, declineReason, revisitOn } = parsed.data;
      const result = await postOfficialResponse(db, member, {
        ideaId,
        toStatus: status === "keep" ? null : status,
        body,
        declineReason,
        revisitOn,
      });
      return redirectWithFlash(`${back}#official-response`, result.from === result.to ? "Your response is posted." : "Status changed and response posted. Voters and followers are notified.");
    }
    if (intent === "tag") {
      const tags = parseTags(form);
      if (!tags) return formError(400, { tags: "Choose tags from the list." });
      await setIdeaTags(db, member, { ideaId, tags });
      return redirectWithFlash(back, "Tags saved.");
    }
    const parsed = parseForm(staffIntents, form);
    if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
    const input = parsed.data;
    switch (input.intent) {
      case "add-note":
        await addStaffNote(db, member, { ideaId, body: input.body });
        return redirectWithFlash(`${back}#staff-notes`, "Note added. Only staff can see it.");
      case "assign":
        await assignOwner(db, member, { ideaId, ownerId: input.ownerId });
        return redirectWithFlash(back, input.ownerId ? "Owner assigned." : "Owner removed.");
      case "categorise":
        await setIdeaCategory(db, member, { ideaId, category: input.category });
        return redirectWithFlash(back, "Category changed.");
      case "merge": {
        // A merge is only done from its confirmation, which shows both ideas side by side.
        if (input.confirm !== "yes") {
          assertCan(member, "idea.merge", null);
          return redirect(`/ideas/${ideaId}/merge?into=${input.targetId}`);
        }
        const merged = await mergeIdeas(db, member, { sourceId: ideaId, targetId: input.targetId });
        return redirectWithFlash(
          `/ideas/${input.targetId}`,
          `Merged. ${merged.movedVotes} vote${merged.movedVotes === 1 ? "" : "s"} and ${merged.movedFollows} follower${merged.movedFollows === 1 ? "" : "s"} moved here. To undo it, use “Undo merge” under “Merged into this idea”.`,
        );
      }
      case "undo-merge": {
        const undone = await undoMerge(db, member, input.mergeId);
        return redirectWithFlash(`/ideas/${undone.sourceId}`, "Merge undone: both ideas are as they were.");
      }
      default:
        return formError(400, { form: "Unknown action." });
    }
  } catch (error) {
    return domainError(error);
  }
}

/** Shown when a staff form posted without JavaScript was refused: the reason, and the way back. */
export default function StaffActionRefused() {
  const t = useT();
  const data = useActionData<{ fieldErrors?: Record<string, string>; values?: Record<string, string> }>();
  const params = useParams();
  const messages = Object.values(data?.fieldErrors ?? {}).filter(Boolean);
  if (!data) {
    return (
      <div className="narrow-page">
        <h1>{t("Product team actions")}</h1>
        <p>{t("This address takes the product team's forms on an idea.")}</p>
        <p><Link to={`/ideas/${params.ideaId}`} className="button button-secondary">{t("Go to the idea")}</Link></p>
      </div>
    );
  }
  return (
    <div className="narrow-page">
      <h1>{t("That change was not saved")}</h1>
      <FormMessage message={messages.join(" ") || "The request was not valid."} />
      {data.values?.body ? (
        <>
          <p>{t("What you wrote, so you can copy it:")}</p>
          <pre className="revision-body">{data.values.body}</pre>
        </>
      ) : null}
      <p>
        <Link to={`/ideas/${params.ideaId}`} className="button button-secondary">{t("Back to the idea")}</Link>
      </p>
    </div>
  );
}
