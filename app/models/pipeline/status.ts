import type { IdeaStatus } from "../../../db/schema";

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

