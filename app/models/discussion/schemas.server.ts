import { z } from "zod";
import { idSchema, multiLine } from "../shared/schemas.server";
import { COMMENT_BODY_MAX } from "./comment";

// Request schemas (server-side parsing), apart from what components import.

export const commentBody = multiLine("Comment", 1, COMMENT_BODY_MAX);

export const addCommentSchema = z.object({
  intent: z.literal("comment"),
  body: commentBody,
  parentId: z.union([z.literal(""), idSchema]).optional().transform((v) => (v === "" || v === undefined ? null : v)),
});

export const editCommentSchema = z.object({
  intent: z.literal("edit-comment"),
  commentId: idSchema,
  body: commentBody,
});

export const deleteCommentSchema = z.object({
  intent: z.literal("delete-comment"),
  commentId: idSchema,
});
