import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { CommentNode } from "../models/discussion/comment";
import { COMMENT_BODY_MAX } from "../models/discussion/comment";
import { placeholderText } from "../models/moderation/moderation";
import { allowed, isModerator, type Actor } from "../models/policy";
import { FlagControl, ModerateControl } from "./moderation";
import { FormMessage, Prose, StaffMark, TextArea, TimeAgo, useHydrated } from "./ui";

type ActionData = { fieldErrors?: Record<string, string | undefined>; ok?: boolean };

const MAX_INDENT = 4;

/** A comment form (new comment, reply or edit) that works with and without JavaScript. */
export function CommentForm({
  ideaId,
  returnTo,
  parentId,
  comment,
  label,
  submitLabel,
  onDone,
}: {
  ideaId: number;
  returnTo: string;
  parentId?: number;
  comment?: { id: number; body: string };
  label: string;
  submitLabel: string;
  onDone?: () => void;
}) {
  const fetcher = useFetcher<ActionData>();
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const errors = fetcher.data?.fieldErrors;
  const idBase = `c-${comment ? `edit-${comment.id}` : parentId ? `reply-${parentId}` : "new"}`;

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) {
      if (!comment) formRef.current?.reset();
      onDone?.();
    }
  }, [fetcher.state, fetcher.data, comment, onDone]);

  return (
    <fetcher.Form method="post" action={`/ideas/${ideaId}`} ref={formRef} className="comment-form" preventScrollReset>
      <input type="hidden" name="intent" value={comment ? "edit-comment" : "comment"} />
      {comment ? <input type="hidden" name="commentId" value={comment.id} /> : null}
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
      <FormMessage message={errors?.form} />
      <TextArea
        id={idBase}
        label={label}
        name="body"
        rows={comment ? 4 : 3}
        required
        maxLength={COMMENT_BODY_MAX}
        defaultValue={comment?.body}
        error={errors?.body}
        hint={parentId || comment ? undefined : "Markdown works: **bold**, _italic_, lists and links."}
      />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Saving…" : submitLabel}
      </button>
    </fetcher.Form>
  );
}

function DeleteCommentButton({ ideaId, commentId, returnTo, whose }: { ideaId: number; commentId: number; returnTo: string; whose: string }) {
  const fetcher = useFetcher<ActionData>();
  const hydrated = useHydrated();
  return (
    <fetcher.Form
      method="post"
      action={`/ideas/${ideaId}`}
      preventScrollReset
      onSubmit={(e) => {
        if (!window.confirm("Delete this comment? Replies to it stay.")) e.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="delete-comment" />
      <input type="hidden" name="commentId" value={commentId} />
      {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
      <button type="submit" className="link-button danger" disabled={fetcher.state !== "idle"}>
        Delete<span className="visually-hidden"> {whose}</span>
      </button>
    </fetcher.Form>
  );
}

type ThreadProps = {
  ideaId: number;
  viewer: Actor | null;
  /** Whether the viewer may add comments here (signed in, not suspended, discussion open). */
  canReply: boolean;
  returnTo: string;
  myFlags: Record<number, number>;
};

function Comment({ node, depth, ...props }: { node: CommentNode; depth: number } & ThreadProps) {
  const { ideaId, viewer, canReply, returnTo, myFlags } = props;
  const mayEdit = allowed(viewer, "comment.edit", { authorId: node.authorId, deleted: node.deleted });
  const own = viewer?.id === node.authorId;
  const whose = own ? "your comment" : `${node.authorName}'s comment`;
  const editRef = useRef<HTMLDetailsElement>(null);
  const replyRef = useRef<HTMLDetailsElement>(null);
  return (
    <li className={`comment${node.authorRole !== "member" ? " comment-staff" : ""}`} id={`comment-${node.id}`}>
      <article aria-label={node.deleted ? "Deleted comment" : `Comment by ${node.authorName}`}>
        {node.deleted ? (
          <p className="comment-deleted">This comment was deleted.</p>
        ) : node.redacted ? (
          <p className="comment-deleted">{placeholderText("comment", node.moderation, node.moderationReason)}</p>
        ) : (
          <>
            <header className="comment-header">
              <span className="avatar avatar-sm" aria-hidden="true">{node.authorName.slice(0, 1).toUpperCase()}</span>
              <Link to={`/members/${node.authorHandle}`} className="comment-author">{node.authorName}</Link>
              <StaffMark role={node.authorRole} />
              <a href={`#comment-${node.id}`} className="comment-time"><TimeAgo iso={node.createdAt} /></a>
              {node.editedAt ? <span className="comment-edited">(edited)</span> : null}
            </header>
            {node.moderation !== "visible" ? (
              <p className="moderation-notice" role="note">
                {placeholderText("comment", node.moderation, node.moderationReason)}
                {viewer?.id === node.authorId ? " Only you and moderators can see it." : ""}
              </p>
            ) : null}
            <Prose html={node.bodyHtml} />
            <div className="comment-actions">
              {canReply ? (
                <details ref={replyRef}>
                  <summary>Reply<span className="visually-hidden"> to {node.authorName}</span></summary>
                  <CommentForm
                    ideaId={ideaId}
                    returnTo={returnTo}
                    parentId={node.id}
                    label={`Reply to ${node.authorName}`}
                    submitLabel="Post reply"
                    onDone={() => replyRef.current?.removeAttribute("open")}
                  />
                </details>
              ) : null}
              {mayEdit ? (
                <>
                  <details ref={editRef}>
                    <summary>Edit<span className="visually-hidden"> {whose}</span></summary>
                    <CommentForm
                      ideaId={ideaId}
                      returnTo={returnTo}
                      comment={{ id: node.id, body: node.body }}
                      label={own ? "Edit your comment" : `Edit ${whose}`}
                      submitLabel="Save changes"
                      onDone={() => editRef.current?.removeAttribute("open")}
                    />
                  </details>
                  <DeleteCommentButton ideaId={ideaId} commentId={node.id} returnTo={returnTo} whose={whose} />
                </>
              ) : null}
              {viewer && isModerator(viewer.role) ? (
                <ModerateControl kind="comment" targetId={node.id} state={node.moderation} returnTo={`${returnTo}#comment-${node.id}`} />
              ) : viewer && viewer.id !== node.authorId ? (
                <FlagControl kind="comment" targetId={node.id} myFlagId={myFlags[node.id] ?? null} returnTo={`${returnTo}#comment-${node.id}`} />
              ) : null}
            </div>
          </>
        )}
      </article>
      {node.replies.length ? (
        <ol className={depth < MAX_INDENT ? "comment-replies" : "comment-replies comment-replies-flat"}>
          {node.replies.map((reply) => (
            <Comment key={reply.id} node={reply} depth={depth + 1} {...props} />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

export function CommentThread({ thread, ...props }: { thread: CommentNode[] } & ThreadProps) {
  if (thread.length === 0) {
    return <p className="muted">No comments yet. Start the conversation.</p>;
  }
  return (
    <ol className="comment-thread">
      {thread.map((node) => (
        <Comment key={node.id} node={node} depth={0} {...props} />
      ))}
    </ol>
  );
}
