import { z } from "zod";
import { CHANNELS } from "../../../db/schema";
import { COMMENT_BODY_MAX } from "../discussion/comment";
import { isCalendarDate } from "../shared/validation";
import { idSchema, multiLine, singleLine } from "../shared/schemas.server";
import type { CohortCriterion } from "./listening";

// Request schemas for the member record, interactions, on-behalf actions and cohorts.

const channel = z.enum(CHANNELS, { errorMap: () => ({ message: "Choose the channel it came from." }) });

/** "YYYY-MM-DDTHH:MM" (a datetime-local input, read as UTC) or a day; not in the future. */
const happenedAt = z
  .string({ required_error: "Say when it happened." })
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(v) && isCalendarDate(v.slice(0, 10)), "Enter when it happened as a date (and time).")
  .transform((v) => new Date(v.length === 10 ? `${v}T12:00:00Z` : `${v}:00Z`))
  .refine((d) => !Number.isNaN(d.getTime()), "That time does not exist.")
  .refine((d) => d.getTime() <= Date.now() + 86_400_000, "That is in the future: log what already happened.")
  .refine((d) => d.getUTCFullYear() >= 2000, "That is too long ago.");

/** "12, #40 and 7": idea numbers, at most 10. */
const ideaList = z
  .string()
  .optional()
  .default("")
  .transform((v, ctx) => {
    const parts = v.split(/[\s,;#]+|and/).map((p) => p.trim()).filter(Boolean);
    const ids: number[] = [];
    for (const p of parts) {
      const id = idSchema.safeParse(p);
      if (!id.success) {
        ctx.addIssue({ code: "custom", message: `“${p.slice(0, 20)}” is not an idea number.` });
        return z.NEVER;
      }
      if (!ids.includes(id.data)) ids.push(id.data);
    }
    if (ids.length > 10) {
      ctx.addIssue({ code: "custom", message: "Link at most 10 ideas." });
      return z.NEVER;
    }
    return ids;
  });

export const logInteractionSchema = z.object({
  intent: z.literal("log-interaction"),
  channel,
  happenedAt,
  summary: multiLine("Summary", 1, 5000),
  ideas: ideaList,
  shared: z.literal("on").optional().transform((v) => v === "on"),
  correctsId: z.union([z.literal(""), idSchema]).optional().transform((v) => (v === "" || v === undefined ? null : v)),
});

export const voteOnBehalfSchema = z.object({
  intent: z.literal("vote-on-behalf"),
  ideaId: idSchema,
  value: z.enum(["up", "down", "none"], { errorMap: () => ({ message: "Choose the vote." }) }).transform((v) => (v === "up" ? 1 : v === "down" ? -1 : 0) as 1 | -1 | 0),
  channel,
  happenedAt,
  note: multiLine("Note", 0, 5000).optional().default(""),
});

export const commentOnBehalfSchema = z.object({
  intent: z.literal("comment-on-behalf"),
  ideaId: idSchema,
  body: multiLine("Comment", 1, COMMENT_BODY_MAX),
  channel,
  happenedAt,
});

export const memberRecordIntents = z.discriminatedUnion("intent", [logInteractionSchema, voteOnBehalfSchema, commentOnBehalfSchema]);

const optionalId = z.union([z.literal(""), idSchema]).optional().transform((v) => (v === "" || v === undefined ? null : v));
const optionalCount = (label: string, max: number) =>
  z
    .union([z.literal(""), z.coerce.number({ invalid_type_error: `${label} must be a number.` }).int(`${label} must be a whole number.`).min(1, `${label} must be at least 1.`).max(max, `${label} can be at most ${max}.`)])
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v));

/**
 * The cohort builder's fields (a GET form, so a cohort is a link): each filled
 * group is one condition, all combined with AND.
 */
export const cohortCriteriaSchema = z
  .object({
    tag: optionalId,
    min: optionalCount("The number of ideas", 1000),
    category: optionalId,
    days: optionalCount("The number of days", 3650),
    idea: optionalId,
    adopted: z.literal("on").optional(),
  })
  // A number without its tag or category is the form's default, not a condition.
  .transform((f): CohortCriterion[] => {
    const criteria: CohortCriterion[] = [];
    if (f.tag) criteria.push({ kind: "voted_tag", tagId: f.tag, min: f.min ?? 1 });
    if (f.category) criteria.push({ kind: "commented_category", categoryId: f.category, days: f.days ?? 30 });
    if (f.idea) criteria.push({ kind: "supporters", ideaId: f.idea });
    if (f.adopted) criteria.push({ kind: "adopted_authors" });
    return criteria;
  });

/** Criteria as the builder's fields, to link to a cohort or refill the form. */
export function criteriaToFields(criteria: CohortCriterion[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const c of criteria) {
    if (c.kind === "voted_tag") Object.assign(fields, { tag: String(c.tagId), min: String(c.min) });
    if (c.kind === "commented_category") Object.assign(fields, { category: String(c.categoryId), days: String(c.days) });
    if (c.kind === "supporters") fields.idea = String(c.ideaId);
    if (c.kind === "adopted_authors") fields.adopted = "on";
  }
  return fields;
}

/** Criteria as stored (jsonb), checked again on the way out. */
export const storedCriteriaSchema = z.array(
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("voted_tag"), tagId: idSchema, min: z.number().int().min(1).max(1000) }),
    z.object({ kind: z.literal("commented_category"), categoryId: idSchema, days: z.number().int().min(1).max(3650) }),
    z.object({ kind: z.literal("supporters"), ideaId: idSchema }),
    z.object({ kind: z.literal("adopted_authors") }),
  ]),
);

export const saveCohortSchema = z.object({ intent: z.literal("save"), name: singleLine("Name", 1, 80) });

export const messageCohortSchema = z.object({
  intent: z.literal("message"),
  subject: singleLine("Subject", 1, 120),
  body: multiLine("Message", 1, 10000),
});

export const staffMessagesSchema = z.object({
  intent: z.literal("staff-messages"),
  accept: z.enum(["yes", "no"]).transform((v) => v === "yes"),
});
