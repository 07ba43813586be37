import type { IdeaStatus } from "../../../db/schema";

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

/** Statuses on which voting is closed: the decision has been made. */
export const CLOSED_STATUSES: readonly IdeaStatus[] = ["adopted", "declined", "duplicate"];
export const isVotingOpen = (status: IdeaStatus) => !CLOSED_STATUSES.includes(status);

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
