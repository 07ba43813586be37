import type { DB } from "../lib/db.server";
import type { EventType } from "./events/catalogue";
import type { StoredEvent } from "./events/events.server";
import { mailReactors } from "./mail/notify.server";
import { badgeReactors } from "./engagement/badges.server";
import { proposalReactors } from "./engagement/proposals.server";
import { pointsReactors } from "./engagement/points.server";
import { notificationReactors } from "./notifications/reactors.server";
import { listeningReactors } from "./listening/reactors.server";

/**
 * A reactor: what follows from events, run inside the transaction that
 * appended them. Reactors get a batch (a merge appends one event per moved
 * vote), so they should work set-wise. Work outside the database (e-mail,
 * webhooks) is never done here: a reactor enqueues a durable job instead,
 * in the same transaction, so it runs only if the change commits.
 */
export type Reactor = (trx: DB, events: StoredEvent[]) => Promise<void>;
export type ReactorTable = Partial<Record<EventType, Reactor[]>>;

/**
 * Every feature's reactors, in the order they run for an event type (mail last: its job reads
 * the notifications written just before). Built on first use: a reactor that records events of
 * its own (badges) imports `emit`, which imports this module, so the tables are read once all
 * modules have loaded.
 */
const tables = (): ReactorTable[] => [notificationReactors, listeningReactors, proposalReactors, pointsReactors, badgeReactors, mailReactors];

let built: ReactorTable | null = null;
function reactors(): ReactorTable {
  if (built) return built;
  const table: ReactorTable = {};
  for (const t of tables()) {
    for (const [type, list] of Object.entries(t) as [EventType, Reactor[]][]) {
      (table[type] ??= []).push(...list);
    }
  }
  return (built = table);
}

/** Which reactors an event type has (the catalogue test reads it). */
export const reactorsFor = (type: EventType): readonly Reactor[] => reactors()[type] ?? [];

/** Runs the reactors for a batch of just-appended events, type by type, in append order. */
export async function dispatch(trx: DB, events: StoredEvent[]): Promise<void> {
  const REACTORS = reactors();
  const byType = new Map<EventType, StoredEvent[]>();
  for (const e of events) {
    if (!REACTORS[e.type]) continue;
    const list = byType.get(e.type);
    if (list) list.push(e);
    else byType.set(e.type, [e]);
  }
  for (const [type, batch] of byType) {
    for (const reactor of REACTORS[type]!) await reactor(trx, batch);
  }
}
