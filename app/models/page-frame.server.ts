import type { CurrentMember } from "../lib/auth.server";
import type { DB } from "../lib/db.server";
import { getStanding } from "./engagement/rank.server";
import { brandingFrom } from "./settings/branding";
import { standingKey, type ReferenceReader } from "../lib/reference-cache.server";
import { readSettings } from "./settings/settings.server";

/**
 * What every page's frame shows (the root loader): the signed-in member's header (name, photo,
 * role, unread notifications (read with the session), rank, suspension), the site's branding and whether down-votes are on
 * (the settings as the process keeps them: `reference`).
 *
 * One module for the root route to import: each `.server` module a route imports becomes an
 * empty stand-in in the browser bundle.
 */
export async function pageFrame(db: DB, member: CurrentMember | null, reference: ReferenceReader) {
  const [settings, standing] = await Promise.all([
    readSettings(db, reference),
    // The rank changes only with events: kept per data version like the settings.
    member ? reference.get(standingKey(member.id), () => getStanding(db, member.id)) : Promise.resolve(null),
  ]);
  return {
    member: member
      ? {
          handle: member.handle,
          displayName: member.displayName,
          avatarVersion: member.avatarVersion,
          role: member.role,
          locale: member.locale,
          unread: member.unread,
          rank: standing ? { rank: standing.rank, of: standing.of, points: standing.points } : null,
          suspension: member.suspendedUntil
            ? {
                until: member.suspendedUntil.getUTCFullYear() >= 9999 ? null : member.suspendedUntil.toISOString(),
                reason: member.suspensionReason,
              }
            : null,
        }
      : null,
    allowDownVotes: settings.allow_down_votes,
    brand: brandingFrom(settings),
  };
}
