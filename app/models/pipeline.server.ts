import { sql } from "kysely";
import type { IdeaStatus } from "../../db/schema";
import type { DB } from "../lib/db.server";
import { renderMarkdown } from "../lib/markdown.server";
import { DomainError, forbidden, notFound } from "./errors";
import { appendEvent } from "./events.server";
import { STATUS_LABELS } from "./idea";
import { notifyIdeaAudience } from "./notifications.server";
import { isProductTeam, type Actor } from "./permissions";
import { canMoveStatus, type DeclineReason } from "./status";

export interface RespondCommand {
  ideaId: number;
  /** The new status, or null to answer without moving the idea. */
  toStatus: Exclude<IdeaStatus, "duplicate"> | null;
  body: string;
  declineReason?: DeclineReason | null;
  revisitOn?: string | null;
  at?: Date;
}

/**
 * The company's public answer on an idea, optionally moving it along the
 * pipeline. The response, the idea's new status, the event and the
 * notifications to its voters and followers commit together.
 */
export async function respondToIdea(db: DB, actor: Actor, command: RespondCommand) {
  if (!isProductTeam(actor.role)) throw forbidden("Only product managers and admins answer for the company.");
  return db.transaction().execute(async (trx) => {
    const idea = await trx
      .selectFrom("ideas")
      .select(["id", "status"])
      .where("id", "=", command.ideaId)
      .forUpdate()
      .executeTakeFirst();
    if (!idea) throw notFound("That idea");
    if (idea.status === "duplicate") {
      throw new DomainError(409, "This idea was merged into another. Answer there, or undo the merge first.");
    }
    const from = idea.status;
    const to = command.toStatus ?? from;
    const moving = to !== from;
    if (moving && !canMoveStatus(from, to)) {
      throw new DomainError(409, `An idea cannot go from ${STATUS_LABELS[from]} to ${STATUS_LABELS[to]}.`, "status");
    }
    const at = command.at ?? new Date();
    const declined = to === "declined";
    const response = await trx
      .insertInto("idea_responses")
      .values({
        idea_id: idea.id,
        author_id: actor.id,
        from_status: from,
        to_status: to,
        body: command.body,
        body_html: renderMarkdown(command.body),
        decline_reason: declined && moving ? (command.declineReason ?? null) : null,
        revisit_on: declined && moving ? (command.revisitOn ?? null) : null,
        created_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("ideas")
      .set({
        status: to,
        ...(moving ? { status_changed_at: at } : {}),
        first_response_at: sql<Date>`coalesce(first_response_at, ${at})`,
        // Declining sets (or clears) the revisit date; leaving "declined" clears it;
        // an answer that keeps the status keeps the date.
        ...(moving ? { revisit_on: declined ? (command.revisitOn ?? null) : null } : {}),
        updated_at: at,
      })
      .where("id", "=", idea.id)
      .execute();
    const eventId = await appendEvent(trx, {
      type: moving ? "idea.status_changed" : "idea.responded",
      actorId: actor.id,
      actorRole: actor.role,
      ideaId: idea.id,
      data: { from, to, responseId: response.id, declineReason: command.declineReason ?? null, revisitOn: command.revisitOn ?? null },
      at,
    });
    await notifyIdeaAudience(trx, {
      eventId,
      ideaId: idea.id,
      kind: moving ? "status_changed" : "official_response",
      actorId: actor.id,
    });
    return { responseId: response.id, from, to };
  });
}

const REVISIT_BODY =
  "The date set to revisit this idea has come, so it is back under review. Thank you for your patience; tell us what has changed since.";

/**
 * Brings declined ideas whose revisit date has come back to "under review",
 * with a timeline entry and a notification. Safe to run from every app
 * process at once: each idea is claimed with SKIP LOCKED and handled once.
 */
export async function reviveDueIdeas(db: DB, today = new Date()): Promise<number> {
  const day = today.toISOString().slice(0, 10);
  let revived = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const idea = await trx
        .selectFrom("ideas")
        .select(["id", "revisit_on"])
        .where("status", "=", "declined")
        .where("revisit_on", "<=", day)
        .orderBy("revisit_on")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!idea) return false;
      await trx
        .insertInto("idea_responses")
        .values({
          idea_id: idea.id,
          author_id: null,
          from_status: "declined",
          to_status: "under_review",
          body: REVISIT_BODY,
          body_html: renderMarkdown(REVISIT_BODY),
        })
        .execute();
      await trx
        .updateTable("ideas")
        .set({ status: "under_review", status_changed_at: new Date(), revisit_on: null, updated_at: new Date() })
        .where("id", "=", idea.id)
        .execute();
      const eventId = await appendEvent(trx, {
        type: "idea.revisited",
        actorId: null,
        ideaId: idea.id,
        data: { from: "declined", to: "under_review", revisitOn: idea.revisit_on },
      });
      await notifyIdeaAudience(trx, { eventId, ideaId: idea.id, kind: "idea_revisited", actorId: null });
      return true;
    });
    if (!done) return revived;
    revived++;
  }
}

/** An idea's public timeline of answers and status changes, oldest first. */
export async function listResponses(db: DB, ideaId: number) {
  return db
    .selectFrom("idea_responses")
    .leftJoin("members", "members.id", "idea_responses.author_id")
    .select([
      "idea_responses.id",
      "idea_responses.from_status",
      "idea_responses.to_status",
      "idea_responses.body_html",
      "idea_responses.decline_reason",
      "idea_responses.revisit_on",
      "idea_responses.created_at",
      "members.display_name as author_name",
      "members.handle as author_handle",
      "members.role as author_role",
    ])
    .where("idea_responses.idea_id", "=", ideaId)
    .orderBy("idea_responses.id")
    .limit(200)
    .execute();
}
