import { describe, expect, it } from "vitest";
import { HOT_EPOCH_SECONDS, HOT_SECONDS_PER_DECADE, hotScore } from "../../app/models/ranking";

const T0 = new Date("2024-03-01T12:00:00Z");
const plusSeconds = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

describe("hotScore", () => {
  it("is zero for score 0 posted exactly at the epoch", () => {
    expect(hotScore(0, new Date(HOT_EPOCH_SECONDS * 1000))).toBe(0);
  });

  it("grows by exactly 1 per decade of age offset (score 0)", () => {
    const epoch = new Date(HOT_EPOCH_SECONDS * 1000);
    expect(hotScore(0, plusSeconds(epoch, HOT_SECONDS_PER_DECADE))).toBe(1);
    expect(hotScore(0, plusSeconds(epoch, -HOT_SECONDS_PER_DECADE))).toBe(-1);
  });

  it("is log10 of the score for an idea posted at the epoch", () => {
    const epoch = new Date(HOT_EPOCH_SECONDS * 1000);
    expect(hotScore(10, epoch)).toBe(1);
    expect(hotScore(1000, epoch)).toBe(3);
    expect(hotScore(-100, epoch)).toBe(-2);
  });

  it("is non-decreasing in score for a fixed time, from -10000 to 10000", () => {
    let previous = -Infinity;
    for (let score = -10_000; score <= 10_000; score += 7) {
      const h = hotScore(score, T0);
      expect(h).toBeGreaterThanOrEqual(previous);
      previous = h;
    }
  });

  it("is strictly increasing in score away from the -1..1 band", () => {
    const scores = [-1000, -100, -10, -2, 2, 10, 100, 1000];
    const values = scores.map((s) => hotScore(s, T0));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });

  it("treats scores -1, 0 and 1 alike (log10 of 1 is 0)", () => {
    expect(hotScore(1, T0)).toBe(hotScore(0, T0));
    expect(hotScore(-1, T0)).toBe(hotScore(0, T0));
  });

  it("ranks a newer idea above an older one at an equal score", () => {
    for (const score of [-50, -1, 0, 1, 5, 500]) {
      expect(hotScore(score, plusSeconds(T0, 1))).toBeGreaterThan(hotScore(score, T0));
      expect(hotScore(score, plusSeconds(T0, 3600))).toBeGreaterThan(hotScore(score, T0));
    }
  });

  it("puts negative scores below zero and positive ones above, symmetrically", () => {
    const zero = hotScore(0, T0);
    expect(hotScore(-10, T0)).toBeLessThan(zero);
    expect(hotScore(10, T0)).toBeGreaterThan(zero);
    expect(hotScore(10, T0) - zero).toBeCloseTo(1, 6);
    expect(zero - hotScore(-10, T0)).toBeCloseTo(1, 6);
    // A more negative score ranks lower.
    expect(hotScore(-1000, T0)).toBeLessThan(hotScore(-10, T0));
  });

  it("values one decade of score the same as HOT_SECONDS_PER_DECADE seconds of age", () => {
    const later = plusSeconds(T0, HOT_SECONDS_PER_DECADE);
    expect(hotScore(100, T0)).toBeCloseTo(hotScore(10, later), 6);
    expect(hotScore(1000, T0)).toBeCloseTo(hotScore(100, later), 6);
    expect(hotScore(-10, later)).toBeCloseTo(hotScore(0, T0), 6);
    // Half a day newer is not enough to beat 10x the score.
    expect(hotScore(100, T0)).toBeGreaterThan(hotScore(10, plusSeconds(T0, HOT_SECONDS_PER_DECADE / 2)));
  });

  it("rounds to 7 decimal places", () => {
    const h = hotScore(7, plusSeconds(T0, 1234));
    expect(Math.round(h * 1e7) / 1e7).toBe(h);
  });

  it("is finite for extreme but valid inputs", () => {
    const dates = [new Date(0), new Date("1970-01-01T00:00:00Z"), new Date("2100-01-01T00:00:00Z"), new Date(8.64e15)];
    for (const date of dates) {
      for (const score of [0, 1, -1, 2_147_483_647, -2_147_483_648, Number.MAX_SAFE_INTEGER]) {
        expect(Number.isFinite(hotScore(score, date))).toBe(true);
      }
    }
  });
});
