/**
 * The trending ("hot") key stored on every idea. It grows with the logarithm
 * of the score and linearly with posting time, so newer ideas outrank older
 * ones unless the older ones have many more net votes: 10x the score is worth
 * a week (ideas gather support over weeks, not hours). Because time is in the key itself, the key never needs
 * recomputing as time passes; it changes only when the score does.
 */
export const HOT_EPOCH_SECONDS = 1_700_000_000;
export const HOT_SECONDS_PER_DECADE = 7 * 86_400;

export function hotScore(score: number, createdAt: Date): number {
  const order = Math.log10(Math.max(Math.abs(score), 1));
  const sign = score > 0 ? 1 : score < 0 ? -1 : 0;
  const seconds = createdAt.getTime() / 1000 - HOT_EPOCH_SECONDS;
  return Math.round((sign * order + seconds / HOT_SECONDS_PER_DECADE) * 1e7) / 1e7;
}
