import { z } from "zod";
import { isCalendarDate, todayUtc } from "../shared/validation";
import { multiLine } from "../shared/schemas.server";
import { DECLINE_REASONS, type DeclineReason } from "./status";

// Request schemas (server-side parsing), apart from what components import.

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
