/** Tag slugs from a form: every "tags" value, validated and de-duplicated. */
export function parseTags(form: FormData): string[] | null {
  const values = form.getAll("tags").filter((v): v is string => typeof v === "string" && v !== "");
  if (values.length > 20) return null;
  if (!values.every((v) => /^[a-z0-9-]{1,40}$/.test(v))) return null;
  return [...new Set(values)];
}
