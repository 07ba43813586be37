import { describe, expect, it } from "vitest";
import { DomainError } from "../../app/models/errors";
import { decodeCursor, encodeCursor } from "../../app/models/ideas.server";

const raw = (json: string) => Buffer.from(json).toString("base64url");

function expect400(cursor: string) {
  let thrown: unknown;
  try {
    decodeCursor(cursor);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `cursor ${JSON.stringify(cursor)} should be refused`).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).status).toBe(400);
  expect((thrown as DomainError).field).toBe("cursor");
  expect((thrown as DomainError).message).toBe("That page link is not valid. Start again from the first page.");
}

describe("encodeCursor / decodeCursor", () => {
  it.each<[number | string, number]>([
    [0, 1],
    [42, 7],
    [-3, 2_147_483_647],
    [19_876.1234567, 123],
    [-0.5, 99],
    [Number.MAX_SAFE_INTEGER, 5],
    ["2024-06-15T12:34:56.123456Z", 10],
    ["2024-06-15T12:34:56Z", 11],
  ])("round-trips key %j with id %d", (key, id) => {
    expect(decodeCursor(encodeCursor(key, id))).toEqual([key, id]);
  });

  it("produces a URL-safe opaque string", () => {
    const cursor = encodeCursor("2024-06-15T12:34:56.123456Z", 2_147_483_647);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("2024");
  });

  it("encodes the key and id as a JSON pair", () => {
    expect(Buffer.from(encodeCursor(12.5, 3), "base64url").toString("utf8")).toBe("[12.5,3]");
  });

  it.each(["", "!!!", "garbage", "%%%", "eyJh", raw("not json"), raw("[1,2"), "W10"])("refuses garbage %j", (cursor) => {
    expect400(cursor);
  });

  it.each([
    "null",
    "1",
    '"text"',
    "{}",
    '{"0":1,"1":2}',
    "[]",
    "[1]",
    "[1,2,3]",
    "[null,1]",
    "[true,1]",
    "[[1],1]",
    '[{"a":1},1]',
    '[1,"5"]',
    "[1,null]",
  ])("refuses the wrong shape %s", (json) => {
    expect400(raw(json));
  });

  it.each(["[1,0]", "[1,-1]", "[1,1.5]", "[1,2147483648]", "[1,1e20]", "[1,1e400]"])("refuses the id in %s", (json) => {
    expect400(raw(json));
  });

  it("accepts the id bounds 1 and 2147483647", () => {
    expect(decodeCursor(raw("[1,1]"))).toEqual([1, 1]);
    expect(decodeCursor(raw("[1,2147483647]"))).toEqual([1, 2_147_483_647]);
  });

  it.each(["[1e400,1]", "[-1e400,1]"])("refuses the non-finite key in %s", (json) => {
    expect400(raw(json));
  });

  it("refuses keys that JSON cannot carry (Infinity and NaN become null)", () => {
    expect400(encodeCursor(Infinity, 1));
    expect400(encodeCursor(Number.NaN, 1));
  });

  it.each(["not a date", "2024-13-45", "", "2024-02-30T25:00:00Z", "yesterday"])("refuses the bad date %j", (key) => {
    expect400(encodeCursor(key, 1));
  });
});

describe("decodeCursor: loose date text", () => {
  // Date.parse accepts "1" or "Tue 5"; PostgreSQL does not, so such a key
  // must be refused here with a 400 rather than fail in the query with a 500.
  it.each(["1", "2024", "Tue 5", "x 2020"])("refuses the non-ISO date key %j with a 400", (key) => {
    expect400(encodeCursor(key, 1));
  });
});
