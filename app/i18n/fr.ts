/** The French catalogue: English id → French text (same placeholders). See en.ts. */
export const fr: Record<string, string> = {
};
