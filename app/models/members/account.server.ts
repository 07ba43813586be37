import { sql } from "kysely";
import type { DigestFrequency, MailChoice } from "../../../db/schema";
import { endAllSessions, hashPassword, verifyPassword } from "../../lib/auth.server";
import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { DEFAULT_CHOICES, PREFERENCE_KINDS, type PreferenceKind, type UnsubscribeKind } from "../mail/kinds";
import { mailAccount, mailBrand, siteLink } from "../mail/mail.server";
import { TOKEN_LIFETIME_MINUTES, consumeEmailToken, issueEmailToken, readUnsubscribeToken } from "../mail/tokens.server";
import { assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { consumeRateLimit, withinRateLimit } from "../shared/rate-limits.server";
import { isProfileComplete } from "./avatar";

/**
 * The member's own account: verification and reset links, profile, e-mail,
 * password, sessions and mail preferences. See docs/decisions/014-email.md.
 */

export const RESET_LIMITS = {
  client: { limit: 10, windowSeconds: 15 * 60 },
  address: { limit: 3, windowSeconds: 60 * 60 },
};
/** Verification mails a member may ask for (sign-up's own is not counted). */
export const VERIFY_LIMIT = { limit: 5, windowSeconds: 60 * 60 };

const isUniqueViolation = (error: unknown) => typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";

/** Queues a verification link to `email` for the member (sign-up, a changed address, a resend). */
export async function sendVerification(trx: DB, member: { id: number; displayName: string }, email: string, change: boolean): Promise<void> {
  const token = await issueEmailToken(trx, { memberId: member.id, purpose: "verify_email", email });
  const url = siteLink(`/verify-email/${token}`);
  const hours = TOKEN_LIFETIME_MINUTES.verify_email / 60;
  const siteName = (await mailBrand(trx)).siteName;
  await mailAccount(trx, {
    memberId: member.id,
    kind: "verify_email",
    key: `verify:${member.id}:${token.slice(0, 16)}`,
    to: email,
    content: {
      subject: change ? `Confirm your new e-mail address for ${siteName}` : `Confirm your e-mail address for ${siteName}`,
      heading: change ? "Confirm your new e-mail address" : `Welcome to ${siteName}, ${member.displayName}`,
      paragraphs: [
        change
          ? `Please confirm that ${email} is yours. Until you do, we keep writing to your current address.`
          : "Please confirm your e-mail address, so that we can tell you when ideas you back are answered.",
        `The link works once, for ${hours} hours. If you did not ask for this, ignore this mail.`,
      ],
      action: { label: "Confirm my address", url },
    },
  });
}

/** The (not deleted) member an e-mail address belongs to, in any case. */
export function memberByAddress(db: DB, address: string) {
  return db
    .selectFrom("members")
    .select(["id", "display_name", "email"])
    .where(sql`lower(email)`, "=", address.toLowerCase())
    .where("deleted_at", "is", null)
    .executeTakeFirst();
}

/**
 * Join with an address that already has an account: the address's owner is
 * told, with ways in. At most three such mails an hour per address, so the
 * Join form cannot be used to flood someone's inbox (past that, nothing is sent
 * and the form still answers as always).
 */
export async function mailExistingAccount(db: DB, address: string): Promise<void> {
  const email = address.toLowerCase();
  if (!(await withinRateLimit(db, `sign-up:taken:${email}`, RESET_LIMITS.address))) return;
  await db.transaction().execute(async (trx) => {
    const member = await memberByAddress(trx, email);
    if (!member) return;
    const siteName = (await mailBrand(trx)).siteName;
    await mailAccount(trx, {
      memberId: member.id,
      kind: "sign_up_exists",
      key: `taken:${member.id}:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`,
      to: member.email,
      content: {
        subject: `You already have a ${siteName} account`,
        heading: `You already have an account, ${member.display_name}`,
        paragraphs: [
          `Someone (we hope you) tried to join ${siteName} with ${member.email}, which already belongs to your account. No new account was made.`,
          `Sign in with your password. If you have forgotten it, choose a new one here: ${siteLink("/forgot-password")}`,
          "If it was not you, ignore this mail: nothing has changed.",
        ],
        action: { label: "Sign in", url: siteLink("/login") },
      },
    });
  });
}

/** Signing in before confirming: the sign-up link again (at most VERIFY_LIMIT an hour; past that, the last one still works). */
export async function resendSignUpLink(db: DB, member: { id: number; displayName: string }, email: string): Promise<void> {
  if (!(await withinRateLimit(db, `verify-mail:member:${member.id}`, VERIFY_LIMIT))) return;
  await db.transaction().execute((trx) => sendVerification(trx, member, email, false));
}

/** Uses a verification link: the address becomes the member's, verified. */
/** `joined`: this link finished a sign-up (the address was not confirmed before), so the caller signs the member in. */
export async function verifyEmail(db: DB, token: string): Promise<{ memberId: number; changed: boolean; joined: boolean; displayName: string }> {
  try {
    return await db.transaction().execute(async (trx) => {
      const used = await consumeEmailToken(trx, "verify_email", token);
      if (!used) throw new DomainError(409, "This link has expired or was already used. Sign in and ask for a new one on your account page.");
      const member = await trx
        .selectFrom("members")
        .select(["id", "role", "email", "email_verified_at", "display_name"])
        .where("id", "=", used.memberId)
        .where("deleted_at", "is", null)
        .forUpdate()
        .executeTakeFirst();
      if (!member) throw notFound("That account");
      const changed = member.email.toLowerCase() !== used.email.toLowerCase();
      await trx.updateTable("members").set({ email: used.email, email_verified_at: new Date() }).where("id", "=", member.id).execute();
      await emit(trx, { type: "member.email_verified", actor: member, memberId: member.id, payload: { via: changed ? "change" : "sign_up" } });
      return { memberId: member.id, changed, joined: !changed && !member.email_verified_at, displayName: member.display_name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(409, "That address now belongs to another account.");
    throw error;
  }
}

/**
 * "Forgot your password?": mails a reset link if an account has this address.
 * The answer is the same whether or not one does; the attempt counts against
 * the client and the address either way.
 */
export async function requestPasswordReset(db: DB, input: { email: string }, client: string): Promise<void> {
  const email = input.email.toLowerCase();
  await consumeRateLimit(db, `reset:client:${client}`, RESET_LIMITS.client, "Too many reset requests from here.");
  await consumeRateLimit(db, `reset:address:${email}`, RESET_LIMITS.address, "Too many reset requests for this address.");
  await db.transaction().execute(async (trx) => {
    const member = await memberByAddress(trx, email);
    if (!member) return;
    const token = await issueEmailToken(trx, { memberId: member.id, purpose: "reset_password", email: member.email });
    const siteName = (await mailBrand(trx)).siteName;
    await mailAccount(trx, {
      memberId: member.id,
      kind: "reset_password",
      key: `reset:${member.id}:${token.slice(0, 16)}`,
      to: member.email,
      content: {
        subject: `Reset your ${siteName} password`,
        heading: "Reset your password",
        paragraphs: [
          `Someone (we hope you) asked to reset the password of your ${siteName} account, ${member.display_name}.`,
          "The link works once, for one hour. Choosing a new password signs you out everywhere else. If you did not ask for this, ignore this mail: your password stays as it is.",
        ],
        action: { label: "Choose a new password", url: siteLink(`/reset-password/${token}`) },
      },
    });
  });
}

/** Uses a reset link: a new password, every session ended (the caller starts a new one). */
export async function resetPassword(db: DB, input: { token: string; password: string }): Promise<{ memberId: number }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const used = await consumeEmailToken(trx, "reset_password", input.token);
    if (!used) throw new DomainError(409, "This link has expired or was already used. Ask for a new one.");
    const member = await trx.selectFrom("members").select(["id", "role", "email"]).where("id", "=", used.memberId).where("deleted_at", "is", null).executeTakeFirst();
    if (!member) throw notFound("That account");
    // The link reached this address, so it is the member's.
    const verified = member.email.toLowerCase() === used.email.toLowerCase();
    await trx
      .updateTable("members")
      .set({ password_hash: passwordHash, ...(verified ? { email_verified_at: sql<Date>`coalesce(email_verified_at, now())` } : {}) })
      .where("id", "=", member.id)
      .execute();
    await endAllSessions(trx, member.id);
    await emit(trx, { type: "member.password_changed", actor: member, memberId: member.id, payload: { via: "reset" } });
    return { memberId: member.id };
  });
}

/** What the account page shows. */
export async function getAccount(db: DB, actor: Actor, currentSessionId: string | null) {
  assertCan(actor, "account.manage", { memberId: actor.id });
  const [member, pending, prefs, sessions] = await Promise.all([
    db
      .selectFrom("members")
      .select(["handle", "display_name", "bio", "email", "email_verified_at", "digest", "avatar_version", "show_votes"])
      .where("id", "=", actor.id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("email_tokens")
      .select(["email", "expires_at"])
      .where("member_id", "=", actor.id)
      .where("purpose", "=", "verify_email")
      .where("used_at", "is", null)
      .where("expires_at", ">", new Date())
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst(),
    db.selectFrom("mail_preferences").select(["kind", "choice"]).where("member_id", "=", actor.id).execute(),
    db.selectFrom("sessions").select(["id", "created_at", "expires_at"]).where("member_id", "=", actor.id).where("expires_at", ">", new Date()).orderBy("created_at", "desc").limit(50).execute(),
  ]);
  const choices = { ...DEFAULT_CHOICES };
  for (const p of prefs) if ((PREFERENCE_KINDS as readonly string[]).includes(p.kind)) choices[p.kind as PreferenceKind] = p.choice;
  return {
    handle: member.handle,
    displayName: member.display_name,
    bio: member.bio,
    avatarVersion: member.avatar_version,
    showVotes: member.show_votes,
    email: member.email,
    verified: member.email_verified_at !== null,
    pendingEmail: pending && pending.email.toLowerCase() !== member.email.toLowerCase() ? pending.email : null,
    digest: member.digest,
    choices,
    // Session ids are secrets: the page gets only when each began and whether it is this one.
    sessions: sessions.map((s) => ({
      current: s.id === currentSessionId,
      createdAt: new Date(s.created_at).toISOString(),
      expiresAt: new Date(s.expires_at).toISOString(),
    })),
  };
}

export async function updateProfile(db: DB, actor: Actor, input: { displayName: string; bio: string }): Promise<void> {
  assertCan(actor, "profile.edit", { memberId: actor.id });
  await db.transaction().execute(async (trx) => {
    // Locked, so the completeness the event records is the one this edit commits (an upload may run alongside).
    const row = await trx
      .updateTable("members")
      .set({ display_name: input.displayName, bio: input.bio })
      .where("id", "=", actor.id)
      .returning(["bio", "avatar_version"])
      .executeTakeFirstOrThrow();
    const profileComplete = isProfileComplete({ bio: row.bio, avatarVersion: row.avatar_version });
    await emit(trx, { type: "member.profile_edited", actor, memberId: actor.id, payload: { profileComplete } });
  });
}

async function checkPassword(db: DB, memberId: number, password: string, field: string) {
  const row = await db.selectFrom("members").select("password_hash").where("id", "=", memberId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, password))) throw new DomainError(400, "That is not your current password.", field);
}

/**
 * A new address: a verification link goes there; the address changes when it
 * is used (until then mail keeps going to the current one). Needs the password.
 */
export async function requestEmailChange(db: DB, actor: Actor, input: { email: string; currentPassword: string }): Promise<void> {
  assertCan(actor, "account.manage", { memberId: actor.id });
  await consumeRateLimit(db, `verify-mail:member:${actor.id}`, VERIFY_LIMIT, "Too many verification mails asked for.");
  await checkPassword(db, actor.id, input.currentPassword, "currentPassword");
  const member = await db.selectFrom("members").select(["email", "display_name"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
  if (member.email.toLowerCase() === input.email.toLowerCase()) throw new DomainError(400, "That is already your address.", "email");
  const taken = await db.selectFrom("members").select("id").where(sql`lower(email)`, "=", input.email.toLowerCase()).executeTakeFirst();
  if (taken) throw new DomainError(409, "Another account uses this address.", "email");
  await db.transaction().execute((trx) => sendVerification(trx, { id: actor.id, displayName: member.display_name }, input.email, true));
}

/** Another verification mail to the current address (or to the pending new one). */
export async function resendVerification(db: DB, actor: Actor): Promise<string> {
  assertCan(actor, "account.manage", { memberId: actor.id });
  const member = await db.selectFrom("members").select(["email", "display_name", "email_verified_at"]).where("id", "=", actor.id).executeTakeFirstOrThrow();
  if (member.email_verified_at) throw new DomainError(409, "Your address is already confirmed.");
  await consumeRateLimit(db, `verify-mail:member:${actor.id}`, VERIFY_LIMIT, "Too many verification mails asked for.");
  await db.transaction().execute((trx) => sendVerification(trx, { id: actor.id, displayName: member.display_name }, member.email, false));
  return member.email;
}

/** A new password (the current one required); every other session is signed out. */
export async function changePassword(db: DB, actor: Actor, sessionId: string | null, input: { currentPassword: string; newPassword: string }): Promise<void> {
  assertCan(actor, "account.manage", { memberId: actor.id });
  await checkPassword(db, actor.id, input.currentPassword, "currentPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("members").set({ password_hash: passwordHash }).where("id", "=", actor.id).execute();
    await endOtherSessionsIn(trx, actor.id, sessionId);
    await emit(trx, { type: "member.password_changed", actor, memberId: actor.id, payload: { via: "account" } });
  });
}

async function endOtherSessionsIn(db: DB, memberId: number, keep: string | null): Promise<number> {
  let q = db.deleteFrom("sessions").where("member_id", "=", memberId);
  if (keep) q = q.where("id", "!=", keep);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** "Sign out everywhere else": every session but this one ends. */
export async function endOtherSessions(db: DB, actor: Actor, sessionId: string | null): Promise<number> {
  assertCan(actor, "account.manage", { memberId: actor.id });
  return endOtherSessionsIn(db, actor.id, sessionId);
}

/** "Show my votes on my public page": off by default; the timeline lists up-votes while it is on. */
export async function setVoteVisibility(db: DB, actor: Actor, input: { showVotes: boolean }): Promise<void> {
  assertCan(actor, "profile.edit", { memberId: actor.id });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("members").set({ show_votes: input.showVotes }).where("id", "=", actor.id).execute();
    await emit(trx, { type: "member.votes_visibility_changed", actor, memberId: actor.id, payload: { showVotes: input.showVotes } });
  });
}

/** Sets the member's choice for each kind and the digest's frequency. */
export async function setMailPreferences(
  db: DB,
  actor: Actor,
  input: { digest: DigestFrequency; choices: Partial<Record<PreferenceKind, MailChoice>> },
): Promise<void> {
  assertCan(actor, "account.manage", { memberId: actor.id });
  await db.transaction().execute(async (trx) => {
    await writeChoices(trx, actor.id, input.choices);
    await trx.updateTable("members").set({ digest: input.digest }).where("id", "=", actor.id).execute();
    await emit(trx, { type: "member.mail_preferences_changed", actor, memberId: actor.id, payload: {} });
  });
}

async function writeChoices(trx: DB, memberId: number, choices: Partial<Record<PreferenceKind, MailChoice>>) {
  const rows = Object.entries(choices).map(([kind, choice]) => ({ member_id: memberId, kind, choice: choice as MailChoice, updated_at: new Date() }));
  if (!rows.length) return;
  await trx
    .insertInto("mail_preferences")
    .values(rows)
    .onConflict((oc) => oc.columns(["member_id", "kind"]).doUpdateSet((eb) => ({ choice: eb.ref("excluded.choice"), updated_at: eb.ref("excluded.updated_at") })))
    .execute();
}

/** The unsubscribe page: whose link it is and their choice for its kind. */
export async function readUnsubscribeLink(db: DB, token: string | undefined) {
  const link = await readUnsubscribeToken(db, token);
  if (!link) return null;
  if (link.kind === "digest") {
    const inDigest = await db.selectFrom("mail_preferences").select("kind").where("member_id", "=", link.memberId).where("choice", "=", "digest").execute();
    return { ...link, choice: (inDigest.length ? "digest" : "in_app") as MailChoice };
  }
  const row = await db.selectFrom("mail_preferences").select("choice").where("member_id", "=", link.memberId).where("kind", "=", link.kind).executeTakeFirst();
  return { ...link, choice: row?.choice ?? DEFAULT_CHOICES[link.kind] };
}

/**
 * A choice made through an unsubscribe link (no sign-in: the signed token is
 * the permission, for this member and this kind only). One-click (RFC 8058)
 * chooses "in the app only": no more e-mail of that kind.
 */
export async function chooseByLink(db: DB, token: string | undefined, choice: MailChoice): Promise<{ kind: UnsubscribeKind; choice: MailChoice }> {
  const link = await readUnsubscribeToken(db, token);
  if (!link) throw new DomainError(404, "This unsubscribe link is not valid. Sign in to change your e-mail preferences.");
  const member = await db.selectFrom("members").select(["id", "role"]).where("id", "=", link.memberId).executeTakeFirstOrThrow();
  await db.transaction().execute(async (trx) => {
    if (link.kind === "digest") {
      // The digest's link: every kind now in the digest takes the choice (choosing "digest" keeps them).
      if (choice !== "digest") {
        await trx.updateTable("mail_preferences").set({ choice, updated_at: new Date() }).where("member_id", "=", link.memberId).where("choice", "=", "digest").execute();
      }
    } else {
      await writeChoices(trx, link.memberId, { [link.kind]: choice });
    }
    await emit(trx, { type: "member.mail_preferences_changed", actor: member, memberId: link.memberId, payload: {} });
  });
  return { kind: link.kind, choice };
}
