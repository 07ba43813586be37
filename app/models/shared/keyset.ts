import { DomainError } from "./errors";

/**
 * Keyset pagination's cursor: the last row's sort key (as PostgreSQL prints
 * it) and its id, base64url-encoded JSON. Opaque to the client; decoded and
 * checked against the key's type before it reaches SQL, so a forged cursor is
 * a 400 and never a database error.
 */
export type KeyType = "int" | "bigint" | "float8" | "timestamptz";

export type Cursor = { key: string | null; id: number };

const INT4_MAX = 2_147_483_647;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const FLOAT = /^-?(\d{1,20})(\.\d{1,20})?(e[+-]?\d{1,3})?$/i;

/** A real UTC timestamp in ISO form (Feb 30 and hour 25 are refused, not rolled over). */
export function isIsoTimestamp(v: string): boolean {
  if (!ISO_TIMESTAMP.test(v)) return false;
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 19) === v.slice(0, 19);
}

/** Whether a key as text is a valid value of its SQL type. */
export function isValidKey(type: KeyType, key: string): boolean {
  switch (type) {
    case "int":
      return /^-?\d{1,10}$/.test(key) && Math.abs(Number(key)) <= INT4_MAX;
    case "bigint":
      return /^-?\d{1,18}$/.test(key);
    case "float8":
      return FLOAT.test(key) && Number.isFinite(Number(key));
    case "timestamptz":
      return isIsoTimestamp(key);
  }
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id])).toString("base64url");
}

const invalid = () => new DomainError(400, "That page link is not valid. Start again from the first page.", "cursor");

/**
 * Decodes a cursor for a key of `type` (null: paging by id alone) and an id
 * column of `idType`, or throws a 400.
 */
export function decodeCursor(raw: string, type: KeyType | null, idType: "int" | "bigint" = "int"): Cursor {
  if (raw.length > 300) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid();
  const [key, id] = value as unknown[];
  const maxId = idType === "int" ? INT4_MAX : Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(id) || (id as number) <= 0 || (id as number) > maxId) throw invalid();
  if (type === null) {
    if (key !== null) throw invalid();
    return { key: null, id: id as number };
  }
  if (typeof key !== "string" || !isValidKey(type, key)) throw invalid();
  return { key, id: id as number };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
