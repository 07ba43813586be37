import type { DB } from "../../lib/db.server";
import type { OnBehalf } from "../events/catalogue";
import type { StoredEvent } from "../events/events.server";
import type { ReactorTable } from "../reactors.server";

/**
 * A vote or comment staff recorded on a member's behalf tells the member
 * (reason "recipient", the staff member as the notification's actor), so
 * nothing is ever said in their name without them hearing of it.
 */
const tellMemberOnBehalf = async (trx: DB, events: StoredEvent[]) => {
  const rows = events
    .filter((e) => (e.payload as { onBehalf?: OnBehalf }).onBehalf && e.actorId !== null)
    .map((e) => ({
      member_id: e.actorId!,
      event_id: e.id,
      reason: "recipient" as const,
      idea_id: e.ideaId,
      comment_id: e.commentId,
      actor_id: (e.payload as { onBehalf: OnBehalf }).onBehalf.staffId,
      created_at: e.createdAt,
    }));
  if (!rows.length) return;
  await trx.insertInto("notifications").values(rows).onConflict((oc) => oc.columns(["member_id", "event_id"]).doNothing()).execute();
};

export const listeningReactors: ReactorTable = {
  "vote.cast": [tellMemberOnBehalf],
  "vote.changed": [tellMemberOnBehalf],
  "vote.retracted": [tellMemberOnBehalf],
  "comment.added": [tellMemberOnBehalf],
};
