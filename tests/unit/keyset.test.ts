import { describe, expect, it } from "vitest";
import { DomainError } from "../../app/models/shared/errors";
import { decodeCursor, encodeCursor, isValidKey, type KeyType } from "../../app/models/shared/keyset";

const raw = (json: string) => Buffer.from(json).toString("base64url");

function expect400(cursor: string, type: KeyType | null = "int", idType: "int" | "bigint" = "int") {
  let thrown: unknown;
  try {
    decodeCursor(cursor, type, idType);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `cursor ${JSON.stringify(cursor)} should be refused`).toBeInstanceOf(DomainError);
  expect((thrown as DomainError).status).toBe(400);
  expect((thrown as DomainError).field).toBe("cursor");
  expect((thrown as DomainError).message).toBe("That page link is not valid. Start again from the first page.");
}

describe("encodeCursor / decodeCursor", () => {
  it.each<[KeyType, string, number]>([
    ["int", "0", 1],
    ["int", "42", 7],
    ["int", "-3", 2_147_483_647],
    ["float8", "19876.1234567", 123],
    ["float8", "-0.5", 99],
    ["float8", "1.2345678901234567e-5", 4],
    ["bigint", "9007199254740991", 5],
    ["timestamptz", "2024-06-15T12:34:56.123456Z", 10],
    ["timestamptz", "2024-06-15T12:34:56Z", 11],
  ])("round-trips a %s key %j with id %d", (type, key, id) => {
    expect(decodeCursor(encodeCursor({ key, id }), type)).toEqual({ key, id });
  });

  it("round-trips id-only cursors, and bigint ids past int4", () => {
    expect(decodeCursor(encodeCursor({ key: null, id: 5 }), null)).toEqual({ key: null, id: 5 });
    expect(decodeCursor(encodeCursor({ key: null, id: 3_000_000_000 }), null, "bigint")).toEqual({ key: null, id: 3_000_000_000 });
    expect400(encodeCursor({ key: null, id: 3_000_000_000 }), null, "int");
  });

  it("produces a URL-safe opaque string", () => {
    const cursor = encodeCursor({ key: "2024-06-15T12:34:56.123456Z", id: 2_147_483_647 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("2024");
  });

  it.each(["", "!!!", "garbage", "%%%", "eyJh", raw("not json"), raw('["1",2'), "W10", "x".repeat(400)])("refuses garbage %j", (cursor) => {
    expect400(cursor);
  });

  it.each(["null", "1", '"text"', "{}", '{"0":1,"1":2}', "[]", '["1"]', '["1",2,3]', "[true,1]", '[["1"],1]', '[{"a":1},1]', '["1","5"]', '["1",null]', "[1,2]"])(
    "refuses the wrong shape %s",
    (json) => expect400(raw(json)),
  );

  it.each(['["1",0]', '["1",-1]', '["1",1.5]', '["1",2147483648]', '["1",1e20]', '["1",1e400]'])("refuses the id in %s", (json) => {
    expect400(raw(json));
  });

  it("refuses a key where paging is by id alone, and a missing key where it is not", () => {
    expect400(raw('["1",1]'), null);
    expect400(raw("[null,1]"), "int");
  });
});

describe("isValidKey: what each SQL type accepts, so a forged key is a 400 and never a database error", () => {
  it.each([
    ["int", "2147483648"], ["int", "1e3"], ["int", "1.5"], ["int", ""], ["int", "12345678901"],
    ["bigint", "1e3"], ["bigint", "1234567890123456789012"],
    ["float8", "1e300000"], ["float8", "Infinity"], ["float8", "NaN"], ["float8", "0x10"], ["float8", "1e"],
    ["timestamptz", "not a date"], ["timestamptz", "2024-13-45"], ["timestamptz", "2024-02-30T25:00:00Z"], ["timestamptz", "yesterday"],
    ["timestamptz", "1"], ["timestamptz", "2024"], ["timestamptz", "Tue 5"], ["timestamptz", "2026-02-30T00:00:00.000000Z"],
  ] as [KeyType, string][])("a %s refuses %j", (type, key) => {
    expect(isValidKey(type, key)).toBe(false);
    expect400(encodeCursor({ key, id: 1 }), type);
  });

  it.each([["float8", "1e300"], ["float8", "-2.5e-10"], ["int", "-2147483647"], ["bigint", "-5"]] as [KeyType, string][])("a %s accepts %j", (type, key) => {
    expect(isValidKey(type, key)).toBe(true);
  });
});
