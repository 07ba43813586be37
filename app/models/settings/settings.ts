import type { Settings } from "./schemas.server";

/** One footer link line ("Label | https://…" or "Label | /path"), or null when it is not one. */
export function parseFooterLink(line: string): { label: string; href: string } | null {
  const m = /^([^|]{1,40})\|\s*(https:\/\/[^\s"'<>]+|\/(?!\/)[\w\-./%?=&#]*)$/.exec(line.trim());
  return m ? { label: m[1]!.trim(), href: m[2]! } : null;
}

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
  approve_first_posts: "Hold a new member's first idea or comment for approval",
  site_name: "Site name",
  logo_url: "Logo address",
  accent_color: "Accent colour",
  welcome_text: "Welcome text on the front page",
  footer_links: "Footer links",
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
  points_profile_complete: "Points for a complete profile (a bio and a photo), while it stays complete",
  duplicate_proposal_min_points: "Points a member needs to propose that an idea duplicates another",
};

/** The settings that are checkboxes on the settings page (an unticked box sends nothing). */
export const BOOLEAN_SETTINGS = ["allow_down_votes", "approve_first_posts"] as const;
/** The settings that are the site's branding, shown in their own group. */
export const BRANDING_SETTINGS = ["site_name", "logo_url", "accent_color", "welcome_text", "footer_links"] as const;
