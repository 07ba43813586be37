import { sql } from "kysely";
import type { Role } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { EVENT_CATALOGUE, type EventPayloads, type EventType } from "./catalogue";
import { dispatch } from "../reactors.server";

/**
 * What the emitter knows of the event's idea as the change left it (read or written in the
 * same transaction, after its lock): reactors use it instead of reading the idea again.
 * Kept in memory for the reactors only, never stored.
 */
export interface IdeaFacts {
  authorId: number;
  categoryId: number | null;
  upCount: number;
}

export interface NewEvent<T extends EventType = EventType> {
  type: T;
  /**
   * Who did it; null when the system did (a scheduled revisit, flags reaching a threshold).
   * A signed-in member's `createdAt`, when given, spares reactors reading when they joined.
   */
  actor: { id: number; role: Role; createdAt?: Date } | null;
  ideaId?: number | null;
  commentId?: number | null;
  memberId?: number | null;
  /** Whose content was acted on, for events that are staff actions only when acting for others. */
  ownerId?: number | null;
  payload: EventPayloads[T];
  /** When it happened, if not now (the demo seed replays a past). */
  at?: Date;
  idea?: IdeaFacts;
}

/** An event as stored and as reactors receive it. */
export interface StoredEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  actorId: number | null;
  actorRole: Role | null;
  ideaId: number | null;
  commentId: number | null;
  memberId: number | null;
  payload: EventPayloads[T];
  createdAt: Date;
  /** In memory only (NewEvent): the idea as the change left it, and when the actor joined. */
  idea?: IdeaFacts;
  actorJoinedAt?: Date;
}

function checkSubject(event: NewEvent): void {
  const spec = EVENT_CATALOGUE[event.type];
  const missing =
    spec.subject === "idea" ? !event.ideaId
    : spec.subject === "comment" ? !event.commentId || !event.ideaId
    : spec.subject === "member" ? !event.memberId
    : spec.subject === "target" ? !event.ideaId && !event.memberId
    : false;
  if (missing) throw new Error(`event ${event.type} needs its ${spec.subject} set`);
}

/** The role to record: set for staff actions (the audit log lists those), null otherwise. */
function auditRole(event: NewEvent): Role | null {
  const rule = EVENT_CATALOGUE[event.type].audit;
  if (!event.actor || rule === "never") return null;
  if (rule === "for_others" && (event.ownerId == null || event.ownerId === event.actor.id)) return null;
  return event.actor.role;
}

const CHUNK = 1_000;

/**
 * Appends events to the log and runs the reactors registered for them, all
 * inside the caller's transaction: the change, its events, and what they set
 * off (notifications, jobs for e-mail) commit or fail together. The one way
 * any state change records itself.
 */
export async function emitMany(trx: DB, events: NewEvent[]): Promise<StoredEvent[]> {
  if (!trx.isTransaction) throw new Error("events are appended inside the transaction that makes the change");
  if (!events.length) return [];
  const stored: StoredEvent[] = [];
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = events.slice(i, i + CHUNK);
    for (const e of chunk) checkSubject(e);
    const rows = await trx
      .insertInto("events")
      .values(
        chunk.map((e) => ({
          type: e.type,
          version: EVENT_CATALOGUE[e.type].version,
          actor_id: e.actor?.id ?? null,
          actor_role: auditRole(e),
          idea_id: e.ideaId ?? null,
          comment_id: e.commentId ?? null,
          member_id: e.memberId ?? null,
          data: JSON.stringify(e.payload),
          ...(e.at ? { created_at: e.at } : {}),
        })),
      )
      .returning(["id", "actor_role", "created_at"])
      .execute();
    rows.forEach((row, n) => {
      const e = chunk[n]!;
      stored.push({
        id: String(row.id),
        type: e.type,
        actorId: e.actor?.id ?? null,
        actorRole: row.actor_role,
        ideaId: e.ideaId ?? null,
        commentId: e.commentId ?? null,
        memberId: e.memberId ?? null,
        payload: e.payload,
        createdAt: new Date(row.created_at),
        ...(e.idea ? { idea: e.idea } : {}),
        ...(e.actor?.createdAt ? { actorJoinedAt: e.actor.createdAt } : {}),
      });
    });
  }
  await dispatch(trx, stored);
  return stored;
}

export async function emit<T extends EventType>(trx: DB, event: NewEvent<T>): Promise<StoredEvent<T>> {
  const [stored] = await emitMany(trx, [event as NewEvent]);
  return stored as StoredEvent<T>;
}

/**
 * Events in commit order, for consumers that read the log itself (feeds,
 * exports, rebuilding derived tables): rows after `after` whose transaction
 * committed before any still running one began. An identity id alone is not
 * commit-ordered (a transaction that started earlier may commit later with a
 * smaller id), so the position is (tx_id, id) and the horizon is the oldest
 * running transaction: nothing that commits later can land behind it.
 */
export async function readCommittedEvents(
  db: DB,
  after: { txId: string; id: string } | null,
  limit = 500,
): Promise<{ events: { id: string; txId: string; type: string; version: number; data: unknown; createdAt: Date }[]; position: { txId: string; id: string } | null }> {
  const rows = await sql<{ id: string; tx_id: string; type: string; version: number; data: unknown; created_at: Date }>`
    select id::text, tx_id::text, type, version, data, created_at
    from events
    where tx_id < pg_snapshot_xmin(pg_current_snapshot())
      and (${after === null} or (events.tx_id, events.id) > (${after?.txId ?? "0"}::xid8, ${after?.id ?? "0"}::bigint))
    -- Qualified: a bare "tx_id, id" would sort by the text output columns ("1000" before "999").
    order by events.tx_id, events.id
    limit ${limit}`.execute(db);
  const last = rows.rows[rows.rows.length - 1];
  return {
    events: rows.rows.map((r) => ({ id: r.id, txId: r.tx_id, type: r.type, version: r.version, data: r.data, createdAt: new Date(r.created_at) })),
    position: last ? { txId: last.tx_id, id: last.id } : after,
  };
}
