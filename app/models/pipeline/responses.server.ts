import type { IdeaStatus } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";
import { emit } from "../events/events.server";
import { STATUS_LABELS } from "../ideas/idea";
import { assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { canMoveStatus, type DeclineReason } from "./status";
import { moveIdeaStatus, systemNote } from "./status.server";

export interface OfficialResponseCommand {
  ideaId: number;
  /** The new status, or null to answer without moving the idea. */
  toStatus: Exclude<IdeaStatus, "duplicate"> | null;
  body: string;
  declineReason?: DeclineReason | null;
  revisitOn?: string | null;
  at?: Date;
}

/**
 * The company's public answer on an idea (an official response), optionally
 * moving it along the pipeline. The response, the new status and the event
 * commit together; the event's reactors tell the idea's voters and followers.
 */
export async function postOfficialResponse(db: DB, actor: Actor | null, command: OfficialResponseCommand) {
  const at = command.at ?? new Date();
  const bodyHtml = await renderMarkdown(command.body);
  return db.transaction().execute(async (trx) => {
    const idea = await trx.selectFrom("ideas").select(["id", "status"]).where("id", "=", command.ideaId).forUpdate().executeTakeFirst();
    if (!idea) throw notFound("That idea");
    assertCan(actor, "idea.respond", { status: idea.status }, at);
    const from = idea.status;
    const to = command.toStatus ?? from;
    const moving = to !== from;
    if (moving && !canMoveStatus(from, to)) {
      throw new DomainError(409, `An idea cannot go from ${STATUS_LABELS[from]} to ${STATUS_LABELS[to]}.`, "status");
    }
    const { responseId } = await moveIdeaStatus(trx, idea, {
      to,
      authorId: actor.id,
      response: { body: command.body, bodyHtml, declineReason: command.declineReason },
      ...(moving ? { revisitOn: to === "declined" ? (command.revisitOn ?? null) : null } : {}),
      at,
    });
    if (moving) {
      await emit(trx, { type: "idea.status_changed", actor, ideaId: idea.id, payload: { from, to, responseId }, at });
    } else {
      await emit(trx, { type: "idea.responded", actor, ideaId: idea.id, payload: { status: to, responseId }, at });
    }
    return { responseId, from, to };
  });
}

const REVISIT_BODY =
  "The date set to revisit this idea has come, so it is back under review. Thank you for your patience; tell us what has changed since.";

/**
 * Brings declined ideas whose revisit date has come back to "under review",
 * with a timeline entry, an event, and so a notification. Runs as a scheduled
 * job; safe from any number of processes at once: each idea is claimed with
 * SKIP LOCKED and handled once.
 */
export async function reviveDueIdeas(db: DB, today = new Date()): Promise<number> {
  const day = today.toISOString().slice(0, 10);
  const note = await systemNote(REVISIT_BODY);
  let revived = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const idea = await trx
        .selectFrom("ideas")
        .select(["id", "status", "revisit_on"])
        .where("status", "=", "declined")
        .where("revisit_on", "<=", day)
        .orderBy("revisit_on")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!idea) return false;
      const at = new Date();
      const { responseId } = await moveIdeaStatus(trx, idea, { to: "under_review", authorId: null, response: note, revisitOn: null, at });
      await emit(trx, { type: "idea.revisited", actor: null, ideaId: idea.id, payload: { from: "declined", to: "under_review", responseId }, at });
      return true;
    });
    if (!done) return revived;
    revived++;
  }
}

/** An idea's public timeline of official responses and status changes, oldest first. */
export async function listResponses(db: DB, ideaId: number) {
  return responsesQuery(db, ideaId).execute();
}

/** The query of `listResponses`, for a page that reads it with others in one statement. */
export function responsesQuery(db: DB, ideaId: number) {
  return db
    .selectFrom("official_responses")
    .leftJoin("members", "members.id", "official_responses.author_id")
    .select([
      "official_responses.id",
      "official_responses.from_status",
      "official_responses.to_status",
      "official_responses.body_html",
      "official_responses.decline_reason",
      "official_responses.revisit_on",
      "official_responses.created_at",
      "members.display_name as author_name",
      "members.handle as author_handle",
      "members.role as author_role",
    ])
    .where("official_responses.idea_id", "=", ideaId)
    .orderBy("official_responses.id")
    .limit(200);
}
