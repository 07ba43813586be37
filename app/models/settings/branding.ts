import type { Settings } from "./schemas.server";
import { parseFooterLink } from "./settings";

/** The company's face as pages and mail show it. */
export interface Branding {
  siteName: string;
  /** A path on this site or an https URL; null shows the built-in mark. */
  logoUrl: string | null;
  /** #rrggbb, used for buttons, links and highlights. */
  accent: string;
  /** A darker shade of the accent for hover and text on light backgrounds. */
  accentStrong: string;
  /** A lighter tint of the accent for links and text on the dark theme's background. */
  accentOnDark: string;
  welcomeText: string;
  footerLinks: { label: string; href: string }[];
}

/** The dark theme's page background (app.css). */
export const DARK_BACKGROUND = "#1b1816";

/** Mixes #rrggbb toward white by `amount` (0 to 1). */
function tint(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const part = (shift: number) => Math.round(((n >> shift) & 255) + (255 - ((n >> shift) & 255)) * amount);
  return `#${[16, 8, 0].map((s) => part(s).toString(16).padStart(2, "0")).join("")}`;
}

function shade(hex: string, factor: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const part = (shift: number) => Math.max(0, Math.min(255, Math.round(((n >> shift) & 255) * factor)));
  return `#${[16, 8, 0].map((s) => part(s).toString(16).padStart(2, "0")).join("")}`;
}

/** Relative luminance (WCAG) of #rrggbb. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [16, 8, 0].map((s) => {
    const c = ((n >> s) & 255) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The contrast ratio of two colours (1 to 21). */
export const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
};

/**
 * The branding from the site's settings. An accent too light to carry white button text
 * (contrast under 4.5:1) is darkened until it does, so no admin choice breaks contrast.
 */
export function brandingFrom(settings: Settings): Branding {
  let accent = settings.accent_color;
  for (let i = 0; i < 20 && contrast(accent, "#ffffff") < 4.5; i++) accent = shade(accent, 0.9);
  let onDark = accent;
  for (let i = 1; i <= 20 && contrast(onDark, DARK_BACKGROUND) < 7; i++) onDark = tint(accent, i * 0.05);
  return {
    siteName: settings.site_name,
    logoUrl: settings.logo_url || null,
    accent,
    accentStrong: shade(accent, 0.75),
    accentOnDark: onDark,
    welcomeText: settings.welcome_text,
    footerLinks: settings.footer_links ? settings.footer_links.split("\n").map(parseFooterLink).filter((l) => l !== null) : [],
  };
}
