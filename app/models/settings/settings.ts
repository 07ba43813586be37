import { z } from "zod";
import { singleLine } from "../shared/validation";

const checkbox = z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean());

/** A logo's address: a path on this site or an https URL (no other scheme reaches an <img>). */
const logoUrl = z
  .string()
  .trim()
  .max(500, "The logo address can be at most 500 characters.")
  .refine((v) => v === "" || /^\/(?!\/)[\w\-./%]*$/.test(v) || /^https:\/\/[^\s"'<>]+$/.test(v), "Use a path on this site (/logo.svg) or an https:// address.");

/** Footer links, one a line as "Label | https://…" or "Label | /path". */
export const footerLinksField = z
  .string()
  .max(2_000, "Footer links can be at most 2,000 characters.")
  .transform((v) => v.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim()).filter(Boolean).join("\n"))
  .refine((v) => v.split("\n").length <= 8, "At most 8 footer links.")
  .refine((v) => v === "" || v.split("\n").every((l) => parseFooterLink(l) !== null), "Write each link on its own line as “Label | https://example.com” (or a /path on this site).");

export function parseFooterLink(line: string): { label: string; href: string } | null {
  const m = /^([^|]{1,40})\|\s*(https:\/\/[^\s"'<>]+|\/(?!\/)[\w\-./%?=&#]*)$/.exec(line.trim());
  return m ? { label: m[1]!.trim(), href: m[2]! } : null;
}

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
  allow_down_votes: checkbox.default(true),
  /** A new member's first idea or comment waits in the moderation queue until approved. */
  approve_first_posts: checkbox.default(false),
  // The company's own face (app/models/settings/branding.ts).
  site_name: singleLine("Site name", 2, 60).default("Harbor Ideas"),
  logo_url: logoUrl.default(""),
  accent_color: z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #7a3e1d.").transform((v) => v.toLowerCase()).default("#7a3e1d"),
  welcome_text: singleLine("Welcome text", 0, 300).default("Tell us what would make your Harbor better. Vote for the ideas you want, and see what we are building."),
  footer_links: footerLinksField.default(""),
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
  points_profile_complete: points(5),
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
