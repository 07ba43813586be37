import { z } from "zod";
import { IDEA_STATUSES, type IdeaStatus } from "../../../db/schema";
import { multiLine, singleLine } from "../shared/validation";

export const IDEA_TITLE_MIN = 8;
export const IDEA_TITLE_MAX = 120;
export const IDEA_BODY_MAX = 10_000;

export const STATUS_LABELS: Record<IdeaStatus, string> = {
  new: "New",
  under_review: "Under review",
  planned: "Planned",
  in_progress: "In progress",
  adopted: "Adopted",
  declined: "Declined",
  duplicate: "Duplicate",
};

export const ideaFormSchema = z.object({
  title: singleLine("Title", IDEA_TITLE_MIN, IDEA_TITLE_MAX),
  body: multiLine("Description", 0, IDEA_BODY_MAX),
  category: z
    .string({ required_error: "Choose a category." })
    .regex(/^[a-z0-9-]{1,40}$/, "Choose a category."),
});
export type IdeaForm = z.infer<typeof ideaFormSchema>;

export const voteSchema = z.object({
  intent: z.literal("vote"),
  value: z.enum(["up", "down", "none"], { errorMap: () => ({ message: "A vote is up, down or none." }) }),
});
export const voteValue = (v: "up" | "down" | "none"): -1 | 0 | 1 => (v === "up" ? 1 : v === "down" ? -1 : 0);

export const SORTS = ["trending", "top", "new", "discussed"] as const;
export type Sort = (typeof SORTS)[number];
export const SORT_LABELS: Record<Sort, string> = {
  trending: "Trending",
  top: "Top",
  new: "New",
  discussed: "Most discussed",
};
export const PERIODS = ["week", "month", "all"] as const;
export type Period = (typeof PERIODS)[number];
export const PERIOD_LABELS: Record<Period, string> = { week: "This week", month: "This month", all: "All time" };

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 50;

/** The list query string; anything unknown or malformed falls back or fails with a 400. */
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
export type ListQuery = z.infer<typeof listQuerySchema>;


/** A URL-friendly slug for an idea title, used in links only (the id is what counts). */
export function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "") || "idea"
  );
}

export const ideaPath = (idea: { id: number; title: string }) => `/ideas/${idea.id}-${slugify(idea.title)}`;
