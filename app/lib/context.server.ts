import { resolveSession, type CurrentMember } from "./auth.server";
import type { DB } from "./db.server";
import { negotiateLocale, type Locale } from "../i18n/locales";
import { uncachedReference, type ReferenceReader } from "./reference-cache.server";

/** What every loader and action receives as `context`. */
export interface AppContext {
  db: DB;
  member: CurrentMember | null;
  sessionId: string | null;
  /** The client's address, for per-client limits. */
  client: string;
  /** The Content-Security-Policy nonce of this response. */
  nonce: string;
  /** The language of this response (docs/decisions/019-translations.md). */
  locale: Locale;
  /** Settings, categories and tags as this process keeps them (reference-cache.server.ts). */
  reference: ReferenceReader;
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
  extra: { client: string; nonce: string; acceptLanguage?: string | null; reference?: ReferenceReader },
): Promise<{ context: AppContext; setCookie: string | null }> {
  const session = await resolveSession(db, cookieHeader);
  const { acceptLanguage, reference = uncachedReference, ...rest } = extra;
  const locale = negotiateLocale({ memberChoice: session.member?.locale, cookie: cookieHeader, acceptLanguage });
  return {
    context: { db, member: session.member, sessionId: session.sessionId, ...rest, locale, reference },
    setCookie: session.setCookie,
  };
}
