import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { handleFromName, memberPath, PASSWORD_MAX, PASSWORD_MIN } from "../../app/models/members/member";
import { signInSchema, signUpSchema } from "../../app/models/members/schemas.server";

function issues(schema: z.ZodTypeAny, input: unknown): { path: string; message: string }[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

const valid = { displayName: "Ada Lovelace", email: "ada@example.com", password: "correct horse" };

describe("signUpSchema", () => {
  it("parses a valid sign-up, collapsing the display name and trimming the e-mail", () => {
    expect(signUpSchema.parse({ displayName: "  Ada \n Lovelace ", email: "  ada@example.com\t", password: "correct horse" })).toEqual(valid);
  });

  it("has the documented limits", () => {
    expect(PASSWORD_MIN).toBe(8);
    expect(PASSWORD_MAX).toBe(1000);
  });

  it("refuses a 7-character password and accepts an 8-character one", () => {
    expect(issues(signUpSchema, { ...valid, password: "1234567" })).toEqual([
      { path: "password", message: "Password needs at least 8 characters." },
    ]);
    expect(signUpSchema.parse({ ...valid, password: "12345678" }).password).toBe("12345678");
  });

  it("accepts a 1000-character password and refuses 1001", () => {
    expect(signUpSchema.parse({ ...valid, password: "p".repeat(1000) }).password).toHaveLength(1000);
    expect(issues(signUpSchema, { ...valid, password: "p".repeat(1001) })).toEqual([
      { path: "password", message: "Password can be at most 1000 characters." },
    ]);
  });

  it("accepts a 200-character passphrase in full, byte for byte", () => {
    const unit = " Tr0ub4dor & 3 ñ ";
    let passphrase = "";
    while (passphrase.length < 200) passphrase += unit;
    passphrase = passphrase.slice(0, 200);
    expect(passphrase).toHaveLength(200);
    const parsed = signUpSchema.parse({ ...valid, password: passphrase });
    expect(parsed.password).toBe(passphrase);
    expect(parsed.password).toHaveLength(200);
  });

  it("does not trim or collapse the password", () => {
    expect(signUpSchema.parse({ ...valid, password: "  two  spaces  " }).password).toBe("  two  spaces  ");
  });

  it("refuses a password containing a NUL byte", () => {
    expect(issues(signUpSchema, { ...valid, password: "abcd\u0000efgh" })).toEqual([
      { path: "password", message: "Password contains characters that are not allowed." },
    ]);
  });

  it("gives the required message first for an empty password", () => {
    expect(issues(signUpSchema, { ...valid, password: "" })[0]).toEqual({
      path: "password",
      message: "Password is required.",
    });
  });

  it("requires each field", () => {
    expect(issues(signUpSchema, {})).toEqual([
      { path: "displayName", message: "Display name is required." },
      { path: "email", message: "E-mail is required." },
      { path: "password", message: "Password is required." },
    ]);
  });

  it.each(["not-an-email", "a@", "@b.com", "a b@c.com", "a@b"])("refuses e-mail %j", (email) => {
    expect(issues(signUpSchema, { ...valid, email })).toEqual([
      { path: "email", message: "Enter an e-mail address like name@example.com." },
    ]);
  });

  it("refuses an e-mail of only white space as required", () => {
    expect(issues(signUpSchema, { ...valid, email: "   " })[0]).toEqual({ path: "email", message: "E-mail is required." });
  });

  it("refuses an e-mail over 254 characters", () => {
    const email = `${"a".repeat(64)}@${"b".repeat(186)}.com`;
    expect(email).toHaveLength(255);
    expect(issues(signUpSchema, { ...valid, email }).map((i) => i.message)).toContain(
      "E-mail can be at most 254 characters.",
    );
  });

  it("refuses a display name over 60 characters or with control characters", () => {
    expect(issues(signUpSchema, { ...valid, displayName: "n".repeat(61) })).toEqual([
      { path: "displayName", message: "Display name can be at most 60 characters." },
    ]);
    expect(issues(signUpSchema, { ...valid, displayName: "Ada\u0000" })).toEqual([
      { path: "displayName", message: "Display name contains characters that are not allowed." },
    ]);
  });
});

describe("signInSchema", () => {
  it("parses an e-mail and any non-empty password (no minimum length)", () => {
    expect(signInSchema.parse({ email: " ada@example.com ", password: "x" })).toEqual({
      email: "ada@example.com",
      password: "x",
    });
  });

  it("does not require a display name", () => {
    expect(signInSchema.safeParse({ email: "ada@example.com", password: "whatever" }).success).toBe(true);
  });

  it("refuses an empty or missing password", () => {
    expect(issues(signInSchema, { email: "ada@example.com", password: "" })).toEqual([
      { path: "password", message: "Password is required." },
    ]);
    expect(issues(signInSchema, { email: "ada@example.com" })).toEqual([
      { path: "password", message: "Password is required." },
    ]);
  });

  it("refuses a password over 1000 characters and one with NUL", () => {
    expect(issues(signInSchema, { email: "ada@example.com", password: "p".repeat(1001) })).toEqual([
      { path: "password", message: "Password can be at most 1000 characters." },
    ]);
    expect(issues(signInSchema, { email: "ada@example.com", password: "a\u0000" })).toEqual([
      { path: "password", message: "Password contains characters that are not allowed." },
    ]);
  });

  it("refuses a bad e-mail", () => {
    expect(issues(signInSchema, { email: "nope", password: "x" })).toEqual([
      { path: "email", message: "Enter an e-mail address like name@example.com." },
    ]);
  });
});

describe("handleFromName", () => {
  it.each([
    ["Ada Lovelace", "ada_lovelace"],
    ["Zoë Saldaña", "zoe_saldana"],
    ["François Müller-Lüdenscheidt", "francois_muller_ludensch"],
    ["O'Brien & Co.", "o_brien_co"],
    ["  --Émile--  ", "emile"],
    ["user123", "user123"],
    ["Bob", "bob"],
    ["Al", "member_al"],
    ["J", "member_j"],
    ["Jo!", "member_jo"],
    ["!!!", "member"],
    ["", "member"],
    ["日本語", "member"],
    ["A B", "a_b"],
  ])("handleFromName(%j) is %j", (name, handle) => {
    expect(handleFromName(name)).toBe(handle);
  });

  it("cuts the handle at 24 characters", () => {
    expect(handleFromName("x".repeat(60))).toBe("x".repeat(24));
  });

  it("only produces [a-z0-9_], at least 3 and at most 24 characters", () => {
    const names = ["Ünïcödé Nämé", "a", "ÆØÅ", "😀 Smiley 😀", "$$$ money $$$", "x".repeat(80), "Ω", "Dr. Strange-Love (PhD)"];
    for (const name of names) {
      const handle = handleFromName(name);
      expect(handle).toMatch(/^[a-z0-9_]+$/);
      expect(handle.length).toBeGreaterThanOrEqual(3);
      expect(handle.length).toBeLessThanOrEqual(24);
      expect(handle.startsWith("_")).toBe(false);
    }
  });
});

describe("memberPath", () => {
  it("builds the profile path", () => {
    expect(memberPath({ handle: "ada_lovelace" })).toBe("/members/ada_lovelace");
  });
});

describe("handleFromName: the cut", () => {
  // A cut landing just after a separator must not leave a trailing "_".
  it("does not end in an underscore after the 24-character cut", () => {
    expect(handleFromName("abcdefghijklmnopqrstuvw xyz")).toBe("abcdefghijklmnopqrstuvw");
  });
});
