import type { DB } from "../../lib/db.server";
import type { Actor } from "../policy";
import { DomainError } from "../shared/errors";
import { consumeRateLimit } from "../shared/rate-limits.server";
import { getSettings } from "../settings/settings.server";
import type { Settings } from "../settings/schemas.server";
import { countLinks } from "./trust";

const DAY = 86_400;
const HOUR = 3_600;

/** Whether the member still counts as new (lower limits, flags that cannot hide on their own). */
export function isNewMember(actor: Pick<Actor, "createdAt">, newMemberDays: number, now = new Date()): boolean {
  return now.getTime() - actor.createdAt.getTime() < newMemberDays * DAY * 1000;
}

/**
 * Posting limits against spam and floods: ideas, comments and links per day
 * (lower for new members), and no identical text twice within a few minutes.
 * Staff are exempt. Call it inside the command's transaction, after its other
 * checks: a post refused for any reason, here or later, uses no allowance.
 */
export async function applyPostingLimits(
  trx: DB,
  actor: Actor,
  post: { kind: "idea" | "comment"; text: string; title?: string },
): Promise<void> {
  if (actor.role !== "member") return;
  const settings = await getSettings(trx);
  if (settings.duplicate_window_minutes > 0) {
    const since = new Date(Date.now() - settings.duplicate_window_minutes * 60_000);
    const same =
      post.kind === "comment"
        ? await trx.selectFrom("comments").select("id").where("author_id", "=", actor.id).where("created_at", ">", since).where("body", "=", post.text).executeTakeFirst()
        : await trx.selectFrom("ideas").select("id").where("author_id", "=", actor.id).where("created_at", ">", since).where("title", "=", post.title ?? "").executeTakeFirst();
    if (same) {
      throw new DomainError(
        429,
        `You posted exactly this a moment ago. Try again in ${settings.duplicate_window_minutes} minutes if you really mean to.`,
        "form",
        settings.duplicate_window_minutes * 60,
      );
    }
  }
  const isNew = isNewMember(actor, settings.new_member_days);
  const perDay =
    post.kind === "idea"
      ? isNew ? settings.ideas_per_day_new : settings.ideas_per_day
      : isNew ? settings.comments_per_day_new : settings.comments_per_day;
  const noun = post.kind === "idea" ? "ideas" : "comments";
  await consumeRateLimit(
    trx,
    `${noun}:member:${actor.id}`,
    { limit: perDay, windowSeconds: DAY },
    `You have posted the most ${noun} allowed in a day${isNew ? " for new members" : ""} (${perDay}).`,
  );
  const links = countLinks(`${post.title ?? ""} ${post.text}`);
  if (links > 0) {
    const linkLimit = isNew ? settings.links_per_day_new : settings.links_per_day;
    await consumeRateLimit(
      trx,
      `links:member:${actor.id}`,
      { limit: linkLimit, windowSeconds: DAY },
      `That is more links than ${isNew ? "new members" : "members"} may post in a day (${linkLimit}).`,
      links,
    );
  }
}

/**
 * Limits on the cheap actions that still write an append-only event each:
 * votes, follows and Markdown previews. Generous for people, tight for scripts.
 */
export async function applyActionLimit(
  trx: DB,
  actor: Actor,
  action: "vote" | "follow" | "preview",
  /** The settings when the caller has read them already (a vote does). */
  known?: Settings,
): Promise<void> {
  const settings = known ?? (await getSettings(trx));
  const rule =
    action === "vote" ? { limit: settings.votes_per_hour, noun: "votes" }
    : action === "follow" ? { limit: settings.follows_per_hour, noun: "follow changes" }
    : { limit: settings.previews_per_hour, noun: "previews" };
  await consumeRateLimit(
    trx,
    `${action}:member:${actor.id}`,
    { limit: rule.limit, windowSeconds: HOUR },
    `That is a lot of ${rule.noun} in an hour (${rule.limit}); slow down a little.`,
  );
}
