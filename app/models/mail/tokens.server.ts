import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { EmailTokenPurpose } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { PREFERENCE_KINDS, type UnsubscribeKind } from "./kinds";

/** How long each kind of link works. */
export const TOKEN_LIFETIME_MINUTES: Record<EmailTokenPurpose, number> = {
  verify_email: 48 * 60,
  reset_password: 60,
};

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A token's shape (43 base64url characters): anything else is refused before the database is asked. */
export const isTokenShaped = (token: string | undefined): token is string => !!token && /^[A-Za-z0-9_-]{43}$/.test(token);

/**
 * Makes a single-use link token for a member and purpose and keeps only its
 * hash. Earlier unused tokens of the same purpose stop working: only the
 * newest link does. Runs in the caller's transaction.
 */
export async function issueEmailToken(trx: DB, input: { memberId: number; purpose: EmailTokenPurpose; email: string }): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await trx
    .updateTable("email_tokens")
    .set({ used_at: new Date() })
    .where("member_id", "=", input.memberId)
    .where("purpose", "=", input.purpose)
    .where("used_at", "is", null)
    .execute();
  await trx
    .insertInto("email_tokens")
    .values({
      member_id: input.memberId,
      purpose: input.purpose,
      token_hash: hashToken(token),
      email: input.email,
      expires_at: new Date(Date.now() + TOKEN_LIFETIME_MINUTES[input.purpose] * 60_000),
    })
    .execute();
  return token;
}

/** The member and address a still-valid token is for, without using it up (the page before the form). */
export async function peekEmailToken(db: DB, purpose: EmailTokenPurpose, token: string | undefined) {
  if (!isTokenShaped(token)) return null;
  const row = await db
    .selectFrom("email_tokens")
    .innerJoin("members", "members.id", "email_tokens.member_id")
    .select(["email_tokens.member_id", "email_tokens.email", "members.display_name"])
    .where("email_tokens.token_hash", "=", hashToken(token))
    .where("email_tokens.purpose", "=", purpose)
    .where("email_tokens.used_at", "is", null)
    .where("email_tokens.expires_at", ">", new Date())
    .where("members.deleted_at", "is", null)
    .executeTakeFirst();
  return row ? { memberId: row.member_id, email: row.email, displayName: row.display_name } : null;
}

/** Uses a token up, once: the member and address it was for, or null (unknown, used or expired). */
export async function consumeEmailToken(trx: DB, purpose: EmailTokenPurpose, token: string | undefined) {
  if (!isTokenShaped(token)) return null;
  const row = await trx
    .updateTable("email_tokens")
    .set({ used_at: new Date() })
    .where("token_hash", "=", hashToken(token))
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", new Date())
    .returning(["member_id", "email"])
    .executeTakeFirst();
  return row ? { memberId: row.member_id, email: row.email } : null;
}

// --- Signed unsubscribe links ---------------------------------------------------

const secrets = new WeakMap<DB, Promise<string>>();

/** The site's signing key, made once in the database so every app process signs alike. */
function signingKey(db: DB): Promise<string> {
  let key = secrets.get(db);
  if (!key) {
    key = (async () => {
      await db
        .insertInto("site_secrets")
        .values({ name: "unsubscribe", value: randomBytes(32).toString("hex") })
        .onConflict((oc) => oc.column("name").doNothing())
        .execute();
      const row = await db.selectFrom("site_secrets").select("value").where("name", "=", "unsubscribe").executeTakeFirstOrThrow();
      return row.value;
    })();
    key.catch(() => secrets.delete(db));
    secrets.set(db, key);
  }
  return key;
}

const mac = (key: string, payload: string) => createHmac("sha256", key).update(payload).digest("base64url").slice(0, 32);

/** A token that lets whoever holds the mail change this one kind for this member, without signing in. */
export async function unsubscribeToken(db: DB, memberId: number, kind: UnsubscribeKind): Promise<string> {
  const payload = `${memberId}.${kind}`;
  return `${payload}.${mac(await signingKey(db), payload)}`;
}

/** The member and kind a genuine unsubscribe token names, or null. */
export async function readUnsubscribeToken(db: DB, token: string | undefined): Promise<{ memberId: number; kind: UnsubscribeKind } | null> {
  const match = /^(\d{1,10})\.([a-z_]{1,40})\.([A-Za-z0-9_-]{32})$/.exec(token ?? "");
  if (!match) return null;
  const [, id, kind, signature] = match as unknown as [string, string, string, string];
  if (kind !== "digest" && !(PREFERENCE_KINDS as readonly string[]).includes(kind)) return null;
  const expected = Buffer.from(mac(await signingKey(db), `${id}.${kind}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const exists = await db.selectFrom("members").select("id").where("id", "=", Number(id)).where("deleted_at", "is", null).executeTakeFirst();
  return exists ? { memberId: exists.id, kind: kind as UnsubscribeKind } : null;
}

/** For the fan-out: signs many at once with one key read. */
export async function unsubscribeSigner(db: DB): Promise<(memberId: number, kind: UnsubscribeKind) => string> {
  const key = await signingKey(db);
  return (memberId, kind) => `${memberId}.${kind}.${mac(key, `${memberId}.${kind}`)}`;
}

