/** The roadmap's columns, left to right. */
export const ROADMAP_COLUMNS = ["under_review", "planned", "in_progress", "adopted"] as const;
