import type { CurrentMember } from "../lib/auth.server";
import type { DB } from "../lib/db.server";
import { getStanding } from "./engagement/rank.server";
import { countUnread } from "./notifications/notifications.server";
import { brandingFrom } from "./settings/branding";
import type { ReferenceReader } from "../lib/reference-cache.server";
import { readSettings } from "./settings/settings.server";

/**
 * What every page's frame shows (the root loader): the signed-in member's header (name, photo,
 * role, unread notifications, rank, suspension), the site's branding and whether down-votes are on
 * (the settings as the process keeps them: `reference`).
 *
 * One module for the root route to import: each `.server` module a route imports becomes an
 * empty stand-in in the browser bundle.
 */
export async function pageFrame(db: DB, member: CurrentMember | null, reference: ReferenceReader) {
  const [unread, settings, standing] = await Promise.all([
    member ? countUnread(db, member.id) : Promise.resolve(0),
    readSettings(db, reference),
    member ? getStanding(db, member.id) : Promise.resolve(null),
  ]);
  return {
    member: member
      ? {
          handle: member.handle,
          displayName: member.displayName,
          avatarVersion: member.avatarVersion,
          role: member.role,
          locale: member.locale,
          unread,
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
