import { Avatar } from "./avatar";
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { CommentNode } from "../models/discussion/comment";
import { COMMENT_BODY_MAX, commentAuthorId } from "../models/discussion/comment";
import { placeholderText } from "../models/moderation/moderation";
import { allowed, type Actor } from "../models/policy";
import { isModerator } from "../models/members/roles";
import { FlagControl, ModerateControl } from "./moderation";
import { MentionSuggestions } from "./mention-suggestions";
import { FormMessage, Prose, StaffMark, TextArea, TimeAgo, useHydrated } from "./ui";
import { CHANNEL_PHRASES } from "../models/listening/listening";
import type { Channel } from "../../db/schema";
import { useT } from "../i18n";

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
  autoFocus,
}: {
  ideaId: number;
  returnTo: string;
  parentId?: number;
  comment?: { id: number; body: string };
  label: string;
  submitLabel: string;
  onDone?: () => void;
  /** Focus the text when the form was opened by a click. */
  autoFocus?: boolean;
}) {
  const t = useT();
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
        autoFocus={autoFocus}
        error={errors?.body}
        hint={parentId || comment ? undefined : t("Markdown works: **bold**, _italic_, lists and links. Type @ and a name to mention a member.")}
      />
      {hydrated ? <MentionSuggestions textareaId={idBase} /> : null}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? t("Saving…") : submitLabel}
      </button>
    </fetcher.Form>
  );
}

function DeleteCommentButton({ ideaId, commentId, returnTo, whose }: { ideaId: number; commentId: number; returnTo: string; whose: string }) {
  const t = useT();
  const fetcher = useFetcher<ActionData>();
  const hydrated = useHydrated();
  return (
    <fetcher.Form
      method="post"
      action={`/ideas/${ideaId}`}
      preventScrollReset
      onSubmit={(e) => {
        if (!window.confirm(t("Delete this comment? Replies to it stay."))) e.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="delete-comment" />
      <input type="hidden" name="commentId" value={commentId} />
      {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
      <button type="submit" className="link-button danger" disabled={fetcher.state !== "idle"}>
        {t("Delete")}<span className="visually-hidden"> {whose}</span>
      </button>
    </fetcher.Form>
  );
}

/** Which comment form is open: from the URL without JavaScript (?reply=12), from a click with it. */
export type OpenCommentForm = { kind: "reply" | "edit" | "flag" | "moderate"; commentId: number } | null;

type ThreadProps = {
  ideaId: number;
  viewer: Actor | null;
  /** Whether the viewer may add comments here (signed in, not suspended, discussion open). */
  canReply: boolean;
  returnTo: string;
  myFlags: Record<number, number>;
  /** The form the page was asked to open (no JavaScript); the thread shows one form at a time. */
  opened: OpenCommentForm;
};

/**
 * Opens one of a comment's forms. Without JavaScript it is a link to the same page with the form
 * open (the server renders just that one); with JavaScript it opens in place. Either way the page
 * carries no form a comment does not need, so a long thread stays small.
 */
function OpenFormLink({ kind, node, label, hidden, onOpen, open }: {
  kind: NonNullable<OpenCommentForm>["kind"];
  node: CommentNode;
  label: string;
  hidden: string;
  open: boolean;
  onOpen: (kind: NonNullable<OpenCommentForm>["kind"] | null) => void;
}) {
  return (
    <a
      href={open ? `?#comment-${node.id}` : `?${kind}=${node.id}#comment-${node.id}`}
      aria-expanded={open || undefined}
      onClick={(e) => {
        e.preventDefault();
        onOpen(open ? null : kind);
      }}
    >
      {label}<span className="visually-hidden">{hidden}</span>
    </a>
  );
}

function Comment({ node, depth, ...props }: { node: CommentNode; depth: number } & ThreadProps) {
  const t = useT();
  const { ideaId, viewer, canReply, returnTo, myFlags, opened } = props;
  const hydrated = useHydrated();
  const [clicked, setClicked] = useState<NonNullable<OpenCommentForm>["kind"] | null | undefined>(undefined);
  // Before any click, the form the URL asked for (so it also works without JavaScript).
  const openKind = clicked !== undefined ? clicked : opened?.commentId === node.id ? opened.kind : null;
  const authorId = commentAuthorId(node, viewer);
  const mayEdit = allowed(viewer, "comment.edit", { authorId, deleted: !!node.deleted });
  const own = !!node.mine;
  const whose = own ? t("your comment") : t("{name}'s comment", { name: node.authorName });
  const moderator = !!viewer && isModerator(viewer.role);
  // Flag it, or withdraw the flag already raised (moderators moderate instead).
  const mayFlag = !!viewer && !moderator && !own && (!!myFlags[node.id] || allowed(viewer, "flag.raise", { authorId, kind: "comment" }));
  const close = () => setClicked(null);
  const opener = (kind: NonNullable<OpenCommentForm>["kind"], label: string, hidden: string) => (
    <OpenFormLink kind={kind} node={node} label={label} hidden={hidden} open={openKind === kind} onOpen={(k) => setClicked(k)} />
  );
  return (
    <li className={node.authorRole ? "comment comment-staff" : "comment"} id={`comment-${node.id}`}>
      <article aria-label={node.deleted ? t("Deleted comment") : t("Comment by {name}", { name: node.authorName })}>
        {node.deleted ? (
          <p className="comment-deleted">{t("This comment was deleted.")}</p>
        ) : node.redacted ? (
          <p className="comment-deleted">{placeholderText("comment", node.moderation ?? "visible", node.moderationReason ?? null)}</p>
        ) : (
          <>
            {/* Styled through .comment header / footer: fifty comments, no class lists repeated. */}
            <header>
              <Avatar name={node.authorName} handle={node.authorHandle} version={node.authorAvatar} />
              <a href={`/members/${node.authorHandle}`}>{node.authorName}</a>
              <StaffMark role={node.authorRole ?? "member"} />
              <a href={`#comment-${node.id}`}><TimeAgo iso={node.createdAt} tooltip={false} /></a>
              {node.editedAt ? <span className="comment-edited">{t("(edited)")}</span> : null}
              {node.loggedBy ? (
                <span className="logged-on-behalf">
                  logged by {node.loggedBy.name} on their behalf, {CHANNEL_PHRASES[node.loggedBy.channel as Channel] ?? "from another channel"}
                </span>
              ) : null}
            </header>
            {node.awaitingApproval ? (
              <p className="moderation-notice pending-notice" role="note">
                {own ? t("Waiting for approval: a moderator checks a new member's first post before others see it. Only you and moderators can see it for now.")
                  : t("Waiting for approval: a new member's first post. Approve or remove it in the moderation queue.")}
              </p>
            ) : node.moderation ? (
              <p className="moderation-notice" role="note">
                {placeholderText("comment", node.moderation ?? "visible", node.moderationReason ?? null)}
                {own ? t(" Only you and moderators can see it.") : ""}
              </p>
            ) : null}
            <Prose html={node.bodyHtml} />
            {/* The comment's actions (none for a reader who is signed out: no empty element either). */}
            {canReply || mayEdit || moderator || mayFlag ? (
              <footer>
                {canReply ? opener("reply", t("Reply"), t(" to {name}", { name: node.authorName })) : null}
                {mayEdit ? opener("edit", t("Edit"), ` ${whose}`) : null}
                {mayEdit ? <DeleteCommentButton ideaId={ideaId} commentId={node.id} returnTo={returnTo} whose={whose} /> : null}
                {moderator ? opener("moderate", t("Moderate"), t(" {name}'s comment", { name: node.authorName }))
                  : mayFlag ? (myFlags[node.id]
                    ? <FlagControl kind="comment" targetId={node.id} myFlagId={myFlags[node.id]!} returnTo={`${returnTo}#comment-${node.id}`} />
                    : opener("flag", t("Flag"), t(" {name}'s comment", { name: node.authorName })))
                  : null}
              </footer>
            ) : null}
            {openKind === "reply" && canReply ? (
              <CommentForm ideaId={ideaId} returnTo={returnTo} parentId={node.id} label={`Reply to ${node.authorName}`} submitLabel={t("Post reply")} onDone={close} autoFocus={hydrated} />
            ) : null}
            {openKind === "edit" && mayEdit ? (
              <CommentForm ideaId={ideaId} returnTo={returnTo} comment={{ id: node.id, body: node.body ?? "" }} label={own ? "Edit your comment" : `Edit ${whose}`} submitLabel={t("Save changes")} onDone={close} autoFocus={hydrated} />
            ) : null}
            {openKind === "flag" && viewer && !own && !moderator ? (
              <FlagControl kind="comment" targetId={node.id} myFlagId={null} returnTo={`${returnTo}#comment-${node.id}`} open />
            ) : null}
            {openKind === "moderate" && moderator ? (
              <ModerateControl kind="comment" targetId={node.id} state={node.moderation ?? "visible"} returnTo={`${returnTo}#comment-${node.id}`} open />
            ) : null}
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
  const t = useT();
  if (thread.length === 0) {
    return <p className="muted">{t("No comments yet. Start the conversation.")}</p>;
  }
  return (
    <ol className="comment-thread" data-client-nav="">
      {thread.map((node) => (
        <Comment key={node.id} node={node} depth={0} {...props} />
      ))}
    </ol>
  );
}
