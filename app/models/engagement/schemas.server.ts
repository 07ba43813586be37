import { z } from "zod";

/** The leaderboard's query string: which board, and where the page starts. */
export const leaderboardQuery = z.object({
  period: z.enum(["all", "month"]).default("all"),
  category: z.string().trim().regex(/^[a-z0-9-]{1,60}$/, "Choose one of the listed categories.").optional(),
  after: z.string().max(200).optional(),
});

/** Follow or unfollow a member (the member page's form). */
export const followMemberSchema = z.object({
  intent: z.enum(["follow-member", "unfollow-member"]),
  memberId: z.coerce.number().int().positive(),
});
