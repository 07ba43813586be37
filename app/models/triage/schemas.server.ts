import { z } from "zod";
import { idSchema, multiLine } from "../shared/schemas.server";

/** The product team's intents on an idea, one schema each (route: /ideas/:id/staff). */
export const staffNoteSchema = z.object({ intent: z.literal("add-note"), body: multiLine("Note", 1, 5_000) });
export const assignSchema = z.object({
  intent: z.literal("assign"),
  ownerId: z
    .string({ required_error: "Choose an owner from the list." })
    .regex(/^\d{0,10}$/, "Choose an owner from the list.")
    .transform((v) => (v === "" ? null : Number(v)))
    .refine((v) => v === null || (v > 0 && v <= 2_147_483_647), "Choose an owner from the list."),
});
export const categoriseSchema = z.object({
  intent: z.literal("categorise"),
  category: z.string().regex(/^[a-z0-9-]{1,40}$/, "Choose a category."),
});
export const tagSchema = z.object({
  intent: z.literal("tag"),
  // Several checkboxes named "tags" arrive joined by commas (see parseTags).
  tags: z.string().max(2_000).default(""),
});
export const mergeSchema = z.object({
  intent: z.literal("merge"),
  targetId: z
    .string({ required_error: "Enter the number of the idea to merge into." })
    .trim()
    .regex(/^#?\d{1,10}$/, "Enter the number of the idea to merge into, like 42.")
    .transform((v) => Number(v.replace("#", "")))
    .refine((v) => v > 0 && v <= 2_147_483_647, "There is no idea with that number."),
  // Only the confirmation page (both ideas side by side) sends "yes"; anything else is sent there first.
  confirm: z.literal("yes").optional().catch(undefined),
});
/** The idea to merge into, from the staff panel's choices (?into=) or a typed number (?number=). */
export const mergeChoiceSchema = z.object({
  into: z.string().trim().regex(/^#?\d{1,10}$/).transform((v) => Number(v.replace("#", ""))).optional().catch(undefined),
  number: z.string().trim().regex(/^#?\d{1,10}$/).transform((v) => Number(v.replace("#", ""))).optional().catch(undefined),
});
export const undoMergeSchema = z.object({ intent: z.literal("undo-merge"), mergeId: idSchema });

/** The staff panel's forms other than the official response (route: /ideas/:id/staff). */
export const staffIntents = z.discriminatedUnion("intent", [staffNoteSchema, assignSchema, categoriseSchema, tagSchema, mergeSchema, undoMergeSchema]);
