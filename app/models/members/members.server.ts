import { sql } from "kysely";
import type { Role } from "../../../db/schema";
import { hashPassword, verifyPassword } from "../../lib/auth.server";
import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { mailExistingAccount, memberByAddress, resendSignUpLink, sendVerification } from "./account.server";
import { mailTransportKind } from "../../lib/mail.server";
import { allowed, assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { consumeRateLimit, resetRateLimit } from "../shared/rate-limits.server";
import { getStandings, pointsBreakdown } from "../engagement/rank.server";
import { badgesOf } from "../engagement/badges.server";
import { listImpact, memberTimeline } from "../engagement/impact.server";
import { handleFromName } from "./member";
import type { SignInInput, SignUpInput } from "./schemas.server";

const isUniqueViolation = (error: unknown, constraint: string) =>
  typeof error === "object" && error !== null &&
  (error as { code?: string }).code === "23505" &&
  (error as { constraint?: string }).constraint === constraint;

/**
 * Sign-in limits, shared by all app processes. Wrong passwords are counted per
 * account *and client*, so someone guessing from one address cannot lock the
 * real owner out from theirs; a much higher per-account limit across all
 * addresses slows a distributed guess; and each client address has its own.
 */
export const SIGN_IN_LIMITS = {
  accountFromClient: { limit: 10, windowSeconds: 15 * 60 },
  account: { limit: 100, windowSeconds: 60 * 60 },
  client: { limit: 30, windowSeconds: 15 * 60 },
};
/** New accounts per client address per hour (SIGN_UPS_PER_HOUR_PER_CLIENT; an office behind one address may need more). */
let signUpLimit = { limit: 10, windowSeconds: 60 * 60 };
export function configureSignUpLimit(perHour: number): void {
  signUpLimit = { limit: perHour, windowSeconds: 60 * 60 };
}

/** Sign-in attempts per client address per 15 minutes (SIGN_INS_PER_15_MIN_PER_CLIENT, default 30). */
export function configureSignInClientLimit(per15Minutes: number): void {
  SIGN_IN_LIMITS.client = { limit: per15Minutes, windowSeconds: 15 * 60 };
}

/** The actor for a member id (jobs, scripts and tests act for members this way). */
export async function loadActor(db: DB, memberId: number): Promise<Actor> {
  const row = await db
    .selectFrom("members")
    .select(["id", "role", "created_at", "suspended_until", "suspension_reason"])
    .where("id", "=", memberId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!row) throw notFound("That member");
  const until = row.suspended_until ? new Date(row.suspended_until) : null;
  return {
    id: row.id,
    role: row.role,
    createdAt: new Date(row.created_at),
    suspendedUntil: until && until > new Date() ? until : null,
    suspensionReason: until && until > new Date() ? row.suspension_reason : null,
  };
}

/**
 * Creates a member with a unique handle and an argon2id password hash, and
 * records that they joined. Refuses an e-mail already in use with a 409.
 */
export async function signUp(
  db: DB,
  input: SignUpInput & { role?: Role; bio?: string; createdAt?: Date; /** Seeds and imports: the address is known good (no mail). */ emailVerified?: boolean },
  client?: string,
): Promise<{ id: number; handle: string }> {
  if (client) await consumeRateLimit(db, `sign-up:client:${client}`, signUpLimit, "Too many new accounts from here.");
  const passwordHash = await hashPassword(input.password);
  const base = handleFromName(input.displayName);
  const taken = await db
    .selectFrom("members")
    .select("handle")
    .where("handle", "like", `${base}%`)
    .execute()
    .then((rows) => new Set(rows.map((r) => r.handle)));
  let handle = base;
  for (let n = 2; taken.has(handle); n++) handle = `${base}${n}`;

  try {
    return await db.transaction().execute(async (trx) => {
      const member = await trx
        .insertInto("members")
        .values({
          handle,
          display_name: input.displayName,
          email: input.email,
          password_hash: passwordHash,
          role: input.role ?? "member",
          bio: input.bio ?? "",
          created_at: input.createdAt ?? new Date(),
          email_verified_at: input.emailVerified ? (input.createdAt ?? new Date()) : null,
        })
        .returning(["id", "handle", "role"])
        .executeTakeFirstOrThrow();
      await emit(trx, { type: "member.joined", actor: member, memberId: member.id, payload: {}, at: input.createdAt });
      // The link commits with the account: a failed sign-up mails nothing.
      if (!input.emailVerified) await sendVerification(trx, { id: member.id, displayName: input.displayName }, input.email, false);
      return { id: member.id, handle: member.handle };
    });
  } catch (error) {
    if (isUniqueViolation(error, "members_email_key")) {
      throw new DomainError(409, "An account with this e-mail already exists. Sign in instead?", "email");
    }
    if (isUniqueViolation(error, "members_handle_key")) {
      // Two sign-ups raced for the same handle: the next attempt picks another.
      return signUp(db, input);
    }
    throw error;
  }
}

/** What the Join form leads to: a link to confirm by mail, or (on a site that cannot mail) a member signed in at once. */
export type JoinResult = { confirm: true } | { confirm: false; id: number; handle: string };

/**
 * The Join form. When the site can send mail, joining is confirmed by a link:
 * a new address gets an account (unconfirmed, it cannot sign in yet) and the
 * link; an address that already has an account gets a mail saying so, with
 * ways in. The answer is the same either way, and both ways hash the password,
 * so the form tells nobody which addresses have accounts. A site with no mail
 * at all (production without SMTP_URL) signs the new member in at once and
 * must refuse a taken address openly. See docs/decisions/005-sessions-and-request-security.md.
 */
export async function requestSignUp(db: DB, input: SignUpInput, client: string): Promise<JoinResult> {
  if (mailTransportKind() === "none") {
    const member = await signUp(db, input, client);
    return { confirm: false, ...member };
  }
  await consumeRateLimit(db, `sign-up:client:${client}`, signUpLimit, "Too many new accounts from here.");
  const existing = await memberByAddress(db, input.email);
  if (!existing) {
    try {
      await signUp(db, input);
      return { confirm: true };
    } catch (error) {
      // Someone joined with this address a moment ago: treat it as taken.
      if (!(error instanceof DomainError && error.status === 409)) throw error;
    }
  } else {
    await hashPassword(input.password); // the same work as a new account, so timing tells nothing either
  }
  await mailExistingAccount(db, input.email);
  return { confirm: true };
}

/**
 * Checks an e-mail and password. Counts the attempt first (per client, per
 * account and client, per account), so guessing is throttled across every app
 * process; a success clears only this client's count for the account.
 */
export async function signIn(db: DB, input: SignInInput, client: string): Promise<{ id: number }> {
  const email = input.email.toLowerCase();
  const pairKey = `sign-in:account-client:${email}:${client}`;
  await consumeRateLimit(db, `sign-in:client:${client}`, SIGN_IN_LIMITS.client, "Too many sign-in attempts from here.");
  await consumeRateLimit(db, pairKey, SIGN_IN_LIMITS.accountFromClient, "Too many sign-in attempts for this account.");
  await consumeRateLimit(db, `sign-in:account:${email}`, SIGN_IN_LIMITS.account, "Too many sign-in attempts for this account.");
  const member = await db
    .selectFrom("members")
    .select(["id", "password_hash", "display_name", "email", "email_verified_at"])
    .where(sql`lower(email)`, "=", email)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  const ok = await verifyPassword(member?.password_hash ?? null, input.password);
  if (!member || !ok) throw new DomainError(400, "That e-mail and password do not match an account.", "form");
  await resetRateLimit(db, pairKey);
  // Joining is finished by the link in the mail (only someone who knows the password hears this).
  if (!member.email_verified_at && mailTransportKind() !== "none") {
    await resendSignUpLink(db, { id: member.id, displayName: member.display_name }, member.email);
    throw new DomainError(
      403,
      `Please confirm your e-mail address first: we have sent the link to ${member.email} again. It works for 48 hours.`,
      "form",
    );
  }
  return { id: member.id };
}

/** Admins change roles; an admin cannot change their own (someone must remain to undo it). */
export async function changeRole(db: DB, actor: Actor | null, input: { memberId: number; role: Role }) {
  return db.transaction().execute(async (trx) => {
    const member = await trx.selectFrom("members").select(["id", "role"]).where("id", "=", input.memberId).forUpdate().executeTakeFirst();
    if (!member) throw notFound("That member");
    assertCan(actor, "member.change_role", { id: member.id });
    if (member.role === input.role) return;
    await trx.updateTable("members").set({ role: input.role }).where("id", "=", member.id).execute();
    await emit(trx, { type: "member.role_changed", actor, memberId: member.id, payload: { from: member.role, to: input.role } });
  });
}

const PROFILE_LIST_SIZE = 20;

/**
 * A member's public page as the viewer may see it: who they are, their latest
 * ideas and comments. Posts a moderator hid are left out, and a suspension is
 * not shown, unless the viewer is the member or a moderator.
 */
export async function getMemberProfile(db: DB, viewer: Actor | null, handle: string, options: { timelineBefore?: string | null } = {}) {
  const member = await db
    .selectFrom("members")
    .select(["id", "handle", "display_name", "role", "bio", "created_at", "suspended_until", "suspension_reason", "moderation", "moderation_reason", "avatar_version", "show_votes"])
    .where("handle", "=", handle)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!member) throw notFound("That member");
  const seesAll = allowed(viewer, "idea.view_hidden", { authorId: member.id });

  const [standings, breakdown, badges, impact, timeline, ideas, comments, counts] = await Promise.all([
    getStandings(db, member.id),
    pointsBreakdown(db, member.id),
    badgesOf(db, member.id),
    listImpact(db, member.id),
    memberTimeline(db, viewer, member.id, options.timelineBefore ?? null, { votes: member.show_votes }),
    db
      .selectFrom("ideas")
      .select(["id", "title", "status", "score", "comment_count", "created_at"])
      .where("author_id", "=", member.id)
      .where("status", "<>", "duplicate")
      .$if(!seesAll, (q) => q.where("moderation", "=", "visible"))
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(PROFILE_LIST_SIZE)
      .execute(),
    db
      .selectFrom("comments")
      .innerJoin("ideas", "ideas.id", "comments.idea_id")
      .select(["comments.id", "comments.body_html", "comments.created_at", "ideas.id as idea_id", "ideas.title as idea_title"])
      .where("comments.author_id", "=", member.id)
      .where("comments.deleted_at", "is", null)
      .$if(!seesAll, (q) => q.where("comments.moderation", "=", "visible").where("ideas.moderation", "=", "visible"))
      .orderBy("comments.id", "desc")
      .limit(PROFILE_LIST_SIZE)
      .execute(),
    db
      .selectNoFrom((eb) => [
        eb.selectFrom("ideas").select(eb.fn.countAll<number>().as("n")).where("author_id", "=", member.id).as("ideas"),
        eb
          .selectFrom("comments")
          .select(eb.fn.countAll<number>().as("n"))
          .where("author_id", "=", member.id)
          .where("deleted_at", "is", null)
          .as("comments"),
        eb.selectFrom("votes").select(eb.fn.countAll<number>().as("n")).where("member_id", "=", member.id).as("votes"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const profileHidden = member.moderation !== "visible" && !seesAll;
  const suspended = !!member.suspended_until && new Date(member.suspended_until) > new Date();
  return {
    member: {
      ...member,
      bio: profileHidden ? "" : member.bio,
      // A profile moderation hid shows no photo either.
      avatar_version: profileHidden ? null : member.avatar_version,
      // Suspensions are shown to moderators and the member themselves only.
      suspended_until: seesAll && suspended ? member.suspended_until : null,
      suspension_reason: seesAll && suspended ? member.suspension_reason : null,
    },
    profileHidden,
    standings,
    breakdown,
    badges,
    impact,
    timeline,
    ideas,
    comments,
    counts: { ideas: Number(counts.ideas), comments: Number(counts.comments), votes: Number(counts.votes) },
  };
}

/** Whether the demo sign-ins exist (the sign-in page lists them then). */
export async function hasDemoAccounts(db: DB): Promise<boolean> {
  const row = await db.selectFrom("members").select("id").where("email", "=", "member@example.com").executeTakeFirst();
  return !!row;
}

/**
 * Members whose handle or display name starts with `prefix` (for "@" while
 * typing a comment), served by the two prefix indexes; at most 8.
 */
export async function suggestMembers(db: DB, prefix: string): Promise<{ handle: string; displayName: string }[]> {
  const q = prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  if (!q) return [];
  const [byHandle, byName] = await Promise.all([
    db.selectFrom("members").select(["handle", "display_name"]).where("handle", "like", `${q}%`).where("deleted_at", "is", null).orderBy("handle").limit(8).execute(),
    db.selectFrom("members").select(["handle", "display_name"]).where(sql`lower(display_name)`, "like", `${q}%`).where("deleted_at", "is", null).orderBy(sql`lower(display_name)`).limit(8).execute(),
  ]);
  const seen = new Map<string, string>();
  for (const m of [...byHandle, ...byName]) if (!seen.has(m.handle)) seen.set(m.handle, m.display_name);
  return [...seen].slice(0, 8).map(([handle, displayName]) => ({ handle, displayName }));
}
