import { describe, expect, it } from "vitest";
import { describeImpact, type ImpactSummary } from "../../app/models/engagement/impact";

const empty: ImpactSummary = { planned: [], adopted: [], earlyOn: [], rank: 10, climbed: null, pointsInPeriod: 0 };

describe("the impact sentence", () => {
  it("says what moved, what shipped, where the member was early, and places climbed", () => {
    expect(describeImpact({
      ...empty,
      planned: [{ ideaId: 1, title: "A" }, { ideaId: 2, title: "B" }, { ideaId: 3, title: "C" }],
      adopted: [{ ideaId: 4, title: "Oat milk" }],
      earlyOn: [{ ideaId: 4, title: "Oat milk", place: 3 }],
      climbed: 212,
    })).toBe("3 ideas you backed moved to planned, 1 shipped, you were among the first 10 supporters of “Oat milk”, you climbed 212 places.");
  });
  it("is null when nothing happened, and never boasts of a fall", () => {
    expect(describeImpact(empty)).toBeNull();
    expect(describeImpact({ ...empty, climbed: -5 })).toBeNull();
    expect(describeImpact({ ...empty, planned: [{ ideaId: 1, title: "A" }], climbed: 1 })).toBe("1 idea you backed moved to planned, you climbed 1 place.");
  });
});
