import { createHash } from "node:crypto";
import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { assertCan, type Actor } from "../policy";
import { DomainError } from "../shared/errors";
import { AVATAR_FORMATS, AVATAR_SIZE, AVATAR_UPLOAD_MAX_BYTES, AVATAR_VERSION, isProfileComplete } from "./avatar";

/**
 * sharp (libvips) is loaded on the first upload, not at start: it adds about 28 MB to a
 * process's memory, and most processes never see an upload.
 */
let sharpModule: Promise<typeof import("sharp")> | null = null;
const loadSharp = async () =>
  (await (sharpModule ??= import("sharp").catch((error: unknown) => {
    sharpModule = null; // tried again at the next upload
    throw error;
  }))).default;

// A small photo has a few million pixels; a "decompression bomb" declares far more.
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Checks that the bytes are an image of an accepted format (by decoding them,
 * whatever the file's name or declared type) and makes the stored avatar: the
 * first frame, turned upright, cropped to a centred square of AVATAR_SIZE,
 * re-encoded as WebP. Nothing of the original's metadata (EXIF, GPS, ICC) is kept.
 */
export async function processAvatar(bytes: Uint8Array): Promise<{ bytes: Buffer; version: string }> {
  if (bytes.byteLength === 0) throw new DomainError(400, "Choose an image file to upload.", "avatar");
  if (bytes.byteLength > AVATAR_UPLOAD_MAX_BYTES) throw tooLarge();
  const notAnImage = () => new DomainError(400, "That file is not an image we can read. Upload a JPEG, PNG, WebP or GIF picture.", "avatar");
  const sharp = await loadSharp();
  let format: string | undefined;
  let width = 0;
  let height = 0;
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    format = meta.format;
    width = meta.width ?? 0;
    height = meta.height ?? 0;
  } catch {
    throw notAnImage();
  }
  if (!format || !(AVATAR_FORMATS as readonly string[]).includes(format) || !width || !height) throw notAnImage();
  if (width * height > MAX_INPUT_PIXELS) throw new DomainError(400, "That picture has too many pixels. Upload one of at most 40 megapixels.", "avatar");
  let out: Buffer;
  try {
    out = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "attention" })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw notAnImage();
  }
  return { bytes: out, version: createHash("sha256").update(out).digest("hex").slice(0, 16) };
}

export const tooLarge = () =>
  new DomainError(413, `That picture is too large. Upload one of at most ${AVATAR_UPLOAD_MAX_BYTES / 1024 / 1024} MB.`, "avatar");

/** The member's row, locked, so that the profile's completeness an event records is the one committed. */
async function lockProfile(trx: DB, memberId: number) {
  const row = await trx.selectFrom("members").select(["bio", "avatar_version"]).where("id", "=", memberId).forUpdate().executeTakeFirstOrThrow();
  return { bio: row.bio, avatarVersion: row.avatar_version };
}

/** A new avatar for the member (the image checked and re-encoded first), with its event. */
export async function uploadAvatar(db: DB, actor: Actor, upload: Uint8Array): Promise<{ version: string }> {
  assertCan(actor, "profile.edit", { memberId: actor.id });
  const avatar = await processAvatar(upload);
  await db.transaction().execute(async (trx) => {
    const profile = await lockProfile(trx, actor.id);
    await trx
      .insertInto("member_avatars")
      .values({ member_id: actor.id, version: avatar.version, content_type: "image/webp", bytes: avatar.bytes, updated_at: new Date() })
      .onConflict((oc) => oc.column("member_id").doUpdateSet((eb) => ({
        version: eb.ref("excluded.version"), bytes: eb.ref("excluded.bytes"), content_type: eb.ref("excluded.content_type"), updated_at: eb.ref("excluded.updated_at"),
      })))
      .execute();
    await trx.updateTable("members").set({ avatar_version: avatar.version }).where("id", "=", actor.id).execute();
    await emit(trx, {
      type: "member.avatar_changed", actor, memberId: actor.id,
      payload: { change: "uploaded", profileComplete: isProfileComplete({ ...profile, avatarVersion: avatar.version }) },
    });
  });
  return { version: avatar.version };
}

/** Back to initials. Nothing to remove is not an error (a second click, another tab). */
export async function removeAvatar(db: DB, actor: Actor): Promise<boolean> {
  assertCan(actor, "profile.edit", { memberId: actor.id });
  return db.transaction().execute(async (trx) => {
    const profile = await lockProfile(trx, actor.id);
    if (profile.avatarVersion === null) return false;
    await trx.deleteFrom("member_avatars").where("member_id", "=", actor.id).execute();
    await trx.updateTable("members").set({ avatar_version: null }).where("id", "=", actor.id).execute();
    await emit(trx, { type: "member.avatar_changed", actor, memberId: actor.id, payload: { change: "removed", profileComplete: false } });
    return true;
  });
}

/** The stored image for /avatars/:handle/:version.webp, or null (no such member, another version, none). */
export async function readAvatar(db: DB, handle: string, version: string): Promise<{ bytes: Uint8Array; version: string; contentType: string } | null> {
  if (!AVATAR_VERSION.test(version) || handle.length > 100) return null;
  const row = await db
    .selectFrom("member_avatars")
    .innerJoin("members", "members.id", "member_avatars.member_id")
    .select(["member_avatars.bytes", "member_avatars.version", "member_avatars.content_type"])
    .where("members.handle", "=", handle)
    .where("members.deleted_at", "is", null)
    // A profile moderation hid (an offensive photo, say) is not served until it is restored.
    .where("members.moderation", "=", "visible")
    .where("member_avatars.version", "=", version)
    .executeTakeFirst();
  return row ? { bytes: row.bytes, version: row.version, contentType: row.content_type } : null;
}
