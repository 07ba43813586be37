import type { Role } from "../../../db/schema";
import { isModerator } from "../members/roles";

export interface TrustFacts {
  role: Role;
  accountAgeDays: number;
  /** Ideas and comments posted. */
  posts: number;
  /** Past flags by this member that moderators upheld / dismissed. */
  upheld: number;
  dismissed: number;
}

/** Moderators' flags count as much as the largest threshold anyone would set: they hide at once. */
export const MODERATOR_FLAG_WEIGHT = 50;

/**
 * How much one member's flag weighs (see docs/decisions/007). Trust grows
 * with account age (full after 30 days) and participation (full after 20
 * posts), and is scaled by the share of the member's past flags that
 * moderators upheld (Laplace-smoothed, so a newcomer starts at one half).
 * A brand-new account weighs 0.25; a month-old regular with a good record
 * about 1.8; someone whose flags keep being dismissed under 0.3.
 */
export function flagWeight(facts: TrustFacts): number {
  if (isModerator(facts.role)) return MODERATOR_FLAG_WEIGHT;
  const age = Math.min(Math.max(facts.accountAgeDays, 0) / 30, 1);
  const participation = Math.min(Math.max(facts.posts, 0) / 20, 1);
  const accuracy = (facts.upheld + 1) / (facts.upheld + facts.dismissed + 2);
  const base = 0.25 + 0.5 * age + 0.25 * participation;
  const weight = base * 2 * accuracy;
  return Math.round(Math.min(Math.max(weight, 0.1), 3) * 1000) / 1000;
}

/**
 * Whether a flagger has an established record: staff, or a member whose account
 * is past the "new member" days and who has taken part (posted) a few times. Only
 * flags from established members count towards hiding a post automatically;
 * anyone's flag still reaches the moderators' queue (docs/decisions/011).
 */
export function isEstablished(facts: TrustFacts, rule: { newMemberDays: number; minPosts: number }): boolean {
  if (facts.role !== "member") return true;
  return facts.accountAgeDays >= rule.newMemberDays && facts.posts >= rule.minPosts;
}

/** Links in a text (Markdown links and bare URLs), for the new-member link limit. */
export function countLinks(text: string): number {
  return (text.match(/https?:\/\/[^\s)\]]+/gi) ?? []).length;
}
