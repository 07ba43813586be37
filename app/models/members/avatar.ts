/**
 * Avatars: uploaded images (checked, squared and re-encoded to WebP by sharp)
 * or the member's initial. Pure, safe for the browser; the upload and storage
 * live in avatar.server.ts. See docs/decisions/015-points-rank-badges.md.
 */

/** The largest image a member may upload (the file itself). */
export const AVATAR_UPLOAD_MAX_BYTES = 2 * 1024 * 1024;
/** The side of the stored square, in pixels (shown at most at 4.5rem, twice that on dense screens). */
export const AVATAR_SIZE = 256;
export const AVATAR_FORMATS = ["jpeg", "png", "webp", "gif"] as const;
/** What the file input offers (the server checks the bytes, not this). */
export const AVATAR_ACCEPT = "image/jpeg,image/png,image/webp,image/gif";

/** The avatar's address; the version (a hash of its bytes) changes with every new image, so it can be cached for ever. */
export const avatarPath = (handle: string, version: string) => `/avatars/${encodeURIComponent(handle)}/${version}.webp`;

/** A version is the first 16 hex digits of the bytes' SHA-256. */
export const AVATAR_VERSION = /^[0-9a-f]{16}$/;

/** A profile is complete with a bio and a photo; it earns `points_profile_complete` while it stays so. */
export const isProfileComplete = (p: { bio: string; avatarVersion: string | null }) => p.bio.trim() !== "" && p.avatarVersion !== null;
