import { z } from "zod";

/**
 * Site settings with their defaults. Stored values (table `settings`) override
 * these; admins change them on /manage/settings.
 */
const points = (fallback: number) => z.coerce.number().int().min(0).max(1000).default(fallback);

export const settingsSchema = z.object({
  flag_hide_threshold: z.coerce.number().min(0.5).max(50).default(2.5),
  new_member_days: z.coerce.number().int().min(0).max(365).default(7),
  established_min_posts: z.coerce.number().int().min(0).max(1000).default(3),
  ideas_per_day_new: z.coerce.number().int().min(1).max(1000).default(3),
  ideas_per_day: z.coerce.number().int().min(1).max(10000).default(20),
  comments_per_day_new: z.coerce.number().int().min(1).max(1000).default(15),
  comments_per_day: z.coerce.number().int().min(1).max(10000).default(200),
  links_per_day_new: z.coerce.number().int().min(0).max(1000).default(3),
  links_per_day: z.coerce.number().int().min(0).max(10000).default(50),
  flags_per_day: z.coerce.number().int().min(1).max(1000).default(20),
  duplicate_window_minutes: z.coerce.number().int().min(0).max(1440).default(10),
  votes_per_hour: z.coerce.number().int().min(10).max(100000).default(300),
  follows_per_hour: z.coerce.number().int().min(10).max(100000).default(200),
  previews_per_hour: z.coerce.number().int().min(5).max(100000).default(120),
  allow_down_votes: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).default(true),
  // Points (docs/decisions/015-points-rank-badges.md). Changing them applies to new events;
  // `npx tsx db/rebuild-points.ts` recomputes everyone's totals with the new amounts.
  points_idea_posted: points(5),
  points_vote_received: points(2),
  points_comment_posted: points(2),
  points_reply_received: points(1),
  points_idea_under_review: points(5),
  points_idea_planned: points(15),
  points_idea_adopted: points(40),
  points_supporter_planned: points(3),
  points_supporter_adopted: points(10),
  points_flag_upheld: points(5),
  points_duplicate_accepted: points(5),
  duplicate_proposal_min_points: z.coerce.number().int().min(0).max(1000000).default(100),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export const SETTING_LABELS: Record<keyof Settings, string> = {
  flag_hide_threshold: "Flag weight that hides a post pending review",
  new_member_days: "Days a member counts as new",
  established_min_posts: "Posts a member needs (once no longer new) before their flags can hide a post",
  ideas_per_day_new: "Ideas per day, new members",
  ideas_per_day: "Ideas per day, established members",
  comments_per_day_new: "Comments per day, new members",
  comments_per_day: "Comments per day, established members",
  links_per_day_new: "Links per day, new members",
  links_per_day: "Links per day, established members",
  flags_per_day: "Flags per member per day",
  duplicate_window_minutes: "Minutes in which the same text cannot be posted twice",
  votes_per_hour: "Votes per member per hour",
  follows_per_hour: "Follows and unfollows per member per hour",
  previews_per_hour: "Markdown previews per member per hour",
  allow_down_votes: "Allow down-votes",
  points_idea_posted: "Points for posting an idea",
  points_vote_received: "Points for each up-vote an idea receives (to its author)",
  points_comment_posted: "Points for a comment",
  points_reply_received: "Points for a reply received (to the comment's author)",
  points_idea_under_review: "Points when an idea goes under review (author and authors of merged duplicates)",
  points_idea_planned: "Points when an idea is planned (author and authors of merged duplicates)",
  points_idea_adopted: "Points when an idea is adopted (author and authors of merged duplicates)",
  points_supporter_planned: "Points to each of an idea's first supporters when it is planned",
  points_supporter_adopted: "Points to each of an idea's first supporters when it is adopted",
  points_flag_upheld: "Points for a flag a moderator upheld",
  points_duplicate_accepted: "Points for a proposed duplicate the product team merged",
  duplicate_proposal_min_points: "Points a member needs to propose that an idea duplicates another",
};
