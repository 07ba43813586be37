import { z } from "zod";
import { DIGEST_FREQUENCIES, MAIL_CHOICES } from "../../../db/schema";
import { PREFERENCE_KINDS } from "../mail/kinds";
import { multiLine, singleLine } from "../shared/schemas.server";
import { PASSWORD_MAX, PASSWORD_MIN } from "./member";

// The sign-up, sign-in, password and account forms' schemas (no zod in the browser bundle).

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

const newPassword = password.refine((v) => v.length >= PASSWORD_MIN, `Password needs at least ${PASSWORD_MIN} characters.`);

export const forgotPasswordSchema = z.object({ email });
export const resetPasswordSchema = z.object({ password: newPassword });

const choice = z.enum(MAIL_CHOICES, { errorMap: () => ({ message: "Choose one of the options." }) });

/** The account page's forms, one per intent. */
export const accountSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("profile"), displayName: singleLine("Display name", 1, 60, { name: true }), bio: multiLine("Bio", 0, 500) }),
  z.object({ intent: z.literal("email"), email, currentPassword: password }),
  z.object({ intent: z.literal("password"), currentPassword: password, newPassword }),
  z.object({
    intent: z.literal("preferences"),
    digest: z.enum(DIGEST_FREQUENCIES, { errorMap: () => ({ message: "Choose daily or weekly." }) }),
    ...(Object.fromEntries(PREFERENCE_KINDS.map((k) => [k, choice])) as Record<(typeof PREFERENCE_KINDS)[number], typeof choice>),
  }),
  z.object({ intent: z.literal("sign-out-others") }),
  z.object({ intent: z.literal("resend-verification") }),
  z.object({ intent: z.literal("remove-avatar") }),
  // A checkbox: present ("on") when ticked, absent when not.
  z.object({ intent: z.literal("privacy"), showVotes: z.enum(["on"]).optional().transform((v) => v === "on") }),
]);
export type AccountInput = z.infer<typeof accountSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
