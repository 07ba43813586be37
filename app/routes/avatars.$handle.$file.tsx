import type { LoaderFunctionArgs } from "@remix-run/node";
import { matchesEtag } from "../lib/page-cache.server";
import { readAvatar } from "../models/members/avatar.server";

const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * A member's uploaded avatar, /avatars/:handle/:version.webp, from the
 * database (so every app process serves it). The version is a hash of the
 * bytes: a new photo gets a new address, so this one is cached for ever.
 * Another version, or no photo, is a 404.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const match = /^([0-9a-f]{16})\.webp$/.exec(params.file ?? "");
  const avatar = match ? await readAvatar(context.db, params.handle ?? "", match[1]!) : null;
  if (!avatar) {
    return new Response("No such picture.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=60" } });
  }
  const etag = `"${avatar.version}"`;
  const headers = { ETag: etag, "Cache-Control": IMMUTABLE, "X-Content-Type-Options": "nosniff" };
  if (matchesEtag(request.headers.get("If-None-Match") ?? undefined, etag)) return new Response(null, { status: 304, headers });
  return new Response(Buffer.from(avatar.bytes), {
    status: 200,
    headers: { ...headers, "Content-Type": avatar.contentType, "Content-Length": String(avatar.bytes.byteLength) },
  });
}
