import { z } from "zod";
import { singleLine } from "../shared/validation";

export const PASSWORD_MIN = 8;
// Long passphrases are accepted in full; the cap only stops absurd payloads.
export const PASSWORD_MAX = 1000;

const email = z
  .string({ required_error: "E-mail is required." })
  .transform((v) => v.trim())
  .pipe(
    z
      .string()
      .min(1, "E-mail is required.")
      .max(254, "E-mail can be at most 254 characters.")
      .email("Enter an e-mail address like name@example.com."),
  );

const password = z
  .string({ required_error: "Password is required." })
  .min(1, "Password is required.")
  .max(PASSWORD_MAX, `Password can be at most ${PASSWORD_MAX} characters.`)
  .refine((v) => !v.includes("\u0000"), "Password contains characters that are not allowed.");

export const signUpSchema = z.object({
  displayName: singleLine("Display name", 1, 60, { name: true }),
  email,
  password: password.refine((v) => v.length >= PASSWORD_MIN, `Password needs at least ${PASSWORD_MIN} characters.`),
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({ email, password });
export type SignInInput = z.infer<typeof signInSchema>;

/** A handle (the /members/<handle> part) derived from a display name. */
export function handleFromName(displayName: string): string {
  const base = displayName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+/, "")
    .slice(0, 24)
    .replace(/_+$/, "");
  return base.length >= 3 ? base : `member_${base}`.replace(/_+$/, "");
}

export const memberPath = (member: { handle: string }) => `/members/${member.handle}`;
