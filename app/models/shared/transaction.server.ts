import type { DB } from "../../lib/db.server";

/**
 * Runs `work` in the caller's transaction when given one, else in a new one:
 * a command can then be part of a larger change (a vote staff record for a
 * member together with the interaction it came from) and still own its rules.
 */
export function inTransaction<T>(db: DB, work: (trx: DB) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
