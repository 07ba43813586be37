import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { FormMessage, StatusBadge, TimeAgo } from "../components/ui";
import { idParam, requireMember } from "../lib/http.server";
import { ideaPath } from "../models/ideas/idea";
import { getMergePreview } from "../models/pipeline/merges.server";
import { DomainError } from "../models/shared/errors";
import { plural } from "../models/shared/format";
import { mergeChoiceSchema } from "../models/triage/schemas.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

type MergePreview = Awaited<ReturnType<typeof getMergePreview>>;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Confirm merge") }];

// The product team's confirmation of a merge: both ideas side by side before anything moves.
// The staff panel's choice arrives here by GET (?into=, or a typed ?number=); the merge itself
// is posted to /ideas/:id/staff with confirm=yes, the only way a merge is done.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const sourceId = idParam(params.ideaId, "That idea");
  const url = new URL(request.url);
  const choice = mergeChoiceSchema.parse({ into: url.searchParams.get("into") ?? undefined, number: url.searchParams.get("number") ?? undefined });
  const targetId = choice.number ?? choice.into;
  if (!targetId) {
    return data({ sourceId, error: "Choose one of the possible duplicates, or enter an idea's number." as string | null, preview: null as MergePreview | null }, { status: 400 });
  }
  try {
    const preview = await getMergePreview(context.db, member, { sourceId, targetId });
    return data({ sourceId, error: null as string | null, preview }, { status: 200 });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.status === 403 || (error.status === 404 && !error.field)) throw data({ message: error.message }, { status: error.status });
    return data({ sourceId, error: error.message as string | null, preview: null as MergePreview | null }, { status: error.status });
  }
}

type Side = Omit<MergePreview["source"], "created_at"> & { created_at: string };
type LoaderData = { sourceId: number; error: string | null; preview: { source: Side; target: Side } | null };

function MergeSide({ idea, role, headingId }: { idea: Side; role: string; headingId: string }) {
  const t = useT();
  return (
    <section className="merge-side" aria-labelledby={headingId}>
      <p className="merge-role">{role}</p>
      <h2 id={headingId}>
        <Link to={ideaPath(idea)}>{idea.title}</Link>
      </h2>
      <p className="meta">
        <span>#{idea.id}</span>
        <StatusBadge status={idea.status} />
      </p>
      <dl className="merge-facts">
        <div><dt>{t("Votes")}</dt><dd>{idea.score} <span className="muted">{t("({up, number} up, {down, number} down)", { up: idea.up_count, down: idea.down_count })}</span></dd></div>
        <div><dt>{t("Followers")}</dt><dd>{idea.follower_count}</dd></div>
        <div><dt>{t("Comments")}</dt><dd>{idea.comment_count}</dd></div>
        <div><dt>{t("Posted")}</dt><dd><Link to={`/members/${idea.author_handle}`}>{idea.author_name}</Link>, <TimeAgo iso={idea.created_at} /></dd></div>
      </dl>
    </section>
  );
}

export default function ConfirmMerge() {
  const t = useT();
  // Sent with its status (400/404/409 when the merge cannot be offered), so typed here.
  const { sourceId, error, preview } = useLoaderData<typeof loader>() as unknown as LoaderData;
  const busy = useNavigation().state === "submitting";
  if (!preview) {
    return (
      <div className="narrow-page">
        <p className="breadcrumb"><Link to={`/ideas/${sourceId}`}>{t("← Back to the idea")}</Link></p>
        <h1>{t("Merge not possible")}</h1>
        <FormMessage message={error ?? undefined} />
        <p><Link to={`/ideas/${sourceId}#possible-duplicates`} className="button button-secondary">{t("Choose again")}</Link></p>
      </div>
    );
  }
  const { source, target } = preview;
  return (
    <div className="narrow-page wide">
      <p className="breadcrumb"><Link to={ideaPath(source)}>{t("← Back to the idea")}</Link></p>
      <h1>{t("Merge these two ideas?")}</h1>
      <p className="lead">
        “{source.title}” becomes a duplicate of “{target.title}”. Its {plural(source.up_count + source.down_count, "voter")} and{" "}
        {plural(source.follower_count, "follower")} move to it (a member who voted on both keeps their vote there), and{" "}
        {source.author_name} is credited. You can undo the merge afterwards from either idea.
      </p>
      <div className="merge-pair">
        <MergeSide idea={source} role="The duplicate" headingId="merge-source" />
        <p className="merge-arrow" aria-hidden="true">→</p>
        <MergeSide idea={target} role="Merged into" headingId="merge-target" />
      </div>
      <Form method="post" action={`/ideas/${source.id}/staff`} className="form-actions merge-confirm">
        <input type="hidden" name="intent" value="merge" />
        <input type="hidden" name="targetId" value={target.id} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t("Merging…") : t("Merge into “{title}”", { title: target.title })}
        </button>
        <Link to={`${ideaPath(source)}#possible-duplicates`} className="button button-secondary">{t("Cancel")}</Link>
      </Form>
    </div>
  );
}
