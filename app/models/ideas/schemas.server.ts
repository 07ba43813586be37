import { z } from "zod";
import { IDEA_STATUSES } from "../../../db/schema";
import { addCommentSchema, deleteCommentSchema, editCommentSchema } from "../discussion/schemas.server";
import { multiLine, singleLine } from "../shared/schemas.server";
import { IDEA_BODY_MAX, IDEA_TITLE_MAX, IDEA_TITLE_MIN, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX, PERIODS, SORTS } from "./idea";

// The forms' and the lists' schemas: used where requests are parsed (routes' actions and
// loaders), kept out of the modules components import so the browser bundle has no zod.

export const ideaFormSchema = z.object({
  title: singleLine("Title", IDEA_TITLE_MIN, IDEA_TITLE_MAX),
  body: multiLine("Description", 0, IDEA_BODY_MAX),
  category: z
    .string({ required_error: "Choose a category." })
    .regex(/^[a-z0-9-]{1,40}$/, "Choose a category."),
});

export const voteSchema = z.object({
  intent: z.literal("vote"),
  value: z.enum(["up", "down", "none"], { errorMap: () => ({ message: "A vote is up, down or none." }) }),
});

export const listQuerySchema = z.object({
  sort: z.enum(SORTS).default("trending"),
  period: z.enum(PERIODS).default("all"),
  category: z.string().regex(/^[a-z0-9-]{1,40}$/, "Unknown category.").optional(),
  status: z.enum(IDEA_STATUSES).optional(),
  tag: z.string().regex(/^[a-z0-9-]{1,40}$/, "Unknown tag.").optional(),
  q: z
    .string()
    .transform((v) => v.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .max(200, "Search text can be at most 200 characters.")
        .refine((v) => !/[\u0000-\u001F\u007F-\u009F]/.test(v), "Search text contains characters that are not allowed."),
    )
    .optional(),
  cursor: z.string().max(200, "Invalid page cursor.").optional(),
  limit: z.coerce
    .number({ invalid_type_error: "Page size must be a number." })
    .int("Page size must be a whole number.")
    .min(1, "Page size must be at least 1.")
    .max(PAGE_SIZE_MAX, `Page size can be at most ${PAGE_SIZE_MAX}.`)
    .default(PAGE_SIZE_DEFAULT),
});

export type IdeaForm = z.infer<typeof ideaFormSchema>;

export type ListQuery = z.infer<typeof listQuerySchema>;

/** What the idea page's form posts may ask for (its action's one schema). */
export const ideaPageIntents = z.discriminatedUnion("intent", [
  voteSchema,
  addCommentSchema,
  editCommentSchema,
  deleteCommentSchema,
  z.object({ intent: z.literal("follow") }),
  z.object({ intent: z.literal("unfollow") }),
  z.object({ intent: z.literal("lock"), reason: singleLine("Reason", 3, 300) }),
  z.object({ intent: z.literal("unlock") }),
]);
