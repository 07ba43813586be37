import { z } from "zod";
import { collapseWhitespace, hasSpoofingCharacters, isCalendarDate, noControl, normaliseMultiline, type ParseResult, type FieldErrors } from "./validation";

// The zod building blocks of every form's and query's schema: used where requests are parsed,
// never by a module a component imports (the browser bundle has no zod).

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

/** An optional calendar day from a date input: "" or a real YYYY-MM-DD. */
export function optionalDay(message = "Enter a date as YYYY-MM-DD.") {
  return z
    .union([z.literal(""), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, message)])
    .optional()
    .default("")
    .refine((v) => v === "" || isCalendarDate(v), "That date does not exist.");
}

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
