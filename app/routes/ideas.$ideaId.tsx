import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { CommentForm, CommentThread } from "../components/comments";
import { Prose, StaffMark, StatusBadge, TimeAgo } from "../components/ui";
import { VoteControl } from "../components/vote";
import { domainError, formError, idParam, orFail, readForm, requireMember, returnToOrData } from "../lib/http.server";
import { addCommentSchema, deleteCommentSchema, editCommentSchema } from "../models/comment";
import { addComment, deleteComment, editComment, getThread } from "../models/comments.server";
import { plural } from "../models/format";
import { ideaPath, isVotingOpen, voteSchema } from "../models/idea";
import { getIdea } from "../models/ideas.server";
import { canEditIdea, canViewIdeaHistory } from "../models/permissions";
import { parseForm } from "../models/validation";
import { castVote } from "../models/votes.server";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.idea.title} · Harbor Ideas` }] : [{ title: "Idea not found · Harbor Ideas" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const viewer = context.member;
  const [idea, thread] = await orFail(
    Promise.all([getIdea(context.db, ideaId, viewer?.id ?? null), getThread(context.db, ideaId)]),
  );
  const target = { authorId: idea.author_id, createdAt: new Date(idea.created_at) };
  return {
    idea,
    thread,
    viewer: viewer ? { id: viewer.id, role: viewer.role } : null,
    canEdit: canEditIdea(viewer, target),
    canSeeHistory: canViewIdeaHistory(viewer, target) && idea.edited_at !== null,
  };
}

const intentSchema = z.discriminatedUnion("intent", [voteSchema, addCommentSchema, editCommentSchema, deleteCommentSchema]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ideaId = idParam(params.ideaId, "That idea");
  const member = requireMember(context, request);
  const form = await readForm(request);
  const parsed = parseForm(intentSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  const input = parsed.data;
  const db = context.db;
  try {
    switch (input.intent) {
      case "vote": {
        const value = input.value === "up" ? 1 : input.value === "down" ? -1 : 0;
        const result = await castVote(db, { ideaId, memberId: member.id, value });
        return returnToOrData(form, { ok: true, score: result.score, value: result.value });
      }
      case "comment": {
        const comment = await addComment(db, { ideaId, authorId: member.id, body: input.body, parentId: input.parentId });
        return returnToOrData(form, { ok: true, commentId: comment.id }, `#comment-${comment.id}`);
      }
      case "edit-comment":
        await editComment(db, member, { ideaId, commentId: input.commentId, body: input.body });
        return returnToOrData(form, { ok: true }, `#comment-${input.commentId}`);
      case "delete-comment":
        await deleteComment(db, member, { ideaId, commentId: input.commentId });
        return returnToOrData(form, { ok: true }, "#comments");
    }
  } catch (error) {
    return domainError(error);
  }
}

export default function IdeaPage() {
  const { idea, thread, viewer, canEdit, canSeeHistory } = useLoaderData<typeof loader>();
  const location = useLocation();
  const returnTo = location.pathname;
  const open = isVotingOpen(idea.status);

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
          </header>
          {idea.body_html ? <Prose html={idea.body_html} /> : <p className="muted">No description.</p>}
          {canEdit ? (
            <p>
              <Link to={`/ideas/${idea.id}/edit`} className="button button-secondary">Edit idea</Link>
            </p>
          ) : null}

          <section id="comments" className="discussion" aria-labelledby="discussion-heading">
            <h2 id="discussion-heading">Discussion <span className="count">{idea.comment_count}</span></h2>
            {viewer ? (
              <CommentForm ideaId={idea.id} returnTo={returnTo} label="Add a comment" submitLabel="Post comment" />
            ) : (
              <p className="sign-in-prompt">
                <Link to={`/login?redirectTo=${encodeURIComponent(ideaPath(idea))}`}>Sign in</Link> or{" "}
                <Link to="/join">join</Link> to comment.
              </p>
            )}
            <CommentThread thread={thread} ideaId={idea.id} viewer={viewer} returnTo={returnTo} />
          </section>
        </article>

        <aside className="idea-aside" aria-label="Votes">
          <div className="vote-panel">
            <VoteControl ideaId={idea.id} score={idea.score} myVote={idea.my_vote ?? 0} open={open} returnTo={returnTo} size="lg" />
            <div>
              <p className="vote-panel-title">{plural(idea.up_count + idea.down_count, "voter")}</p>
              <p className="muted">
                {idea.up_count} up · {idea.down_count} down
              </p>
              {!open ? <p className="muted">Voting is closed.</p> : !viewer ? <p className="muted">Sign in to vote.</p> : null}
            </div>
          </div>
        </aside>
      </div>
    </div>
  );
}
