import { describe, expect, it } from "vitest";
import { AVATAR_VERSION, avatarPath, isProfileComplete } from "../../app/models/members/avatar";

describe("avatars", () => {
  it("a complete profile has a bio (not only spaces) and a photo", () => {
    expect(isProfileComplete({ bio: "Coffee person.", avatarVersion: "0123456789abcdef" })).toBe(true);
    expect(isProfileComplete({ bio: "   ", avatarVersion: "0123456789abcdef" })).toBe(false);
    expect(isProfileComplete({ bio: "Coffee person.", avatarVersion: null })).toBe(false);
  });

  it("the address carries the version, so a new photo has a new address", () => {
    expect(avatarPath("ana_b", "0123456789abcdef")).toBe("/avatars/ana_b/0123456789abcdef.webp");
    expect(AVATAR_VERSION.test("0123456789abcdef")).toBe(true);
    expect(AVATAR_VERSION.test("../../etc/passwd")).toBe(false);
  });
});
