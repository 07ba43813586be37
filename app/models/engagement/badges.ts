/**
 * The badge catalogue: what each badge is called, how to earn it, and its
 * level. Pure (the pages show it); reactors in badges.server.ts award them.
 */
export const BADGE_LEVELS = ["bronze", "silver", "gold"] as const;
export type BadgeLevel = (typeof BADGE_LEVELS)[number];

export interface Badge {
  slug: string;
  name: string;
  /** How to earn it, as the badge page says. */
  description: string;
  level: BadgeLevel;
}

/** How many of an adopted idea's first up-votes make an early supporter. */
export const EARLY_SUPPORTER_VOTES = 10;
export const CONVERSATION_COMMENTS = 10;
export const SUPPORTERS_ON_ONE_IDEA = 100;
export const HELPFUL_FLAGS = 3;

export const BADGES = [
  { slug: "first-idea", name: "First idea", description: "Post your first idea.", level: "bronze" },
  { slug: "first-adopted", name: "Adopted", description: "Have an idea of yours adopted by the product team.", level: "gold" },
  { slug: "early-supporter", name: "Early supporter", description: `Be among the first ${EARLY_SUPPORTER_VOTES} up-votes of an idea that is adopted.`, level: "silver" },
  { slug: "conversation-starter", name: "Conversation starter", description: `Post an idea that draws ${CONVERSATION_COMMENTS} comments.`, level: "silver" },
  { slug: "hundred-supporters", name: "Hundred supporters", description: `Post an idea that ${SUPPORTERS_ON_ONE_IDEA} members up-vote.`, level: "gold" },
  { slug: "helpful-flagger", name: "Helpful flagger", description: `Raise ${HELPFUL_FLAGS} flags that moderators uphold.`, level: "bronze" },
  { slug: "one-year", name: "One year", description: "Take part after a year as a member.", level: "bronze" },
] as const satisfies readonly Badge[];
export type BadgeSlug = (typeof BADGES)[number]["slug"];

export const badgeBySlug = (slug: string): Badge | undefined => BADGES.find((b) => b.slug === slug);
export const badgeName = (slug: string) => badgeBySlug(slug)?.name ?? slug;
export const BADGE_LEVEL_LABELS: Record<BadgeLevel, string> = { bronze: "Bronze", silver: "Silver", gold: "Gold" };
