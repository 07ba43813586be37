// Pure text rules shared by the server and the pages; the zod schemas built on them are in
// schemas.server.ts (kept out of the browser bundle).

/** Collapses runs of white space (including newlines) to one space and trims. */
export const collapseWhitespace = (value: string) => value.replace(/\s+/g, " ").trim();

/** Normalises line endings and trims a multi-line text. */
export const normaliseMultiline = (value: string) => value.replace(/\r\n?/g, "\n").trim();

/** Whether a text has no control characters (tabs and line breaks are allowed). */
export const noControl = (value: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(value);

/**
 * Characters that change how the text around them reads without being seen: bidirectional
 * embeddings, overrides and isolates (a title that displays reversed), the zero-width space,
 * invisible operators and the byte-order mark. Refused in every one-line field.
 */
const SPOOFING = /[\u200B\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
/**
 * Names are how members recognise each other, so they also refuse the invisible marks that
 * some scripts use inside words (zero-width joiners, direction marks, the soft hyphen): a name
 * must look like what it is.
 */
const INVISIBLE_IN_NAMES = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
export const hasSpoofingCharacters = (value: string, strict = false) => (strict ? INVISIBLE_IN_NAMES : SPOOFING).test(value);

/** Whether "YYYY-MM-DD" names a day that exists (2027-02-30 and 9999-99-99 do not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** Today as YYYY-MM-DD in UTC. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

export type FieldErrors = Record<string, string | undefined>;

export type ParseResult<T> =
  | { ok: true; data: T }
  | { ok: false; fieldErrors: FieldErrors; values: Record<string, string> };
