import { sql } from "kysely";
import type { Role } from "../../db/schema";
import { hashPassword, verifyPassword } from "../lib/auth.server";
import type { DB } from "../lib/db.server";
import { DomainError, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { handleFromName, type SignInInput, type SignUpInput } from "./member";
import { consumeRateLimit, resetRateLimit } from "./rate-limits.server";
import { isModerator, type Actor } from "./permissions";

const isUniqueViolation = (error: unknown, constraint: string) =>
  typeof error === "object" && error !== null &&
  (error as { code?: string }).code === "23505" &&
  (error as { constraint?: string }).constraint === constraint;

/** Sign-in limits: per account and per client address, shared by all app processes. */
export const SIGN_IN_LIMITS = {
  account: { limit: 10, windowSeconds: 15 * 60 },
  client: { limit: 30, windowSeconds: 15 * 60 },
};
export const SIGN_UP_LIMIT = { limit: 10, windowSeconds: 60 * 60 };

/**
 * Creates a member with a unique handle and an argon2id password hash, and
 * records that they joined. Refuses an e-mail already in use with a 409.
 */
export async function signUp(
  db: DB,
  input: SignUpInput & { role?: Role; bio?: string; createdAt?: Date },
  client?: string,
): Promise<{ id: number; handle: string }> {
  if (client) await consumeRateLimit(db, `sign-up:client:${client}`, SIGN_UP_LIMIT, "Too many new accounts from here.");
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
        })
        .returning(["id", "handle"])
        .executeTakeFirstOrThrow();
      await appendEvent(trx, { type: "member.joined", actorId: member.id, memberId: member.id, at: input.createdAt });
      return member;
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

/**
 * Checks an e-mail and password. Counts the attempt against the account and
 * the client first, so guessing is throttled across every app process.
 */
export async function signIn(db: DB, input: SignInInput, client: string): Promise<{ id: number }> {
  const accountKey = `sign-in:account:${input.email.toLowerCase()}`;
  await consumeRateLimit(db, `sign-in:client:${client}`, SIGN_IN_LIMITS.client, "Too many sign-in attempts from here.");
  await consumeRateLimit(db, accountKey, SIGN_IN_LIMITS.account, "Too many sign-in attempts for this account.");
  const member = await db
    .selectFrom("members")
    .select(["id", "password_hash"])
    .where(sql`lower(email)`, "=", input.email.toLowerCase())
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  const ok = await verifyPassword(member?.password_hash ?? null, input.password);
  if (!member || !ok) throw new DomainError(400, "That e-mail and password do not match an account.", "form");
  await resetRateLimit(db, accountKey);
  return { id: member.id };
}

const PROFILE_LIST_SIZE = 20;

/**
 * A member's public page: who they are, their latest ideas and comments.
 * Posts a moderator hid are left out unless the viewer is the member or a moderator.
 */
export async function getMemberProfile(db: DB, handle: string, viewer: Actor | null = null) {
  const member = await db
    .selectFrom("members")
    .select(["id", "handle", "display_name", "role", "bio", "created_at", "suspended_until", "suspension_reason", "moderation", "moderation_reason"])
    .where("handle", "=", handle)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!member) throw notFound("That member");
  const seesAll = !!viewer && (viewer.id === member.id || isModerator(viewer.role));

  const [ideas, comments, counts] = await Promise.all([
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
      .select([
        "comments.id",
        "comments.body_html",
        "comments.created_at",
        "ideas.id as idea_id",
        "ideas.title as idea_title",
      ])
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
  return {
    member: profileHidden ? { ...member, bio: "" } : member,
    profileHidden,
    ideas,
    comments,
    counts: { ideas: Number(counts.ideas), comments: Number(counts.comments), votes: Number(counts.votes) },
  };
}

/** Whether the demo sign-ins exist (the sign-in page lists them then). */
export async function hasDemoAccounts(db: DB): Promise<boolean> {
  const row = await db
    .selectFrom("members")
    .select("id")
    .where("email", "=", "member@example.com")
    .executeTakeFirst();
  return !!row;
}
