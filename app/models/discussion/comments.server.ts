import { sql } from "kysely";
import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";
import { emit } from "../events/events.server";
import { holdFirstPost } from "../moderation/approval.server";
import { applyPostingLimits } from "../moderation/limits.server";
import { allowed, assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { isoSeconds } from "../shared/format";
import { buildThread, type CommentNode } from "./comment";
import { inTransaction } from "../shared/transaction.server";
import type { OnBehalf } from "../events/catalogue";

const THREAD_LIMIT = 1_000;

/**
 * Adds a comment (or a reply) to an idea: the rules, the posting limits, the
 * comment, the idea's comment count and the event, in one transaction.
 */
export async function addComment(
  db: DB,
  actor: Actor | null,
  input: { ideaId: number; body: string; parentId: number | null; at?: Date; onBehalf?: OnBehalf; bodyHtml?: string },
): Promise<{ id: number; held: boolean }> {
  const at = input.at ?? new Date();
  // Rendered before any transaction opens (010); a caller with its own transaction renders first.
  const bodyHtml = input.bodyHtml ?? (await renderMarkdown(input.body));
  return inTransaction(db, async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "moderation", "lock_reason"])
      .where("id", "=", input.ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) throw notFound("That idea");
    assertCan(actor, "comment.add", { ideaModeration: idea.moderation, lockReason: idea.lock_reason }, at);
    if (input.parentId !== null) {
      const parent = await trx
        .selectFrom("comments")
        .select(["id", "deleted_at"])
        .where("id", "=", input.parentId)
        .where("idea_id", "=", idea.id)
        .executeTakeFirst();
      if (!parent) throw new DomainError(400, "The comment you are replying to is not on this idea.", "body");
      if (parent.deleted_at) throw new DomainError(409, "The comment you are replying to was deleted.", "body");
    }
    // A comment staff post from a phone call uses none of the member's posting allowance.
    if (!input.onBehalf) await applyPostingLimits(trx, actor, { kind: "comment", text: input.body });
    const comment = await trx
      .insertInto("comments")
      .values({
        idea_id: idea.id, author_id: actor.id, parent_id: input.parentId, body: input.body, body_html: bodyHtml, created_at: at,
        logged_by: input.onBehalf?.staffId ?? null, channel: input.onBehalf?.channel ?? null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("ideas")
      .set((eb) => ({ comment_count: eb("comment_count", "+", 1) }))
      .where("id", "=", idea.id)
      .execute();
    const held = await holdFirstPost(trx, actor, { kind: "comment", id: comment.id, at });
    await emit(trx, { type: "comment.added", actor, ideaId: idea.id, commentId: comment.id, payload: { parentId: input.parentId, ...(input.onBehalf ? { onBehalf: input.onBehalf } : {}) }, at });
    return { ...comment, held };
  });
}

async function lockComment(trx: DB, commentId: number, ideaId: number) {
  const comment = await trx
    .selectFrom("comments")
    .select(["id", "author_id", "deleted_at", "body"])
    .where("id", "=", commentId)
    .where("idea_id", "=", ideaId)
    .forUpdate()
    .executeTakeFirst();
  if (!comment) throw notFound("That comment");
  return comment;
}

/** Edits a comment (its author, or a moderator); the earlier text is kept as a revision. */
export async function editComment(db: DB, actor: Actor | null, input: { ideaId: number; commentId: number; body: string }) {
  const bodyHtml = await renderMarkdown(input.body);
  return db.transaction().execute(async (trx) => {
    const comment = await lockComment(trx, input.commentId, input.ideaId);
    assertCan(actor, "comment.edit", { authorId: comment.author_id, deleted: comment.deleted_at !== null });
    if (comment.body === input.body) return;
    const revision = await trx
      .insertInto("comment_revisions")
      .values({ comment_id: comment.id, editor_id: actor.id, body: comment.body })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx.updateTable("comments").set({ body: input.body, body_html: bodyHtml, edited_at: new Date() }).where("id", "=", comment.id).execute();
    await emit(trx, {
      type: "comment.edited",
      actor,
      ideaId: input.ideaId,
      commentId: comment.id,
      ownerId: comment.author_id,
      payload: { revisionId: revision.id },
    });
  });
}

/**
 * Deletes a comment softly: its text is gone from the page, its replies stay,
 * and the idea's comment count drops, all in one transaction. Deleting twice is a no-op.
 */
export async function deleteComment(db: DB, actor: Actor | null, input: { ideaId: number; commentId: number }) {
  return db.transaction().execute(async (trx) => {
    // The idea first, then the comment: the same lock order as adding a comment.
    await trx.selectFrom("ideas").select("id").where("id", "=", input.ideaId).forUpdate().executeTakeFirst();
    const comment = await lockComment(trx, input.commentId, input.ideaId);
    if (comment.deleted_at) return;
    assertCan(actor, "comment.delete", { authorId: comment.author_id, deleted: false });
    await trx.updateTable("comments").set({ deleted_at: new Date() }).where("id", "=", comment.id).execute();
    await trx
      .updateTable("ideas")
      .set((eb) => ({ comment_count: eb("comment_count", "-", 1) }))
      .where("id", "=", input.ideaId)
      .execute();
    await emit(trx, { type: "comment.deleted", actor, ideaId: input.ideaId, commentId: comment.id, ownerId: comment.author_id, payload: {} });
  });
}

/**
 * An idea's whole discussion as the viewer may see it, as a tree, in one
 * query. Posts a moderator hid keep their place: their author and moderators
 * see the text with a notice, everyone else a placeholder.
 */
export async function getThread(db: DB, viewer: Actor | null, ideaId: number): Promise<CommentNode[]> {
  const rows = await db
    .selectFrom("comments")
    .innerJoin("members", "members.id", "comments.author_id")
    .leftJoin("members as logger", "logger.id", "comments.logged_by")
    .select([
      "logger.display_name as logger_name",
      "comments.channel",
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
      "comments.awaiting_approval_since",
      "members.handle",
      "members.display_name",
      "members.role",
      // A profile moderation hid shows no photo (its initial instead).
      sql<string | null>`case when members.moderation = 'visible' then members.avatar_version end`.as("avatar_version"),
    ])
    .where("comments.idea_id", "=", ideaId)
    .orderBy("comments.id")
    .limit(THREAD_LIMIT)
    .execute();
  return buildThread(
    rows.filter((r) => !r.awaiting_approval_since || allowed(viewer, "comment.view_hidden", { authorId: r.author_id })).map((r) => {
      const deleted = r.deleted_at !== null;
      const redacted = !deleted && r.moderation !== "visible" && !allowed(viewer, "comment.view_hidden", { authorId: r.author_id });
      const blank = deleted || redacted;
      return {
        id: r.id,
        parentId: r.parent_id,
        mine: !blank && viewer?.id === r.author_id,
        authorHandle: blank ? "" : r.handle,
        authorName: blank ? "" : r.display_name,
        authorRole: blank ? "member" : r.role,
        authorAvatar: blank ? null : r.avatar_version,
        // The Markdown source only where the viewer may edit it (the edit form needs it); the page shows the HTML.
        body: blank || !allowed(viewer, "comment.edit", { authorId: r.author_id, deleted }) ? "" : r.body,
        bodyHtml: blank ? "" : r.body_html,
        moderation: r.moderation,
        moderationReason: r.moderation_reason,
        redacted,
        awaitingApproval: r.awaiting_approval_since !== null,
        createdAt: isoSeconds(r.created_at),
        editedAt: r.edited_at ? isoSeconds(r.edited_at) : null,
        deleted,
        loggedBy: !blank && r.logger_name && r.channel ? { name: r.logger_name, channel: r.channel } : null,
      };
    }),
  );
}
