import { describe, expect, it } from "vitest";
import { formatDate, plural, relativeTime } from "../../app/models/shared/format";

const NOW = "2024-06-15T12:00:00.000Z";
const ago = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000);
const ahead = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000);
const MIN = 60;
const HOUR = 3600;
const DAY = 86_400;

describe("relativeTime", () => {
  it.each([
    [0, "just now"],
    [1, "just now"],
    [59, "just now"],
    [MIN, "1 minute ago"],
    [5 * MIN, "5 minutes ago"],
    [HOUR, "1 hour ago"],
    [3 * HOUR, "3 hours ago"],
    [DAY, "yesterday"],
    [3 * DAY, "3 days ago"],
    [7 * DAY, "last week"],
    [14 * DAY, "2 weeks ago"],
    [30 * DAY, "last month"],
    [90 * DAY, "3 months ago"],
    [365 * DAY, "last year"],
    [3 * 365 * DAY, "3 years ago"],
  ])("%i seconds ago is %j", (seconds, text) => {
    expect(relativeTime(ago(seconds), NOW)).toBe(text);
  });

  it.each([
    [30, "just now"],
    [5 * MIN, "in 5 minutes"],
    [2 * HOUR, "in 2 hours"],
    [DAY, "tomorrow"],
    [4 * DAY, "in 4 days"],
    [2 * 365 * DAY, "in 2 years"],
  ])("%i seconds ahead is %j", (seconds, text) => {
    expect(relativeTime(ahead(seconds), NOW)).toBe(text);
  });

  it("rounds within a unit", () => {
    expect(relativeTime(ago(2 * HOUR + 29 * MIN), NOW)).toBe("2 hours ago");
    expect(relativeTime(ago(2 * HOUR + 31 * MIN), NOW)).toBe("3 hours ago");
  });

  it("accepts ISO strings as well as Dates for both arguments", () => {
    expect(relativeTime("2024-06-12T12:00:00.000Z", NOW)).toBe("3 days ago");
    expect(relativeTime(new Date("2024-06-12T12:00:00.000Z"), new Date(NOW))).toBe("3 days ago");
  });

  it("depends only on the given now, not on the clock", () => {
    expect(relativeTime("2000-01-01T00:00:00Z", "2000-01-01T00:10:00Z")).toBe("10 minutes ago");
  });
});

describe("formatDate", () => {
  it("formats in UTC", () => {
    expect(formatDate("2024-01-05T23:30:00Z")).toBe("Jan 5, 2024");
    expect(formatDate(new Date("2023-12-31T00:00:00Z"))).toBe("Dec 31, 2023");
  });
});

describe("plural", () => {
  it("uses the singular only for exactly one", () => {
    expect(plural(1, "idea")).toBe("1 idea");
    expect(plural(0, "idea")).toBe("0 ideas");
    expect(plural(2, "idea")).toBe("2 ideas");
    expect(plural(-1, "vote")).toBe("-1 votes");
  });

  it("takes an irregular plural", () => {
    expect(plural(1, "reply", "replies")).toBe("1 reply");
    expect(plural(3, "reply", "replies")).toBe("3 replies");
  });

  it("groups thousands", () => {
    expect(plural(1234, "vote")).toBe("1,234 votes");
    expect(plural(1_000_000, "member")).toBe("1,000,000 members");
  });
});

describe("excerpt", () => {
  it("drops Markdown and keeps link text", async () => {
    const { excerpt } = await import("../../app/models/shared/format");
    expect(excerpt("**Bold** and _soft_ [a link](https://x.example) `code`\n- item")).toBe("Bold and soft a link code item");
  });
  it("cuts long text at a word with an ellipsis", async () => {
    const { excerpt } = await import("../../app/models/shared/format");
    const out = excerpt("word ".repeat(100), 50);
    expect(out.length).toBeLessThanOrEqual(51);
    expect(out.endsWith("word…")).toBe(true);
  });
});
