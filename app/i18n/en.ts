/**
 * The English catalogue: every message id, which is its English text (ICU syntax for
 * placeholders and plurals). `npm run i18n` compiles it (only messages with placeholders
 * need compiling) and the French one into compiled.*.ts; tests/unit/i18n.test.ts fails when
 * a `t("…")` in app/ is missing here, a French translation is missing, or the compiled
 * files are stale.
 */
export const en: readonly string[] = [
];
