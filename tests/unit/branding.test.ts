import { describe, expect, it } from "vitest";
import { brandingFrom, contrast, DARK_BACKGROUND } from "../../app/models/settings/branding";
import { DEFAULT_SETTINGS, settingsSchema } from "../../app/models/settings/schemas.server";
import { parseFooterLink } from "../../app/models/settings/settings";

describe("branding", () => {
  it("keeps a dark enough accent as it is, and darkens a light one until white text on it reads", () => {
    expect(brandingFrom(DEFAULT_SETTINGS).accent).toBe("#7a3e1d");
    for (const colour of ["#ffee00", "#ffffff", "#7fdbff"]) {
      const brand = brandingFrom({ ...DEFAULT_SETTINGS, accent_color: colour });
      expect(contrast(brand.accent, "#ffffff"), colour).toBeGreaterThanOrEqual(4.5);
      expect(contrast(brand.accentOnDark, DARK_BACKGROUND), colour).toBeGreaterThanOrEqual(7);
    }
  });

  it("reads footer links as Label | https://… or a /path, and nothing else", () => {
    expect(parseFooterLink("Privacy | https://acme.example/privacy")).toEqual({ label: "Privacy", href: "https://acme.example/privacy" });
    expect(parseFooterLink("Help|/help")).toEqual({ label: "Help", href: "/help" });
    for (const bad of ["Evil | javascript:alert(1)", "Proto | //evil.example", "No link", "Http | http://acme.example", "Quote | https://a.example/\"onmouseover=x"]) {
      expect(parseFooterLink(bad), bad).toBeNull();
    }
  });

  it("refuses a logo that is not a /path or an https address", () => {
    const parse = (logo_url: string) => settingsSchema.safeParse({ ...DEFAULT_SETTINGS, logo_url }).success;
    expect(parse("/logo.svg")).toBe(true);
    expect(parse("https://cdn.acme.example/logo.png")).toBe(true);
    expect(parse("")).toBe(true);
    for (const bad of ["javascript:alert(1)", "data:image/svg+xml,<svg>", "//evil.example/x.png", "http://acme.example/logo.png"]) expect(parse(bad), bad).toBe(false);
  });
});
