import { Avatar } from "../components/avatar";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useState } from "react";
import { CommentForm, CommentThread, type OpenCommentForm } from "../components/comments";
import { FlagControl, ModerateControl } from "../components/moderation";
import { StaffPanel } from "../components/staff-panel";
import { Prose, StaffMark, StatusBadge, TimeAgo, useHydrated } from "../components/ui";
import { VoteControl } from "../components/vote";
import { domainError, formError, idParam, orFail, readForm, requireMember, returnToOrData } from "../lib/http.server";
import { addComment, deleteComment, editComment } from "../models/discussion/comments.server";
import { setFollowing } from "../models/following/follows.server";
import { setDiscussionLock } from "../models/discussion/locks.server";
import { ideaPath, isVotingOpen, voteValue } from "../models/ideas/idea";
import { getIdeaPage, parseIdeaPageForm } from "../models/ideas/idea-page.server";
import { placeholderText } from "../models/moderation/moderation";
import { DECLINE_REASONS } from "../models/pipeline/status";
import { actorFromViewer, allowed, can, sentence } from "../models/policy";
import { isModerator, isStaff } from "../models/members/roles";
import { formatDate } from "../models/shared/format";
import { useLocale } from "../i18n";
import { rich } from "../i18n/rich";
import { castVote } from "../models/votes/votes.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  data && !data.hidden ? [{ title: pageTitle(matches, data.idea.title) }] : [{ title: pageTitle(matches, "Idea") }];

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
  // Nor does it show the ids of the category and owner (it has their names) or when a lock began.
  const { body: _source, excerpt: _excerpt, category_id: _category, owner_id: _owner, locked_at: _locked, ...idea } = page.idea;
  const url = new URL(request.url);
  return { ...page, idea, opened: openedForm(url), shareUrl: new URL(ideaPath(idea), url.origin).href };
}


export async function action({ request, params, context }: ActionFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const member = requireMember(context, request);
  const form = await readForm(request);
  const parsed = parseIdeaPageForm(form);
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
        return returnToOrData(request, form, { ok: true, commentId: comment.id, held: comment.held }, `#comment-${comment.id}`);
      }
      case "edit-comment":
        await editComment(db, member, { ideaId, commentId: input.commentId, body: input.body });
        return returnToOrData(request, form, { ok: true }, `#comment-${input.commentId}`);
      case "delete-comment":
        await deleteComment(db, member, { ideaId, commentId: input.commentId });
        return returnToOrData(request, form, { ok: true }, "#comments");
      case "lock":
        await setDiscussionLock(db, member, { ideaId, lock: true, reason: input.reason });
        return returnToOrData(request, form, { ok: true }, "#comments");
      case "unlock":
        await setDiscussionLock(db, member, { ideaId, lock: false });
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
  const t = useT();
  if (responses.length === 0) return null;
  return (
    <section className="timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t("Status history and answers")}</h2>
      <ol>
        {responses.map((r, i) => (
          <li key={r.id}>
            <p className="meta">
              {r.from_status !== r.to_status ? (
                <>
                  <StatusBadge status={r.from_status} /> <span aria-label={t("to")}>→</span> <StatusBadge status={r.to_status} />
                </>
              ) : (
                <span>{t("Response")}</span>
              )}
              <span aria-hidden="true">·</span>
              <span>{r.author_name ?? "Groundswell"}</span>
              <span aria-hidden="true">·</span>
              <TimeAgo iso={r.created_at} />
            </p>
            {i === responses.length - 1 ? (
              // The latest answer is the official response at the top of the page: pointed to, not repeated.
              <p className="muted"><a href="#official-response">{t("The official response, shown above.")}</a></p>
            ) : (
              <Prose html={r.body_html} />
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Staff's control to lock a discussion (with the reason members see) or unlock it; a plain form. */
function LockControl({ ideaId, locked, returnTo }: { ideaId: number; locked: boolean; returnTo: string }) {
  const t = useT();
  if (locked) {
    return (
      <Form method="post" action={`/ideas/${ideaId}`} className="lock-control">
        <input type="hidden" name="returnTo" value={`${returnTo}#comments`} data-always="" />
        <button type="submit" name="intent" value="unlock" className="button button-secondary">{t("Unlock discussion")}</button>
      </Form>
    );
  }
  return (
    <details className="lock-control">
      <summary className="button button-quiet">{t("Lock discussion…")}</summary>
      <Form method="post" action={`/ideas/${ideaId}`} className="lock-form">
        <input type="hidden" name="returnTo" value={`${returnTo}#comments`} data-always="" />
        <div className="field">
          <label htmlFor="lock-reason">{t("Reason (members see it)")}</label>
          <input id="lock-reason" name="reason" required minLength={3} maxLength={300} placeholder={t("The discussion went off topic; the answer above stands.")} />
        </div>
        <button type="submit" name="intent" value="lock" className="button button-primary">{t("Lock discussion")}</button>
      </Form>
    </details>
  );
}

/** The idea's address to copy (a button with JavaScript; the text field, selectable, without). */
function ShareBox({ url, id, className }: { url: string; id: string; className: string }) {
  const t = useT();
  const hydrated = useHydrated();
  const [copied, setCopied] = useState(false);
  return (
    <div className={`aside-box share-box ${className}`}>
      <label htmlFor={id}>{t("Share this idea")}</label>
      <div className="share-row">
        <input id={id} type="url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        {hydrated ? (
          <button type="button" className="button button-secondary" onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true), () => setCopied(false));
          }}>{t("Copy")}</button>
        ) : null}
      </div>
      <p className="muted small" aria-live="polite">{copied ? t("Link copied.") : t("More votes come from people you tell.")}</p>
    </div>
  );
}

function FollowButton({ ideaId, following, returnTo }: { ideaId: number; following: boolean; returnTo: string }) {
  const fetcher = useFetcher<{ ok?: boolean }>();
  const hydrated = useHydrated();
  const pending = fetcher.formData?.get("intent");
  const shown = pending ? pending === "follow" : following;
  const t = useT();
  return (
    <fetcher.Form method="post" action={`/ideas/${ideaId}`} preventScrollReset>
      {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
      <button type="submit" name="intent" value={shown ? "unfollow" : "follow"} className="button button-secondary button-block" aria-pressed={shown}>
        {shown ? t("Following") : t("Follow")}
      </button>
    </fetcher.Form>
  );
}

export default function IdeaPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  if (data.hidden) {
    return (
      <div className="narrow-page">
        <nav aria-label={t("Breadcrumb")} className="breadcrumb"><Link to="/">{t("Ideas")}</Link></nav>
        <h1>{t("Idea #{id}", { id: data.hidden.id })}</h1>
        <p className="moderation-notice" role="note">{t(data.hidden.text)}</p>
      </div>
    );
  }
  return <VisibleIdeaPage data={data} />;
}

function VisibleIdeaPage({ data }: { data: VisibleData }) {
  const t = useT();
  const locale = useLocale();
  const { idea, thread, responses, mergedFrom, myFlags, staff, canEdit, canSeeHistory } = data;
  const viewer = actorFromViewer(data.viewer);
  const location = useLocation();
  const returnTo = location.pathname;
  const open = isVotingOpen(idea.status);
  // What the signed-in viewer may not do here, and why (a suspension, a paused discussion).
  const voteRefusal = viewer && open ? can(viewer, "idea.vote", { status: idea.status, moderation: idea.moderation }) : null;
  const commentRefusal = viewer ? can(viewer, "comment.add", { ideaModeration: idea.moderation, lockReason: idea.lock_reason }) : null;
  const latest = responses.at(-1) ?? null;

  return (
    <div className="idea-page">
      <nav aria-label={t("Breadcrumb")} className="breadcrumb">
        <Link to="/">{t("Ideas")}</Link>
        {idea.category_slug ? (
          <>
            <span aria-hidden="true"> › </span>
            <Link to={`/?category=${idea.category_slug}`}>{idea.category_name}</Link>
          </>
        ) : null}
      </nav>

      {idea.duplicate_of_id ? (
        <div className="notice" role="note">
          {rich(t("This idea was merged into <0>{title}</0>. Its votes and followers count there now.", { title: idea.duplicate_of_title ?? "" }), [
            <Link to={ideaPath({ id: idea.duplicate_of_id, title: idea.duplicate_of_title ?? "" })} />,
          ])}
        </div>
      ) : null}

      <div className="idea-layout">
        <article className="idea-main" aria-labelledby="idea-title">
          <header className="idea-header">
            <StatusBadge status={idea.status} />
            <h1 id="idea-title">{idea.title}</h1>
            <p className="meta">
              <Avatar name={idea.author_name} handle={idea.author_handle} version={idea.author_avatar} />
              <Link to={`/members/${idea.author_handle}`}>{idea.author_name}</Link>
              <StaffMark role={idea.author_role} />
              <span aria-hidden="true">·</span>
              <span>{t("posted")} <TimeAgo iso={idea.created_at} /></span>
              {idea.edited_at ? (
                <>
                  <span aria-hidden="true">·</span>
                  {canSeeHistory ? (
                    <Link to={`/ideas/${idea.id}/history`}>{t("edited")} <TimeAgo iso={idea.edited_at} /></Link>
                  ) : (
                    <span>{t("edited")} <TimeAgo iso={idea.edited_at} /></span>
                  )}
                </>
              ) : null}
            </p>
            {idea.tag_slugs.length ? (
              <p className="tags" aria-label={t("Tags")}>
                {idea.tag_slugs.map((t) => (
                  <Link key={t} to={`/?tag=${t}`} className="tag">#{t}</Link>
                ))}
              </p>
            ) : null}
          </header>

          {latest ? (
            <section id="official-response" className={`official-response official-${latest.to_status}`} aria-labelledby="official-heading">
              <h2 id="official-heading">
                {t("Official response")} <StatusBadge status={latest.to_status} />
              </h2>
              <Prose html={latest.body_html} />
              {latest.decline_reason ? <p className="muted">{t("Reason: {reason}", { reason: t(DECLINE_LABELS[latest.decline_reason] ?? latest.decline_reason) })}</p> : null}
              {idea.status === "declined" && idea.revisit_on ? (
                <p className="muted">{t("We will look at this again on {date}.", { date: formatDate(`${idea.revisit_on}T00:00:00Z`, locale) })}</p>
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

          {idea.awaiting_approval_since ? (
            <p className="moderation-notice pending-notice" role="note">
              {viewer?.id === idea.author_id
                ? t("Waiting for approval: a moderator checks a new member's first post before it is public. Only you and moderators can see it for now.")
                : t("Waiting for approval: a new member's first post. Approve or remove it in the moderation queue.")}
            </p>
          ) : idea.moderation !== "visible" ? (
            <p className="moderation-notice" role="note">
              {placeholderText("idea", idea.moderation, idea.moderation_reason)}
              {viewer?.id === idea.author_id ? " Only you and moderators can see it." : ""}
            </p>
          ) : null}
          {idea.body_html ? <Prose html={idea.body_html} /> : <p className="muted">{t("No description.")}</p>}
          <div className="idea-actions">
            {canEdit ? <Link to={`/ideas/${idea.id}/edit`} className="button button-secondary">{t("Edit idea")}</Link> : null}
            {viewer && viewer.role === "member" && idea.status !== "duplicate" ? (
              <Link to={`/ideas/${idea.id}/propose-duplicate`} className="button button-quiet">{t("Duplicate of another idea?")}</Link>
            ) : null}
            {viewer && isModerator(viewer.role) ? (
              <ModerateControl kind="idea" targetId={idea.id} state={idea.moderation} returnTo={returnTo} />
            ) : viewer && viewer.id !== idea.author_id && (myFlags.idea || allowed(viewer, "flag.raise", { authorId: idea.author_id, kind: "idea" })) ? (
              <FlagControl kind="idea" targetId={idea.id} myFlagId={myFlags.idea} returnTo={returnTo} />
            ) : null}
          </div>

          {idea.moderation === "visible" ? <ShareBox url={data.shareUrl} id="share-url-phone" className="phone-only" /> : null}

          {mergedFrom.length ? (
            <section className="merged-from" aria-labelledby="merged-heading">
              <h2 id="merged-heading">{t("Merged into this idea")}</h2>
              <ul className="plain-list">
                {mergedFrom.map((m) => (
                  <li key={m.merge_id}>
                    <Link to={`/ideas/${m.id}`}>{m.title}</Link> by{" "}
                    <Link to={`/members/${m.author_handle}`}>{m.author_name}</Link>
                    {staff ? (
                      <Form method="post" action={`/ideas/${m.id}/staff`} className="inline-form">
                        <input type="hidden" name="intent" value="undo-merge" />
                        <input type="hidden" name="mergeId" value={m.merge_id} />{" "}
                        <button type="submit" className="link-button">{t("Undo merge")}<span className="visually-hidden">{t(" of {title}", { title: m.title })}</span></button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}

          {staff ? <StaffPanel ideaId={idea.id} data={staff} /> : null}

          <StatusTimeline responses={responses} />

          <section id="comments" className="discussion" aria-labelledby="discussion-heading">
            <h2 id="discussion-heading">{t("Discussion")}{" "}<span className="count">{idea.comment_count}</span></h2>
            {idea.lock_reason ? (
              <div className="notice lock-notice" role="note">
                <p><strong>{t("This discussion is locked.")}</strong> {sentence(idea.lock_reason)}</p>
                {viewer && isStaff(viewer.role) ? <p className="muted">{t("Staff can still comment.")}</p> : null}
              </div>
            ) : null}
            {viewer && allowed(viewer, "idea.lock", null) ? <LockControl ideaId={idea.id} locked={!!idea.lock_reason} returnTo={returnTo} /> : null}
            {commentRefusal && !commentRefusal.ok && !idea.lock_reason ? (
              <p className="notice" role="note">{t(commentRefusal.message)}</p>
            ) : (commentRefusal && !commentRefusal.ok) || (!viewer && idea.lock_reason) ? null : viewer ? (
              <CommentForm ideaId={idea.id} returnTo={returnTo} label={t("Add a comment")} submitLabel={t("Post comment")} />
            ) : (
              <p className="sign-in-prompt">
                {rich(t("<0>Sign in</0> or <1>join</1> to comment."), [<Link to={`/login?redirectTo=${encodeURIComponent(ideaPath(idea))}`} />, <Link to="/join" />])}
              </p>
            )}
            <CommentThread thread={thread} ideaId={idea.id} viewer={viewer} canReply={!!commentRefusal?.ok} returnTo={returnTo} myFlags={myFlags.comments} opened={data.opened} />
          </section>
        </article>

        <aside className="idea-aside" aria-label={t("Votes and following")}>
          <div className="vote-panel">
            <VoteControl ideaId={idea.id} titleId="idea-title" score={idea.score} myVote={idea.my_vote ?? 0} open={open && (!voteRefusal || voteRefusal.ok)} size="lg" />
            <div>
              <p className="vote-panel-title">{t("{count, plural, one {# voter} other {# voters}}", { count: idea.up_count + idea.down_count })}</p>
              <p className="muted">
                {t("{up, number} up · {down, number} down", { up: idea.up_count, down: idea.down_count })}
              </p>
              {idea.logged_votes > 0 ? (
                <p className="muted logged-on-behalf">
                  {t("{count, plural, one {# vote} other {# votes}} logged by staff on members' behalf, from calls, e-mails and visits", { count: idea.logged_votes })}
                </p>
              ) : null}
              {!open ? <p className="muted">{t("Voting is closed.")}</p>
                : voteRefusal && !voteRefusal.ok ? <p className="muted">{t(voteRefusal.message)}</p>
                : !viewer ? <p className="muted">{t("Sign in to vote.")}</p> : null}
            </div>
          </div>
          <div className="aside-box">
            <p className="muted">{t("{count, plural, one {# follower} other {# followers}}", { count: idea.follower_count })}</p>
            {viewer ? <FollowButton ideaId={idea.id} following={!!idea.following} returnTo={returnTo} /> : null}
            {idea.owner_name && staff ? <p className="muted">{t("Owner: {name}", { name: idea.owner_name })}</p> : null}
          </div>
          {/* Beside the idea on a desktop; on a phone (where this column comes first) after it. */}
          {idea.moderation === "visible" ? <ShareBox url={data.shareUrl} id="share-url" className="wide-only" /> : null}
        </aside>
      </div>

    </div>
  );
}
