// The only module that imports lucia (upstream marks v3 deprecated; keep it swappable).
import { hash, verify } from "@node-rs/argon2";
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import type { Role } from "../../db/schema";
import type { DB } from "./db.server";
import { sql } from "kysely";
import { UNREAD_CAP } from "../models/notifications/notifications.server";

export interface CurrentMember {
  id: number;
  handle: string;
  displayName: string;
  role: Role;
  createdAt: Date;
  /** Set while the member is suspended (the far future for "indefinitely"). */
  suspendedUntil: Date | null;
  suspensionReason: string | null;
  /** The uploaded avatar's version, or null (initials). */
  avatarVersion: string | null;
  /** The language the member chose (null: follow the browser). */
  locale: string | null;
  /** Unread notifications, counted up to UNREAD_CAP + 1 (models/notifications), read with the session (the header shows them). */
  unread: number;
}

interface MemberAttributes {
  handle: string;
  display_name: string;
  role: Role;
  created_at: Date;
  suspended_until: Date | null;
  suspension_reason: string | null;
  avatar_version: string | null;
  locale: string | null;
  unread: number;
}

declare module "lucia" {
  interface Register {
    Lucia: Lucia<Record<never, never>, MemberAttributes>;
    UserId: number;
    DatabaseUserAttributes: MemberAttributes;
  }
}

/** Lucia's storage, on our own members and sessions tables through Kysely. */
class KyselyAdapter implements Adapter {
  constructor(private readonly db: DB) {}

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = await this.db
      .selectFrom("sessions")
      .innerJoin("members", "members.id", "sessions.member_id")
      .select([
        "sessions.id as session_id",
        "sessions.expires_at",
        "members.id as member_id",
        "members.handle",
        "members.display_name",
        "members.role",
        "members.created_at",
        // Read on every request, so a suspension applies to open sessions at once.
        "members.suspended_until",
        "members.suspension_reason",
        "members.avatar_version",
        "members.locale",
        // The header's count, in the same round trip (a partial index serves it).
        sql<string>`(select count(*) from (select 1 from notifications n
          where n.member_id = members.id and n.read_at is null limit ${UNREAD_CAP + 1}) unread)`.as("unread"),
      ])
      .where("sessions.id", "=", sessionId)
      .where("members.deleted_at", "is", null)
      .executeTakeFirst();
    if (!row) return [null, null];
    return [
      { id: row.session_id, userId: row.member_id, expiresAt: new Date(row.expires_at), attributes: {} },
      {
        id: row.member_id,
        attributes: {
          handle: row.handle,
          display_name: row.display_name,
          role: row.role,
          created_at: new Date(row.created_at),
          suspended_until: row.suspended_until && new Date(row.suspended_until) > new Date() ? new Date(row.suspended_until) : null,
          suspension_reason: row.suspension_reason,
          avatar_version: row.avatar_version,
          locale: row.locale,
          unread: Number(row.unread),
        },
      },
    ];
  }

  async getUserSessions(userId: number): Promise<DatabaseSession[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .select(["id", "expires_at"])
      .where("member_id", "=", userId)
      .execute();
    return rows.map((r) => ({ id: r.id, userId, expiresAt: new Date(r.expires_at), attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({ id: session.id, member_id: session.userId, expires_at: session.expiresAt })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db.updateTable("sessions").set({ expires_at: expiresAt }).where("id", "=", sessionId).execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("id", "=", sessionId).execute();
  }

  async deleteUserSessions(userId: number): Promise<void> {
    await this.db.deleteFrom("sessions").where("member_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.deleteFrom("sessions").where("expires_at", "<=", new Date()).execute();
  }
}

const instances = new WeakMap<DB, Lucia<Record<never, never>, MemberAttributes>>();

function lucia(db: DB) {
  let instance = instances.get(db);
  if (!instance) {
    instance = new Lucia(new KyselyAdapter(db), {
      sessionExpiresIn: new TimeSpan(30, "d"),
      sessionCookie: {
        name: "gs_session",
        expires: true,
        attributes: { secure: process.env.NODE_ENV === "production", sameSite: "lax", path: "/" },
      },
      getUserAttributes: (attributes) => attributes,
    });
    instances.set(db, instance);
  }
  return instance;
}

export interface SessionResolution {
  member: CurrentMember | null;
  sessionId: string | null;
  /** A cookie to send back: a refreshed session, or a blank one for a dead session. */
  setCookie: string | null;
}

/** Reads the session cookie and returns the signed-in member, if any. */
export async function resolveSession(db: DB, cookieHeader: string | null): Promise<SessionResolution> {
  const auth = lucia(db);
  let sessionId: string | null;
  try {
    sessionId = auth.readSessionCookie(cookieHeader ?? "");
  } catch {
    // A malformed Cookie header (a stray "%") is no session, not a server error.
    return { member: null, sessionId: null, setCookie: null };
  }
  if (!sessionId) return { member: null, sessionId: null, setCookie: null };
  const { session, user } = await auth.validateSession(sessionId);
  if (!session || !user) {
    return { member: null, sessionId: null, setCookie: auth.createBlankSessionCookie().serialize() };
  }
  return {
    member: {
      id: user.id,
      handle: user.handle,
      displayName: user.display_name,
      role: user.role,
      createdAt: user.created_at,
      suspendedUntil: user.suspended_until,
      suspensionReason: user.suspension_reason,
      avatarVersion: user.avatar_version,
      locale: user.locale,
      unread: user.unread,
    },
    sessionId: session.id,
    setCookie: session.fresh ? auth.createSessionCookie(session.id).serialize() : null,
  };
}

/** Starts a session for a member; returns the Set-Cookie value. */
export async function startSession(db: DB, memberId: number): Promise<string> {
  const auth = lucia(db);
  const session = await auth.createSession(memberId, {});
  return auth.createSessionCookie(session.id).serialize();
}

/** Ends a session; returns the Set-Cookie value that clears the cookie. */
export async function endSession(db: DB, sessionId: string | null): Promise<string> {
  const auth = lucia(db);
  if (sessionId) await auth.invalidateSession(sessionId);
  return auth.createBlankSessionCookie().serialize();
}

/** Ends every session of a member (password change, suspension, deletion). */
export async function endAllSessions(db: DB, memberId: number): Promise<void> {
  await lucia(db).invalidateUserSessions(memberId);
}

// OWASP's recommended argon2id parameters (19 MiB, 2 passes, 1 lane).
// algorithm 2 is Argon2id (the package exports it as a const enum, which isolatedModules cannot read).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

// Verified against when the e-mail is unknown, so both cases take the same time.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword("not-a-real-password");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
