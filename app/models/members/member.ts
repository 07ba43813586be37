export const PASSWORD_MIN = 8;
// Long passphrases are accepted in full; the cap only stops absurd payloads.
export const PASSWORD_MAX = 1000;

/** A handle (the /members/<handle> part) derived from a display name. */
export function handleFromName(displayName: string): string {
  const base = displayName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+/, "")
    .slice(0, 24)
    .replace(/_+$/, "");
  return base.length >= 3 ? base : `member_${base}`.replace(/_+$/, "");
}

export const memberPath = (member: { handle: string }) => `/members/${member.handle}`;
