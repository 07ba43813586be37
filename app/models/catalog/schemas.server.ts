import { z } from "zod";
import { singleLine } from "../shared/schemas.server";

// The tag and category forms' schemas (kept out of the modules components import: no zod in the browser).

export const tagFormSchema = z.object({
  name: singleLine("Tag name", 1, 40),
});
export const categoryFormSchema = z.object({
  name: singleLine("Name", 1, 60),
  description: singleLine("Description", 0, 300).optional().default(""),
});

/** The categories page's forms: create one, or rename one by its slug. */
export const categoryIntents = z.discriminatedUnion("intent", [
  categoryFormSchema.extend({ intent: z.literal("create") }),
  categoryFormSchema.extend({ intent: z.literal("rename"), slug: z.string().regex(/^[a-z0-9-]{1,40}$/, "Unknown category.") }),
]);
