import { avatarPath } from "../models/members/avatar";

/**
 * A member's avatar: their uploaded photo, or the initial of their name.
 * Decorative (the name is always next to it), so hidden from screen readers.
 */
export function Avatar({ name, handle, version, size = "sm" }: { name: string; handle?: string | null; version?: string | null; size?: "sm" | "lg" }) {
  // The small size is .avatar's own: a thread of fifty comments does not repeat "avatar-sm".
  const className = size === "lg" ? "avatar avatar-lg" : "avatar";
  if (version && handle) {
    const px = size === "lg" ? 72 : 28;
    return <img className={className} src={avatarPath(handle, version)} alt="" aria-hidden="true" width={px} height={px} loading="lazy" decoding="async" />;
  }
  return <span className={className} aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>;
}
