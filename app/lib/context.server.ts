import { resolveSession, type CurrentMember } from "./auth.server";
import type { DB } from "./db.server";

/** What every loader and action receives as `context`. */
export interface AppContext {
  db: DB;
  member: CurrentMember | null;
  sessionId: string | null;
  /** The client's address, for per-client limits. */
  client: string;
  /** The Content-Security-Policy nonce of this response. */
  nonce: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}

/**
 * Builds the request context: resolves the session cookie to a member. The
 * server entry and the integration tests both go through here.
 */
export async function buildContext(
  db: DB,
  cookieHeader: string | null,
  extra: { client: string; nonce: string },
): Promise<{ context: AppContext; setCookie: string | null }> {
  const session = await resolveSession(db, cookieHeader);
  return {
    context: { db, member: session.member, sessionId: session.sessionId, ...extra },
    setCookie: session.setCookie,
  };
}
