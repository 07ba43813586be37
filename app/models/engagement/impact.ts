import { FIRST_SUPPORTERS } from "./points";

/** What a member's backing led to over a period: the monthly impact e-mail's content. */
export interface ImpactSummary {
  planned: { ideaId: number; title: string }[];
  adopted: { ideaId: number; title: string }[];
  /** Ideas among those that the member was one of the first supporters of (by their place). */
  earlyOn: { ideaId: number; title: string; place: number }[];
  rank: number;
  /** Places climbed since the rank last reported (negative: fell), when one was reported. */
  climbed: number | null;
  pointsInPeriod: number;
}

/** How far down the up-votes a member still counts as a first supporter in the impact summary. */
export const IMPACT_FIRST_SUPPORTERS = Math.max(FIRST_SUPPORTERS, 10);

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/**
 * The summary as one sentence: "3 ideas you backed moved to planned, 1 shipped,
 * you were among the first 10 supporters of “X”, you climbed 212 places."
 * Null when nothing happened worth a message.
 */
export function describeImpact(s: ImpactSummary): string | null {
  const parts: string[] = [];
  if (s.planned.length) parts.push(`${count(s.planned.length, "idea", "ideas")} you backed moved to planned`);
  if (s.adopted.length) parts.push(`${s.adopted.length.toLocaleString("en")} shipped`);
  if (s.earlyOn.length) {
    const names = s.earlyOn.slice(0, 3).map((e) => `“${e.title}”`);
    const more = s.earlyOn.length > 3 ? ` and ${s.earlyOn.length - 3} more` : "";
    parts.push(`you were among the first ${IMPACT_FIRST_SUPPORTERS} supporters of ${names.join(", ")}${more}`);
  }
  if (s.climbed !== null && s.climbed > 0) parts.push(`you climbed ${count(s.climbed, "place", "places")}`);
  if (!parts.length) return null;
  const sentence = parts.join(", ");
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
}
