import type { DB } from "../../lib/db.server";
import { emit } from "../events/events.server";
import { clearReferenceCache, type ReferenceReader } from "../../lib/reference-cache.server";
import { assertCan, type Actor } from "../policy";
import { brandingFrom, type Branding } from "./branding";
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from "./schemas.server";

/** The site's settings: stored values over the defaults, in one query. */
/** Settings read in a transaction, kept for its other reads (a vote and its reactors read them once). */
const readInTransaction = new WeakMap<DB, Promise<Settings>>();

/**
 * The settings as stored. Inside a transaction they are read once and kept for the rest of
 * it (`updateSettings` forgets them when it writes).
 */
export function getSettings(db: DB): Promise<Settings> {
  if (!db.isTransaction) return readStoredSettings(db);
  let read = readInTransaction.get(db);
  if (!read) {
    read = readStoredSettings(db);
    readInTransaction.set(db, read);
    // A failed read is not kept: the transaction fails with it, or reads again.
    read.catch(() => readInTransaction.delete(db));
  }
  return read;
}

async function readStoredSettings(db: DB): Promise<Settings> {
  const rows = await db.selectFrom("settings").select(["key", "value"]).execute();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** The settings, for the admins' page that changes them. */
export async function getSettingsForEditing(db: DB, actor: Actor): Promise<Settings> {
  assertCan(actor, "settings.update", null);
  return getSettings(db);
}

/**
 * The settings as the process keeps them (reference-cache.server.ts), for pages that show
 * them; a transaction that decides by a setting reads `getSettings(trx)`.
 */
export const readSettings = (db: DB, reference: ReferenceReader) => reference.get("settings", () => getSettings(db));

/** Saves settings (admins only) and records what changed. */
export async function updateSettings(db: DB, actor: Actor | null, next: Settings): Promise<{ changed: (keyof Settings)[] }> {
  const result = await db.transaction().execute(async (trx) => {
    assertCan(actor, "settings.update", null);
    // One writer at a time, so two admins' saves cannot interleave their before/after.
    await trx.selectFrom("settings").select("key").forUpdate().execute();
    const before = await getSettings(trx);
    const changed = (Object.keys(next) as (keyof Settings)[]).filter((k) => before[k] !== next[k]);
    if (!changed.length) return { changed };
    for (const key of changed) {
      await trx
        .insertInto("settings")
        .values({ key, value: JSON.stringify(next[key]), updated_by: actor.id })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(next[key]), updated_by: actor.id, updated_at: new Date() }))
        .execute();
    }
    readInTransaction.delete(trx);
    await emit(trx, {
      type: "settings.changed",
      actor,
      payload: {
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    });
    return { changed };
  });
  clearReferenceCache();
  return result;
}

/**
 * The site's branding (name, logo, accent colour, welcome text, footer links) for pages and
 * for mail: `await getBranding(db)`. One query (the settings table).
 */
export async function getBranding(db: DB): Promise<Branding> {
  return brandingFrom(await getSettings(db));
}
