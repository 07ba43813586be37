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

/** Proposing that an idea duplicates another: the other idea's number. */
export const proposeDuplicateSchema = z.object({
  targetId: z.coerce.number({ invalid_type_error: "Enter the number of an existing idea." }).int("Enter the number of an existing idea.").positive("Enter the number of an existing idea.").max(2_147_483_647, "Enter the number of an existing idea."),
});

/** The product team rejects a proposed duplicate (accepting is merging). */
export const rejectProposalSchema = z.object({
  intent: z.literal("reject-proposal"),
  proposalId: z.coerce.number().int().positive(),
});
