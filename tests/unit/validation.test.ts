import { describe, expect, it } from "vitest";
import { z } from "zod";
import { collapseWhitespace, normaliseMultiline } from "../../app/models/shared/validation";
import { idSchema, multiLine, parseForm, singleLine } from "../../app/models/shared/schemas.server";

/** The messages of a failed parse, in order. */
function messages(schema: z.ZodTypeAny, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((i) => i.message);
}

const form = (entries: [string, string | Blob][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe("collapseWhitespace", () => {
  it("collapses runs of spaces, tabs and newlines to one space and trims", () => {
    expect(collapseWhitespace("  a \t\t b\r\n\n c  ")).toBe("a b c");
  });
  it("collapses non-breaking and other Unicode spaces", () => {
    expect(collapseWhitespace("a\u00a0\u2003b\u3000c")).toBe("a b c");
  });
  it("returns an empty string for white space only", () => {
    expect(collapseWhitespace(" \n\t ")).toBe("");
  });
  it("leaves single-spaced text alone", () => {
    expect(collapseWhitespace("already fine")).toBe("already fine");
  });
});

describe("normaliseMultiline", () => {
  it("turns CRLF and lone CR into LF", () => {
    expect(normaliseMultiline("a\r\nb\rc\nd")).toBe("a\nb\nc\nd");
  });
  it("trims the ends but keeps inner blank lines and indentation", () => {
    expect(normaliseMultiline("\n\n  a\n\n    b  \n\n")).toBe("a\n\n    b");
  });
});

describe("singleLine", () => {
  const name = singleLine("Name", 3, 10);

  it("returns the collapsed value", () => {
    expect(name.parse("  Ada \n  Byron ")).toBe("Ada Byron");
  });

  it("collapses before checking the maximum length", () => {
    const padded = `a${" ".repeat(50)}b${"\t".repeat(20)}c`;
    expect(name.parse(padded)).toBe("a b c");
  });

  it("collapses before checking the minimum length", () => {
    expect(messages(name, "  a   \n ")).toEqual(["Name needs at least 3 characters."]);
  });

  it("accepts exactly min and max characters", () => {
    expect(name.parse("abc")).toBe("abc");
    expect(name.parse("abcdefghij")).toBe("abcdefghij");
  });

  it("refuses more than max characters with a message", () => {
    expect(messages(name, "abcdefghijk")).toEqual(["Name can be at most 10 characters."]);
  });

  it("refuses a NUL byte with a message", () => {
    expect(messages(name, "ab\u0000cd")).toEqual(["Name contains characters that are not allowed."]);
  });

  it.each(["\u0001", "\u0007", "\u0008", "\u000e", "\u001b", "\u001f", "\u007f"])(
    "refuses control character U+%s",
    (ch) => {
      expect(messages(name, `ab${ch}cd`)).toContain("Name contains characters that are not allowed.");
    },
  );

  it("accepts tabs, newlines, vertical tab and form feed by collapsing them", () => {
    expect(name.parse("ab\t\n\u000b\u000ccd")).toBe("ab cd");
  });

  it("gives the control-character message first when the value is also too long", () => {
    expect(messages(name, `\u0000${"x".repeat(20)}`)[0]).toBe("Name contains characters that are not allowed.");
  });

  it("says the field is required when it is missing", () => {
    expect(messages(name, undefined)).toEqual(["Name is required."]);
  });

  it("says the field must be text for a non-string", () => {
    expect(messages(name, 42)).toEqual(["Name must be text."]);
  });

  it("uses the required message for empty input when min is 1", () => {
    const field = singleLine("Display name", 1, 60);
    expect(messages(field, "   ")).toEqual(["Display name is required."]);
    expect(messages(field, "")).toEqual(["Display name is required."]);
  });
});

describe("multiLine", () => {
  const body = multiLine("Body", 1, 10_000);

  it("normalises line endings and trims, keeping inner white space", () => {
    expect(body.parse("  \r\nline  one\r\n\r\n\tline two \r\n")).toBe("line  one\n\n\tline two");
  });

  it("does not collapse spaces", () => {
    expect(body.parse("a     b")).toBe("a     b");
  });

  it("says required for white space only when min is 1", () => {
    expect(messages(body, " \r\n \n ")).toEqual(["Body is required."]);
  });

  it("gives a needs-at-least message when min is above 1", () => {
    expect(messages(multiLine("Body", 5, 10), "abc")).toEqual(["Body needs at least 5 characters."]);
  });

  it("formats a large maximum with a thousands separator", () => {
    expect(messages(body, "x".repeat(10_001))).toEqual(["Body can be at most 10,000 characters."]);
    expect(body.parse("x".repeat(10_000))).toHaveLength(10_000);
  });

  it("measures length after normalising CRLF", () => {
    // 3 CRLF pairs between letters: 10 characters raw, 7 after normalising.
    const field = multiLine("Body", 1, 7);
    expect(field.parse("a\r\nb\r\nc\r\nd")).toBe("a\nb\nc\nd");
  });

  it("refuses NUL and other control characters but allows tabs and newlines", () => {
    expect(messages(body, "a\u0000b")).toEqual(["Body contains characters that are not allowed."]);
    expect(messages(body, "a\u000bb")).toEqual(["Body contains characters that are not allowed."]);
    expect(messages(body, "a\u000cb")).toEqual(["Body contains characters that are not allowed."]);
    expect(messages(body, "a\u001bb")).toEqual(["Body contains characters that are not allowed."]);
    expect(body.parse("a\tb\nc")).toBe("a\tb\nc");
  });

  it("says required when missing and must be text for a non-string", () => {
    expect(messages(body, undefined)).toEqual(["Body is required."]);
    expect(messages(body, ["x"])).toEqual(["Body must be text."]);
  });
});

describe("idSchema", () => {
  it.each([
    ["42", 42],
    ["1", 1],
    ["2147483647", 2_147_483_647],
  ])("accepts %j as %d", (input, expected) => {
    expect(idSchema.parse(input)).toBe(expected);
  });

  it.each(["abc", "0", "-1", "1.5", "99999999999", "2147483648", "", "NaN", "Infinity"])("rejects %j", (input) => {
    expect(messages(idSchema, input)[0]).toBe("Not a valid id.");
  });
});

describe("parseForm", () => {
  const schema = z.object({
    email: z.string().min(3, "E-mail too short.").email("Not an e-mail."),
    password: z.string().min(8, "Password too short."),
    name: z.string().min(1, "Name required."),
  });

  it("returns the parsed data on success", () => {
    const result = parseForm(schema, form([["email", "a@b.example"], ["password", "longenough"], ["name", "Ada"]]));
    expect(result).toEqual({ ok: true, data: { email: "a@b.example", password: "longenough", name: "Ada" } });
  });

  it("returns only the first message per field", () => {
    const result = parseForm(schema, form([["email", "x"], ["password", "short"], ["name", "Ada"]]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toEqual({ email: "E-mail too short.", password: "Password too short." });
  });

  it("sends back the other values but never the password", () => {
    const result = parseForm(schema, form([["email", "x"], ["password", "short"], ["name", "Ada"]]));
    if (result.ok) throw new Error("expected failure");
    expect(result.values).toEqual({ email: "x", name: "Ada" });
    expect("password" in result.values).toBe(false);
  });

  it("reports a missing field by its name", () => {
    const result = parseForm(schema, form([["email", "a@b.example"], ["password", "longenough"]]));
    if (result.ok) throw new Error("expected failure");
    expect(result.fieldErrors.name).toBe("Required");
    expect(result.values).toEqual({ email: "a@b.example" });
  });

  it("keeps the first of repeated keys", () => {
    const result = parseForm(z.object({ tag: z.string() }), form([["tag", "first"], ["tag", "second"]]));
    expect(result).toEqual({ ok: true, data: { tag: "first" } });
  });

  it("ignores file entries", () => {
    const result = parseForm(
      z.object({ note: z.string().min(5, "Too short.") }),
      form([["note", "hi"], ["upload", new Blob(["data"])]]),
    );
    if (result.ok) throw new Error("expected failure");
    expect(result.values).toEqual({ note: "hi" });
  });

  it("files object-level issues under \"form\"", () => {
    const s = z.object({ a: z.string(), b: z.string() }).refine((v) => v.a === v.b, "They must match.");
    const result = parseForm(s, form([["a", "1"], ["b", "2"]]));
    if (result.ok) throw new Error("expected failure");
    expect(result.fieldErrors).toEqual({ form: "They must match." });
    expect(result.values).toEqual({ a: "1", b: "2" });
  });
});
