import { z } from "zod";

/** Collapses runs of white space (including newlines) to one space and trims. */
export const collapseWhitespace = (value: string) => value.replace(/\s+/g, " ").trim();

/** Normalises line endings and trims a multi-line text. */
export const normaliseMultiline = (value: string) => value.replace(/\r\n?/g, "\n").trim();

const noControl = (value: string) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.test(value);

/** A one-line text field: collapsed, then checked for length and control characters. */
export function singleLine(label: string, min: number, max: number) {
  return z
    .string({ required_error: `${label} is required.`, invalid_type_error: `${label} must be text.` })
    .transform(collapseWhitespace)
    .pipe(
      z
        .string()
        .refine(noControl, `${label} contains characters that are not allowed.`)
        .refine((v) => v.length >= min, min <= 1 ? `${label} is required.` : `${label} needs at least ${min} characters.`)
        .refine((v) => v.length <= max, `${label} can be at most ${max} characters.`),
    );
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
