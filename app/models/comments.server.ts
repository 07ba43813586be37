import type { DB } from "../lib/db.server";
import { renderMarkdown } from "../lib/markdown.server";
import { buildThread, type CommentNode } from "./comment";
import { DomainError, forbidden, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { notifyMember } from "./notifications.server";
import { canEditComment, isModerator, type Actor } from "./permissions";

const THREAD_LIMIT = 1_000;

/** Adds a comment (or a reply) to an idea and bumps its comment count in the same transaction. */
export async function addComment(
  db: DB,
  input: { ideaId: number; authorId: number; body: string; parentId: number | null; createdAt?: Date },
): Promise<{ id: number }> {
  return db.transaction().execute(async (trx) => {
    const idea = await trx
      .updateTable("ideas")
      .set((eb) => ({ comment_count: eb("comment_count", "+", 1) }))
      .where("id", "=", input.ideaId)
      .returning(["id", "author_id", "moderation"])
      .executeTakeFirst();
    if (!idea) throw notFound("That idea");
    if (idea.moderation !== "visible") throw new DomainError(409, "This idea is hidden by moderation; the discussion is paused.", "body");
    let parentAuthorId: number | null = null;
    if (input.parentId !== null) {
      const parent = await trx
        .selectFrom("comments")
        .select(["id", "deleted_at", "author_id"])
        .where("id", "=", input.parentId)
        .where("idea_id", "=", input.ideaId)
        .executeTakeFirst();
      if (!parent) throw new DomainError(400, "The comment you are replying to is not on this idea.", "body");
      if (parent.deleted_at) throw new DomainError(409, "The comment you are replying to was deleted.", "body");
      parentAuthorId = parent.author_id;
    }
    const createdAt = input.createdAt ?? new Date();
    const comment = await trx
      .insertInto("comments")
      .values({
        idea_id: input.ideaId,
        author_id: input.authorId,
        parent_id: input.parentId,
        body: input.body,
        body_html: renderMarkdown(input.body),
        created_at: createdAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const eventId = await appendEvent(trx, {
      type: "comment.added",
      actorId: input.authorId,
      ideaId: input.ideaId,
      commentId: comment.id,
      data: input.parentId ? { parentId: input.parentId } : {},
      at: createdAt,
    });
    const base = { eventId, ideaId: input.ideaId, commentId: comment.id, actorId: input.authorId };
    if (parentAuthorId !== null) await notifyMember(trx, { ...base, memberId: parentAuthorId, kind: "reply_to_comment" });
    if (parentAuthorId !== idea.author_id) await notifyMember(trx, { ...base, memberId: idea.author_id, kind: "comment_on_idea" });
    return comment;
  });
}

async function lockComment(db: DB, commentId: number, ideaId: number) {
  const comment = await db
    .selectFrom("comments")
    .select(["id", "author_id", "deleted_at", "body"])
    .where("id", "=", commentId)
    .where("idea_id", "=", ideaId)
    .forUpdate()
    .executeTakeFirst();
  if (!comment) throw notFound("That comment");
  return comment;
}

/** Edits a comment: its author, or a moderator. */
export async function editComment(db: DB, actor: Actor, input: { ideaId: number; commentId: number; body: string }) {
  return db.transaction().execute(async (trx) => {
    const comment = await lockComment(trx, input.commentId, input.ideaId);
    if (!canEditComment(actor, { authorId: comment.author_id, deletedAt: comment.deleted_at })) {
      throw forbidden(comment.deleted_at ? "That comment was deleted." : "You can only edit your own comments.");
    }
    if (comment.body === input.body) return;
    await trx
      .updateTable("comments")
      .set({ body: input.body, body_html: renderMarkdown(input.body), edited_at: new Date() })
      .where("id", "=", comment.id)
      .execute();
    await appendEvent(trx, {
      type: "comment.edited",
      actorId: actor.id,
      actorRole: actor.id === comment.author_id ? null : actor.role,
      ideaId: input.ideaId,
      commentId: comment.id,
      data: actor.id === comment.author_id ? {} : { before: comment.body, after: input.body },
    });
  });
}

/**
 * Deletes a comment softly: its text is gone from the page, its replies stay,
 * and the idea's comment count drops, all in one transaction. Deleting twice is a no-op.
 */
export async function deleteComment(db: DB, actor: Actor, input: { ideaId: number; commentId: number }) {
  return db.transaction().execute(async (trx) => {
    const comment = await lockComment(trx, input.commentId, input.ideaId);
    if (comment.deleted_at) return;
    if (!canEditComment(actor, { authorId: comment.author_id, deletedAt: null })) {
      throw forbidden("You can only delete your own comments.");
    }
    await trx.updateTable("comments").set({ deleted_at: new Date() }).where("id", "=", comment.id).execute();
    await trx
      .updateTable("ideas")
      .set((eb) => ({ comment_count: eb("comment_count", "-", 1) }))
      .where("id", "=", input.ideaId)
      .execute();
    await appendEvent(trx, {
      type: "comment.deleted",
      actorId: actor.id,
      actorRole: actor.id === comment.author_id ? null : actor.role,
      ideaId: input.ideaId,
      commentId: comment.id,
    });
  });
}

/**
 * An idea's whole discussion as a tree, in one query. Posts a moderator hid
 * keep their place: their author and moderators see the text with a notice,
 * everyone else a placeholder.
 */
export async function getThread(db: DB, ideaId: number, viewer: Actor | null = null): Promise<CommentNode[]> {
  const rows = await db
    .selectFrom("comments")
    .innerJoin("members", "members.id", "comments.author_id")
    .select([
      "comments.id",
      "comments.parent_id",
      "comments.author_id",
      "comments.body",
      "comments.body_html",
      "comments.created_at",
      "comments.edited_at",
      "comments.deleted_at",
      "comments.moderation",
      "comments.moderation_reason",
      "members.handle",
      "members.display_name",
      "members.role",
    ])
    .where("comments.idea_id", "=", ideaId)
    .orderBy("comments.id")
    .limit(THREAD_LIMIT)
    .execute();
  return buildThread(
    rows.map((r) => {
      const deleted = r.deleted_at !== null;
      const redacted =
        !deleted && r.moderation !== "visible" && !(viewer && (viewer.id === r.author_id || isModerator(viewer.role)));
      const blank = deleted || redacted;
      return {
        id: r.id,
        parentId: r.parent_id,
        authorId: blank ? 0 : r.author_id,
        authorHandle: blank ? "" : r.handle,
        authorName: blank ? "" : r.display_name,
        authorRole: blank ? "member" : r.role,
        body: blank ? "" : r.body,
        bodyHtml: blank ? "" : r.body_html,
        moderation: r.moderation,
        moderationReason: r.moderation_reason,
        redacted,
        createdAt: new Date(r.created_at).toISOString(),
        editedAt: r.edited_at ? new Date(r.edited_at).toISOString() : null,
        deleted,
      };
    }),
  );
}
