import { setupI18n, type I18n, type Messages } from "@lingui/core";
import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locales";
import { messages as enCompiled } from "./compiled.en";

/**
 * Translation through Lingui's runtime (docs/decisions/019-translations.md). A message's id
 * is its English text in ICU syntax. English needs no catalogue for plain text or bare
 * "{name}" placeholders: only messages with plurals, numbers or selects are compiled into
 * `compiled.en.ts`. Another
 * language is registered from its compiled catalogue: on the server at start, in the
 * browser by a dynamic import before hydration, so English pages never ship it.
 */
export type Values = Record<string, string | number | null | undefined>;
export type T = (id: string, values?: Values) => string;

const instances = new Map<Locale, I18n>();

export function registerLocale(locale: Locale, messages: Messages) {
  instances.set(locale, setupI18n({ locale, messages: { [locale]: messages } }));
}
registerLocale("en", enCompiled);

export function translate(locale: Locale, id: string, values?: Values): string {
  for (const candidate of locale === DEFAULT_LOCALE ? [locale] : [locale, DEFAULT_LOCALE]) {
    const i18n = instances.get(candidate);
    const message = i18n?.messages[id];
    if (message === undefined) continue;
    // A compiled plain message is its text; Lingui would only warn about it.
    if (typeof message === "string") return message;
    return i18n!._(id, values);
  }
  // English text is its own id and needs no catalogue entry, bare "{name}" placeholders
  // included (filled here); only ICU plurals, numbers and selects are compiled.
  return values ? id.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? "")) : id;
}

/** A translator bound to one language (loaders, actions, meta). */
export const translator = (locale: Locale): T => (id, values) => translate(locale, id, values);

/** The page's language, from the root loader (English when it is not there: an error before it ran). */
export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: string } | undefined;
  return isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE;
}

/** `const t = useT(); t("{count, plural, one {# vote} other {# votes}}", { count })` */
export function useT(): T {
  return translator(useLocale());
}

/** The language of a route's meta function (from the root match). */
export function localeOf(matches: readonly { id: string; data?: unknown }[]): Locale {
  const data = matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
  return isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE;
}

export { DEFAULT_LOCALE, type Locale } from "./locales";

/**
 * Marks a literal as a message id translated later (a flash message: the root layout shows
 * it through t()), so the catalogue test finds it. Returns the id unchanged.
 */
export const msg = (id: string) => id;
