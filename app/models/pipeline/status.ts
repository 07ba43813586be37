import { z } from "zod";
import type { IdeaStatus } from "../../../db/schema";
import { isCalendarDate, multiLine, todayUtc } from "../shared/validation";

/**
 * The status pipeline: where an idea may go from where it is. One table,
 * read by the server before every change and by the UI to offer the moves.
 * "duplicate" is reached only by merging, and left only by undoing the merge.
 */
export const TRANSITIONS: Record<IdeaStatus, readonly IdeaStatus[]> = {
  new: ["under_review", "planned", "in_progress", "adopted", "declined"],
  under_review: ["planned", "in_progress", "adopted", "declined"],
  planned: ["under_review", "in_progress", "adopted", "declined"],
  in_progress: ["planned", "adopted", "declined"],
  adopted: ["in_progress"],
  declined: ["under_review"],
  duplicate: [],
};

export const canMoveStatus = (from: IdeaStatus, to: IdeaStatus) => TRANSITIONS[from].includes(to);

export const DECLINE_REASONS = {
  not_planned: "Not in our plans",
  not_feasible: "Not feasible for us",
  already_possible: "Already possible today",
  out_of_scope: "Outside what Harbor does",
  other: "Another reason (see response)",
} as const;
export type DeclineReason = keyof typeof DECLINE_REASONS;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A product manager's public answer, with or without a status change. */
export const respondSchema = z
  .object({
    intent: z.literal("respond"),
    status: z.enum(["keep", "under_review", "planned", "in_progress", "adopted", "declined"], {
      errorMap: () => ({ message: "Choose a status." }),
    }),
    body: multiLine("Official response", 1, 10_000),
    declineReason: z
      .union([z.literal(""), z.enum(Object.keys(DECLINE_REASONS) as [DeclineReason, ...DeclineReason[]])])
      .optional()
      .transform((v) => (v ? v : null)),
    revisitOn: z
      .union([z.literal(""), z.string().regex(DATE, "Enter a date as YYYY-MM-DD.")])
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .transform((value) =>
    value.status === "declined" ? value : { ...value, declineReason: null, revisitOn: null },
  )
  .superRefine((value, ctx) => {
    if (value.status === "declined" && !value.declineReason) {
      ctx.addIssue({ code: "custom", path: ["declineReason"], message: "Say why it is declined." });
    }
    // The decline fields are ignored unless declining (forms without JavaScript always send them).
    if (value.revisitOn && value.status === "declined") {
      if (!isCalendarDate(value.revisitOn)) {
        ctx.addIssue({ code: "custom", path: ["revisitOn"], message: "That date does not exist." });
      } else if (value.revisitOn <= todayUtc()) {
        ctx.addIssue({ code: "custom", path: ["revisitOn"], message: "The revisit date must be in the future." });
      }
    }
  });
export type RespondInput = z.infer<typeof respondSchema>;
