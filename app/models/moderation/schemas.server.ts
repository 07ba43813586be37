import { z } from "zod";
import { FLAG_REASONS } from "../../../db/schema";
import { todayUtc } from "../shared/validation";
import { idSchema, optionalDay, singleLine } from "../shared/schemas.server";
import { MODERATION_ACTIONS } from "./moderation";

// Request schemas (server-side parsing), apart from what components import.

const targetKind = z.enum(["idea", "comment", "member"], { errorMap: () => ({ message: "Unknown kind of item." }) });

export const flagSchema = z
  .object({
    intent: z.literal("flag"),
    kind: targetKind,
    targetId: idSchema,
    reason: z.enum(FLAG_REASONS, { errorMap: () => ({ message: "Choose a reason." }) }),
    note: singleLine("Note", 0, 500).optional().default(""),
  })
  .superRefine((v, ctx) => {
    if (v.reason === "other" && !v.note) ctx.addIssue({ code: "custom", path: ["note"], message: "Say what is wrong." });
  });

export const withdrawFlagSchema = z.object({ intent: z.literal("withdraw-flag"), flagId: idSchema });

export const moderateSchema = z
  .object({
    intent: z.literal("moderate"),
    kind: targetKind,
    targetId: idSchema,
    action: z.enum(MODERATION_ACTIONS, { errorMap: () => ({ message: "Choose an action." }) }),
    reason: singleLine("Reason", 0, 500).optional().default(""),
  })
  .superRefine((v, ctx) => {
    if ((v.action === "hide" || v.action === "delete") && !v.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "Give a reason: the author will see it." });
    }
    if (v.kind === "member" && v.action === "delete") {
      ctx.addIssue({ code: "custom", path: ["action"], message: "Members are suspended, not deleted." });
    }
  });

export const suspendSchema = z
  .object({
    intent: z.literal("suspend"),
    memberId: idSchema,
    until: optionalDay(),
    reason: singleLine("Reason", 1, 500),
  })
  .superRefine((v, ctx) => {
    if (v.until && v.until <= todayUtc()) {
      ctx.addIssue({ code: "custom", path: ["until"], message: "The end date must be in the future." });
    }
  });

export const unsuspendSchema = z.object({ intent: z.literal("unsuspend"), memberId: idSchema });

export const roleSchema = z.object({
  intent: z.literal("set-role"),
  memberId: idSchema,
  role: z.enum(["member", "moderator", "product_manager", "admin"], { errorMap: () => ({ message: "Choose a role." }) }),
});

/** The flag route's posts: a flag, or withdrawing one. */
export const flagIntents = z.union([flagSchema, withdrawFlagSchema]);

/** The member page's staff forms (the suspension's dates are checked again by suspendSchema). */
export const memberPageIntents = z.discriminatedUnion("intent", [suspendSchema.innerType(), unsuspendSchema, roleSchema]);

/** Approving or removing a new member's first post held for approval (the moderation queue). */
export const approvalSchema = z.object({
  intent: z.enum(["approve", "reject"]),
  kind: z.enum(["idea", "comment"]),
  targetId: idSchema,
  reason: z.string().max(500).optional().default(""),
});
