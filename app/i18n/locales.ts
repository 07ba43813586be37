/**
 * The languages the site speaks, and how a request picks one
 * (docs/decisions/019-translations.md): the member's own choice, else the
 * visitor's `gs_lang` cookie (the footer's language select), else the
 * browser's Accept-Language (q-values honoured), else English.
 */
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language's name in itself, for the language selects. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", fr: "Français" };

export const LANG_COOKIE = "gs_lang";

export const isLocale = (value: unknown): value is Locale => typeof value === "string" && (LOCALES as readonly string[]).includes(value);

/** The best supported language of an Accept-Language header ("fr-CA;q=0.8, en;q=0.5"), or null. */
export function fromAcceptLanguage(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .slice(0, 30)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag!.trim().toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.tag && r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranges) {
    if (tag === "*") return DEFAULT_LOCALE;
    const primary = tag.split("-")[0];
    if (isLocale(primary)) return primary;
  }
  return null;
}

/** The `gs_lang` cookie's language, if it names one we speak. */
export function fromCookie(cookieHeader: string | null | undefined): Locale | null {
  const match = /(?:^|;\s*)gs_lang=([a-z]{2})(?:;|$)/.exec(cookieHeader ?? "");
  return match && isLocale(match[1]) ? match[1] : null;
}

/** Member's choice, then the cookie, then Accept-Language, then English. */
export function negotiateLocale(input: { memberChoice?: string | null; cookie?: string | null; acceptLanguage?: string | null }): Locale {
  if (isLocale(input.memberChoice)) return input.memberChoice;
  return fromCookie(input.cookie) ?? fromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LOCALE;
}
