import { z } from "zod";

/** Collapses runs of white space (including newlines) to one space and trims. */
export const collapseWhitespace = (value: string) => value.replace(/\s+/g, " ").trim();

/** Normalises line endings and trims a multi-line text. */
export const normaliseMultiline = (value: string) => value.replace(/\r\n?/g, "\n").trim();

const noControl = (value: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(value);

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

/** A one-line text field: collapsed, then checked for length and control characters. */
export function singleLine(label: string, min: number, max: number, options: { name?: boolean } = {}) {
  return z
    .string({ required_error: `${label} is required.`, invalid_type_error: `${label} must be text.` })
    .transform(collapseWhitespace)
    .pipe(
      z
        .string()
        .refine(noControl, `${label} contains characters that are not allowed.`)
        .refine((v) => !hasSpoofingCharacters(v, options.name), `${label} contains invisible or direction-changing characters; please remove them.`)
        .refine((v) => v.length >= min, min <= 1 ? `${label} is required.` : `${label} needs at least ${min} characters.`)
        .refine((v) => v.length <= max, `${label} can be at most ${max} characters.`),
    );
}

/** Whether "YYYY-MM-DD" names a day that exists (2027-02-30 and 9999-99-99 do not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** An optional calendar day from a date input: "" or a real YYYY-MM-DD. */
export function optionalDay(message = "Enter a date as YYYY-MM-DD.") {
  return z
    .union([z.literal(""), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, message)])
    .optional()
    .default("")
    .refine((v) => v === "" || isCalendarDate(v), "That date does not exist.");
}

/** Today as YYYY-MM-DD in UTC. */
export const todayUtc = (now = new Date()) => now.toISOString().slice(0, 10);

/** A multi-line text field (Markdown): trimmed, then checked for length and control characters. */
export function multiLine(label: string, min: number, max: number) {
  return z
    .string({ required_error: `${label} is required.`, invalid_type_error: `${label} must be text.` })
    .transform(normaliseMultiline)
    .pipe(
      z
        .string()
        .refine(noControl, `${label} contains characters that are not allowed.`)
        .refine((v) => v.length >= min, min <= 1 ? `${label} is required.` : `${label} needs at least ${min} characters.`)
        .refine((v) => v.length <= max, `${label} can be at most ${max.toLocaleString("en")} characters.`),
    );
}

/** A positive database id from a form or URL. */
export const idSchema = z.coerce
  .number({ invalid_type_error: "Not a valid id." })
  .int("Not a valid id.")
  .positive("Not a valid id.")
  .max(2_147_483_647, "Not a valid id.");

export type FieldErrors = Record<string, string | undefined>;

export type ParseResult<T> =
  | { ok: true; data: T }
  | { ok: false; fieldErrors: FieldErrors; values: Record<string, string> };

/** Parses form data with a schema; on failure returns the first message per field and the values sent. */
export function parseForm<S extends z.ZodTypeAny>(schema: S, form: FormData): ParseResult<z.output<S>> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "form";
    fieldErrors[key] ??= issue.message;
  }
  // Passwords never travel back to the page.
  delete values.password;
  return { ok: false, fieldErrors, values };
}
