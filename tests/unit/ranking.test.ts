import { describe, expect, it } from "vitest";
import { TRENDING_EPOCH_SECONDS, TRENDING_SECONDS_PER_DECADE, trendingKey } from "../../app/models/ideas/ranking";

const T0 = new Date("2024-03-01T12:00:00Z");
const plusSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

describe("trendingKey", () => {
  it("is zero for score 0 posted exactly at the epoch", () => {
    expect(trendingKey(0, new Date(TRENDING_EPOCH_SECONDS * 1000))).toBe(0);
  });

  it("grows by exactly 1 per decade of age offset (score 0)", () => {
    const epoch = new Date(TRENDING_EPOCH_SECONDS * 1000);
    expect(trendingKey(0, plusSeconds(epoch, TRENDING_SECONDS_PER_DECADE))).toBe(1);
    expect(trendingKey(0, plusSeconds(epoch, -TRENDING_SECONDS_PER_DECADE))).toBe(-1);
  });

  it("is log10 of the score for an idea posted at the epoch", () => {
    const epoch = new Date(TRENDING_EPOCH_SECONDS * 1000);
    expect(trendingKey(10, epoch)).toBe(1);
    expect(trendingKey(1000, epoch)).toBe(3);
    expect(trendingKey(-100, epoch)).toBe(-2);
  });

  it("is non-decreasing in score for a fixed time, from -10000 to 10000", () => {
    let previous = -Infinity;
    for (let score = -10_000; score <= 10_000; score += 7) {
      const h = trendingKey(score, T0);
      expect(h).toBeGreaterThanOrEqual(previous);
      previous = h;
    }
  });

  it("is strictly increasing in score away from the -1..1 band", () => {
    const scores = [-1000, -100, -10, -2, 2, 10, 100, 1000];
    const values = scores.map((s) => trendingKey(s, T0));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });

  it("treats scores -1, 0 and 1 alike (log10 of 1 is 0)", () => {
    expect(trendingKey(1, T0)).toBe(trendingKey(0, T0));
    expect(trendingKey(-1, T0)).toBe(trendingKey(0, T0));
  });

  it("ranks a newer idea above an older one at an equal score", () => {
    for (const score of [-50, -1, 0, 1, 5, 500]) {
      expect(trendingKey(score, plusSeconds(T0, 1))).toBeGreaterThan(trendingKey(score, T0));
      expect(trendingKey(score, plusSeconds(T0, 3600))).toBeGreaterThan(trendingKey(score, T0));
    }
  });

  it("puts negative scores below zero and positive ones above, symmetrically", () => {
    const zero = trendingKey(0, T0);
    expect(trendingKey(-10, T0)).toBeLessThan(zero);
    expect(trendingKey(10, T0)).toBeGreaterThan(zero);
    expect(trendingKey(10, T0) - zero).toBeCloseTo(1, 6);
    expect(zero - trendingKey(-10, T0)).toBeCloseTo(1, 6);
    // A more negative score ranks lower.
    expect(trendingKey(-1000, T0)).toBeLessThan(trendingKey(-10, T0));
  });

  it("values one decade of score the same as TRENDING_SECONDS_PER_DECADE seconds of age", () => {
    const later = plusSeconds(T0, TRENDING_SECONDS_PER_DECADE);
    expect(trendingKey(100, T0)).toBeCloseTo(trendingKey(10, later), 6);
    expect(trendingKey(1000, T0)).toBeCloseTo(trendingKey(100, later), 6);
    expect(trendingKey(-10, later)).toBeCloseTo(trendingKey(0, T0), 6);
    // Half a day newer is not enough to beat 10x the score.
    expect(trendingKey(100, T0)).toBeGreaterThan(trendingKey(10, plusSeconds(T0, TRENDING_SECONDS_PER_DECADE / 2)));
  });

  it("rounds to 7 decimal places", () => {
    const h = trendingKey(7, plusSeconds(T0, 1234));
    expect(Math.round(h * 1e7) / 1e7).toBe(h);
  });

  it("is finite for extreme but valid inputs", () => {
    const dates = [new Date(0), new Date("1970-01-01T00:00:00Z"), new Date("2100-01-01T00:00:00Z"), new Date(8.64e15)];
    for (const date of dates) {
      for (const score of [0, 1, -1, 2_147_483_647, -2_147_483_648, Number.MAX_SAFE_INTEGER]) {
        expect(Number.isFinite(trendingKey(score, date))).toBe(true);
      }
    }
  });
});
