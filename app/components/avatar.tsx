import { avatarPath } from "../models/members/avatar";

/**
 * A member's avatar: their uploaded photo, or the initial of their name.
 * Decorative (the name is always next to it), so hidden from screen readers.
 */
export function Avatar({ name, handle, version, size = "sm" }: { name: string; handle?: string | null; version?: string | null; size?: "sm" | "lg" }) {
  const className = `avatar avatar-${size}`;
  if (version && handle) {
    const px = size === "lg" ? 72 : 28;
    return <img className={className} src={avatarPath(handle, version)} alt="" aria-hidden="true" width={px} height={px} loading="lazy" decoding="async" />;
  }
  return <span className={className} aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>;
}
