import type { Locale } from "../../i18n/locales";
import type { DB } from "../../lib/db.server";

/**
 * A member's language for the site (null: follow the browser). A display preference like
 * the theme, not a public act: no event (docs/decisions/019-translations.md). Lives outside
 * models/members while that module is being reworked.
 */
export async function setMemberLocale(db: DB, memberId: number, locale: Locale | null): Promise<void> {
  await db.updateTable("members").set({ locale }).where("id", "=", memberId).execute();
}
