import { Form } from "@remix-run/react";
import { useT } from "../i18n";
import { LOCALES, LOCALE_NAMES } from "../i18n/locales";
import { useRootData } from "./root-data";

/**
 * The account page's language choice: stored on the member, so it follows them to any
 * browser ("auto" forgets it and follows the browser again). Posts to /language like the
 * footer's select; works without JavaScript.
 */
export function LanguageChoice() {
  const t = useT();
  const choice = useRootData()?.member?.locale ?? "auto";
  return (
    <section aria-labelledby="language-heading" className="account-section" id="language">
      <h2 id="language-heading">{t("Language")}</h2>
      <Form method="post" action="/language" reloadDocument>
        <input type="hidden" name="returnTo" value="/account#language" data-always="" />
        <div className="field">
          <label htmlFor="account-language">{t("Language of the site")}</label>
          <select id="account-language" name="locale" defaultValue={choice}>
            <option value="auto">{t("The browser's language")}</option>
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">{t("Save language")}</button>
      </Form>
    </section>
  );
}
