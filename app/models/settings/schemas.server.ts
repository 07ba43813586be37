import { z } from "zod";
import { singleLine } from "../shared/schemas.server";
import { parseFooterLink } from "./settings";

// The settings' schema and defaults (the labels and groups the settings page shows are in settings.ts,
// which has no zod: the browser bundle does not need it).

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
