// `npx tsx db/rebuild-points.ts`: recomputes the points ledger, every member's
// totals and ranks from the events log, with the amounts the settings have now.
// Run after an admin changes the amounts (docs/decisions/015-points-rank-badges.md).
import { openDatabase } from "../app/lib/db.server";
import { rebuildPoints } from "../app/models/engagement/points.server";

const database = await openDatabase();
try {
  const started = performance.now();
  const { events, rows } = await rebuildPoints(database.db);
  console.log(`rebuilt the points ledger: ${rows} rows from ${events} events in ${Math.round(performance.now() - started)} ms`);
} finally {
  await database.close();
}
