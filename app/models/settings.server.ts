import type { DB } from "../lib/db.server";
import { forbidden } from "./errors";
import { appendEvent } from "./events.server";
import type { Actor } from "./permissions";
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from "./settings";

/** The site's settings: stored values over the defaults, in one query. */
export async function getSettings(db: DB): Promise<Settings> {
  const rows = await db.selectFrom("settings").select(["key", "value"]).execute();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const parsed = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** Saves settings (admins only) and records what changed. */
export async function updateSettings(db: DB, actor: Actor, next: Settings): Promise<void> {
  if (actor.role !== "admin") throw forbidden("Only admins change site settings.");
  await db.transaction().execute(async (trx) => {
    const before = await getSettings(trx);
    const changed = (Object.keys(next) as (keyof Settings)[]).filter((k) => before[k] !== next[k]);
    if (!changed.length) return;
    for (const key of changed) {
      await trx
        .insertInto("settings")
        .values({ key, value: JSON.stringify(next[key]), updated_by: actor.id })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify(next[key]), updated_by: actor.id, updated_at: new Date() }))
        .execute();
    }
    await appendEvent(trx, {
      type: "settings.changed",
      actorId: actor.id,
      actorRole: actor.role,
      data: {
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, next[k]])),
      },
    });
  });
}
