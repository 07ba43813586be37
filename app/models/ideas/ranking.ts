/**
 * The trending key stored on every idea (column `trending`). It grows with the logarithm
 * of the score and linearly with posting time, so newer ideas outrank older
 * ones unless the older ones have many more net votes: 10x the score is worth
 * a week (ideas gather support over weeks, not hours). Because time is in the key itself, the key never needs
 * recomputing as time passes; it changes only when the score does.
 */
export const TRENDING_EPOCH_SECONDS = 1_700_000_000;
export const TRENDING_SECONDS_PER_DECADE = 7 * 86_400;

export function trendingKey(score: number, createdAt: Date): number {
  const order = Math.log10(Math.max(Math.abs(score), 1));
  const sign = score > 0 ? 1 : score < 0 ? -1 : 0;
  const seconds = createdAt.getTime() / 1000 - TRENDING_EPOCH_SECONDS;
  return Math.round((sign * order + seconds / TRENDING_SECONDS_PER_DECADE) * 1e7) / 1e7;
}
