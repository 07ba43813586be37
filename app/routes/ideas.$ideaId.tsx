import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { CommentForm, CommentThread, type OpenCommentForm } from "../components/comments";
import { FlagControl, ModerateControl } from "../components/moderation";
import { StaffPanel } from "../components/staff-panel";
import { Prose, StaffMark, StatusBadge, TimeAgo, useHydrated } from "../components/ui";
import { VoteControl } from "../components/vote";
import { domainError, formError, idParam, orFail, readForm, requireMember, returnToOrData } from "../lib/http.server";
import { addComment, deleteComment, editComment } from "../models/discussion/comments.server";
import { setFollowing } from "../models/following/follows.server";
import { ideaPath, voteValue } from "../models/ideas/idea";
import { ideaPageIntents } from "../models/ideas/schemas.server";
import { getIdeaPage } from "../models/ideas/idea-page.server";
import { placeholderText } from "../models/moderation/moderation";
import { DECLINE_REASONS } from "../models/pipeline/status";
import { actorFromViewer, can, isModerator, isVotingOpen } from "../models/policy";
import { formatDate, plural } from "../models/shared/format";
import { parseForm } from "../models/shared/validation";
import { castVote } from "../models/votes/votes.server";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data && !data.hidden ? [{ title: `${data.idea.title} · Harbor Ideas` }] : [{ title: "Idea · Harbor Ideas" }];

/** The comment form a page without JavaScript was asked to open (?reply=12, ?edit=12, ?flag=12, ?moderate=12). */
function openedForm(url: URL): OpenCommentForm {
  for (const kind of ["reply", "edit", "flag", "moderate"] as const) {
    const raw = url.searchParams.get(kind);
    if (raw && /^\d{1,10}$/.test(raw)) return { kind, commentId: Number(raw) };
  }
  return null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const page = await orFail(getIdeaPage(context.db, context.member, ideaId));
  if (page.hidden) {
    // Others see a placeholder in its place, not a hole and not the post.
    return { hidden: { id: page.hidden.id, text: placeholderText("idea", page.hidden.moderation, page.hidden.moderationReason) } } as const;
  }
  // The page shows the rendered body; its Markdown source is for the edit page (its own loader).
  const { body: _source, excerpt: _excerpt, ...idea } = page.idea;
  return { ...page, idea, opened: openedForm(new URL(request.url)) };
}


export async function action({ request, params, context }: ActionFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const member = requireMember(context, request);
  const form = await readForm(request);
  const parsed = parseForm(ideaPageIntents, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  const input = parsed.data;
  const db = context.db;
  try {
    switch (input.intent) {
      case "vote": {
        const result = await castVote(db, member, { ideaId, value: voteValue(input.value) });
        return returnToOrData(request, form, { ok: true, score: result.score, value: result.value });
      }
      case "comment": {
        const comment = await addComment(db, member, { ideaId, body: input.body, parentId: input.parentId });
        return returnToOrData(request, form, { ok: true, commentId: comment.id }, `#comment-${comment.id}`);
      }
      case "edit-comment":
        await editComment(db, member, { ideaId, commentId: input.commentId, body: input.body });
        return returnToOrData(request, form, { ok: true }, `#comment-${input.commentId}`);
      case "delete-comment":
        await deleteComment(db, member, { ideaId, commentId: input.commentId });
        return returnToOrData(request, form, { ok: true }, "#comments");
      case "follow":
      case "unfollow":
        await setFollowing(db, member, { ideaId, follow: input.intent === "follow" });
        return returnToOrData(request, form, { ok: true });
    }
  } catch (error) {
    return domainError(error);
  }
}

const DECLINE_LABELS: Record<string, string> = DECLINE_REASONS;

type VisibleData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { hidden: null }>;

function StatusTimeline({ responses }: { responses: VisibleData["responses"] }) {
  if (responses.length === 0) return null;
  return (
    <section className="timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Status history and answers</h2>
      <ol>
        {responses.map((r) => (
          <li key={r.id}>
            <p className="meta">
              {r.from_status !== r.to_status ? (
                <>
                  <StatusBadge status={r.from_status} /> <span aria-label="to">→</span> <StatusBadge status={r.to_status} />
                </>
              ) : (
                <span>Response</span>
              )}
              <span aria-hidden="true">·</span>
              <span>{r.author_name ?? "Groundswell"}</span>
              <span aria-hidden="true">·</span>
              <TimeAgo iso={r.created_at} />
            </p>
            <Prose html={r.body_html} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function FollowButton({ ideaId, following, returnTo }: { ideaId: number; following: boolean; returnTo: string }) {
  const fetcher = useFetcher<{ ok?: boolean }>();
  const hydrated = useHydrated();
  const pending = fetcher.formData?.get("intent");
  const shown = pending ? pending === "follow" : following;
  return (
    <fetcher.Form method="post" action={`/ideas/${ideaId}`} preventScrollReset>
      {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
      <button type="submit" name="intent" value={shown ? "unfollow" : "follow"} className="button button-secondary button-block" aria-pressed={shown}>
        {shown ? "Following" : "Follow"}
      </button>
    </fetcher.Form>
  );
}

export default function IdeaPage() {
  const data = useLoaderData<typeof loader>();
  if (data.hidden) {
    return (
      <div className="narrow-page">
        <nav aria-label="Breadcrumb" className="breadcrumb"><Link to="/">Ideas</Link></nav>
        <h1>Idea #{data.hidden.id}</h1>
        <p className="moderation-notice" role="note">{data.hidden.text}</p>
      </div>
    );
  }
  return <VisibleIdeaPage data={data} />;
}

function VisibleIdeaPage({ data }: { data: VisibleData }) {
  const { idea, thread, responses, mergedFrom, myFlags, staff, canEdit, canSeeHistory } = data;
  const viewer = actorFromViewer(data.viewer);
  const location = useLocation();
  const returnTo = location.pathname;
  const open = isVotingOpen(idea.status);
  // What the signed-in viewer may not do here, and why (a suspension, a paused discussion).
  const voteRefusal = viewer && open ? can(viewer, "idea.vote", { status: idea.status, moderation: idea.moderation }) : null;
  const commentRefusal = viewer ? can(viewer, "comment.add", { ideaModeration: idea.moderation }) : null;
  const latest = responses.at(-1) ?? null;

  return (
    <div className="idea-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Ideas</Link>
        {idea.category_slug ? (
          <>
            <span aria-hidden="true"> › </span>
            <Link to={`/?category=${idea.category_slug}`}>{idea.category_name}</Link>
          </>
        ) : null}
      </nav>

      {idea.duplicate_of_id ? (
        <div className="notice" role="note">
          This idea was merged into{" "}
          <Link to={ideaPath({ id: idea.duplicate_of_id, title: idea.duplicate_of_title ?? "" })}>{idea.duplicate_of_title}</Link>.
          Its votes and followers count there now.
        </div>
      ) : null}

      <div className="idea-layout">
        <article className="idea-main" aria-labelledby="idea-title">
          <header className="idea-header">
            <StatusBadge status={idea.status} />
            <h1 id="idea-title">{idea.title}</h1>
            <p className="meta">
              <span className="avatar avatar-sm" aria-hidden="true">{idea.author_name.slice(0, 1).toUpperCase()}</span>
              <Link to={`/members/${idea.author_handle}`}>{idea.author_name}</Link>
              <StaffMark role={idea.author_role} />
              <span aria-hidden="true">·</span>
              <span>posted <TimeAgo iso={idea.created_at} /></span>
              {idea.edited_at ? (
                <>
                  <span aria-hidden="true">·</span>
                  {canSeeHistory ? (
                    <Link to={`/ideas/${idea.id}/history`}>edited <TimeAgo iso={idea.edited_at} /></Link>
                  ) : (
                    <span>edited <TimeAgo iso={idea.edited_at} /></span>
                  )}
                </>
              ) : null}
            </p>
            {idea.tag_slugs.length ? (
              <p className="tags" aria-label="Tags">
                {idea.tag_slugs.map((t) => (
                  <Link key={t} to={`/?tag=${t}`} className="tag">#{t}</Link>
                ))}
              </p>
            ) : null}
          </header>

          {latest ? (
            <section id="official-response" className={`official-response official-${latest.to_status}`} aria-labelledby="official-heading">
              <h2 id="official-heading">
                Official response <StatusBadge status={latest.to_status} />
              </h2>
              <Prose html={latest.body_html} />
              {latest.decline_reason ? <p className="muted">Reason: {DECLINE_LABELS[latest.decline_reason] ?? latest.decline_reason}</p> : null}
              {idea.status === "declined" && idea.revisit_on ? (
                <p className="muted">We will look at this again on {formatDate(`${idea.revisit_on}T00:00:00Z`)}.</p>
              ) : null}
              <p className="meta">
                {latest.author_name ? (
                  <>
                    <Link to={`/members/${latest.author_handle}`}>{latest.author_name}</Link> <StaffMark role={latest.author_role ?? "member"} />
                  </>
                ) : (
                  <span>Groundswell</span>
                )}
                <span aria-hidden="true">·</span>
                <TimeAgo iso={latest.created_at} />
              </p>
            </section>
          ) : null}

          {idea.moderation !== "visible" ? (
            <p className="moderation-notice" role="note">
              {placeholderText("idea", idea.moderation, idea.moderation_reason)}
              {viewer?.id === idea.author_id ? " Only you and moderators can see it." : ""}
            </p>
          ) : null}
          {idea.body_html ? <Prose html={idea.body_html} /> : <p className="muted">No description.</p>}
          <div className="idea-actions">
            {canEdit ? <Link to={`/ideas/${idea.id}/edit`} className="button button-secondary">Edit idea</Link> : null}
            {viewer && viewer.role === "member" && idea.status !== "duplicate" ? (
              <Link to={`/ideas/${idea.id}/propose-duplicate`} className="button button-quiet">Duplicate of another idea?</Link>
            ) : null}
            {viewer && isModerator(viewer.role) ? (
              <ModerateControl kind="idea" targetId={idea.id} state={idea.moderation} returnTo={returnTo} />
            ) : viewer && viewer.id !== idea.author_id ? (
              <FlagControl kind="idea" targetId={idea.id} myFlagId={myFlags.idea} returnTo={returnTo} />
            ) : null}
          </div>

          {mergedFrom.length ? (
            <section className="merged-from" aria-labelledby="merged-heading">
              <h2 id="merged-heading">Merged into this idea</h2>
              <ul className="plain-list">
                {mergedFrom.map((m) => (
                  <li key={m.merge_id}>
                    <Link to={`/ideas/${m.id}`}>{m.title}</Link> by{" "}
                    <Link to={`/members/${m.author_handle}`}>{m.author_name}</Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          <StatusTimeline responses={responses} />

          <section id="comments" className="discussion" aria-labelledby="discussion-heading">
            <h2 id="discussion-heading">Discussion <span className="count">{idea.comment_count}</span></h2>
            {commentRefusal && !commentRefusal.ok ? (
              <p className="notice" role="note">{commentRefusal.message}</p>
            ) : viewer ? (
              <CommentForm ideaId={idea.id} returnTo={returnTo} label="Add a comment" submitLabel="Post comment" />
            ) : (
              <p className="sign-in-prompt">
                <Link to={`/login?redirectTo=${encodeURIComponent(ideaPath(idea))}`}>Sign in</Link> or{" "}
                <Link to="/join">join</Link> to comment.
              </p>
            )}
            <CommentThread thread={thread} ideaId={idea.id} viewer={viewer} canReply={!!commentRefusal?.ok} returnTo={returnTo} myFlags={myFlags.comments} opened={data.opened} />
          </section>
        </article>

        <aside className="idea-aside" aria-label="Votes and following">
          <div className="vote-panel">
            <VoteControl ideaId={idea.id} titleId="idea-title" score={idea.score} myVote={idea.my_vote ?? 0} open={open && (!voteRefusal || voteRefusal.ok)} size="lg" />
            <div>
              <p className="vote-panel-title">{plural(idea.up_count + idea.down_count, "voter")}</p>
              <p className="muted">
                {idea.up_count} up · {idea.down_count} down
              </p>
              {!open ? <p className="muted">Voting is closed.</p>
                : voteRefusal && !voteRefusal.ok ? <p className="muted">{voteRefusal.message}</p>
                : !viewer ? <p className="muted">Sign in to vote.</p> : null}
            </div>
          </div>
          <div className="aside-box">
            <p className="muted">{plural(idea.follower_count, "follower")}</p>
            {viewer ? <FollowButton ideaId={idea.id} following={!!idea.following} returnTo={returnTo} /> : null}
            {idea.owner_name && staff ? <p className="muted">Owner: {idea.owner_name}</p> : null}
          </div>
        </aside>
      </div>

      {staff ? <StaffPanel ideaId={idea.id} data={staff} /> : null}
    </div>
  );
}
