import { sql } from "kysely";
import type { DB } from "../app/lib/db.server";
import { addComment } from "../app/models/discussion/comments.server";
import { setCategoryFollowing } from "../app/models/following/follows.server";
import { postIdea } from "../app/models/ideas/ideas.server";
import { signUp } from "../app/models/members/members.server";
import { flagItem } from "../app/models/moderation/flags.server";
import { postOfficialResponse } from "../app/models/pipeline/responses.server";
import type { Actor } from "../app/models/policy";
import { setIdeaTags } from "../app/models/triage/triage.server";
import { castVote } from "../app/models/votes/votes.server";
import { saveCohort } from "../app/models/listening/cohorts.server";
import { logInteraction, voteOnBehalf } from "../app/models/listening/record.server";
import { CATEGORIES, IDEAS, MEMBERS, TAGS, type SeedComment, type SeedIdea } from "./seed-data";

export const DEMO_PASSWORD = "groundswell";

/** A small deterministic random source, so every fresh demo looks the same. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One thing that happened in the demo's past, replayed in time order. */
type Step = { at: number; order: number; run: () => Promise<unknown> };

/**
 * Seeds the demo community of Harbor Coffee Co. into an empty database,
 * replaying its history in time order through the same commands the app uses
 * (so counters, trending keys, events, notifications and their times are all
 * real and in order). Does nothing if any member exists.
 */
export async function seedDemo(db: DB, now = new Date()): Promise<{ members: number; ideas: number } | null> {
  const existing = await db.selectFrom("members").select("id").limit(1).executeTakeFirst();
  if (existing) return null;

  const rand = random(42);
  const nowMs = now.getTime();
  await db
    .insertInto("categories")
    .values(CATEGORIES.map((c, position) => ({ slug: c.slug, name: c.name, description: c.description, position })))
    .execute();
  await db.insertInto("tags").values(TAGS.map((t) => ({ slug: t.slug, name: t.name }))).execute();

  // Members join first (each on their own day), so everything after can act as them.
  const actors = new Map<string, Actor>();
  for (const m of [...MEMBERS].sort((a, b) => b.ageDays - a.ageDays)) {
    const createdAt = new Date(nowMs - m.ageDays * DAY);
    const member = await signUp(db, { displayName: m.displayName, email: m.email, password: DEMO_PASSWORD, role: m.role, bio: m.bio, createdAt, emailVerified: true });
    // Seeded handles are the ones the data names, not derived from the display name.
    await db.updateTable("members").set({ handle: m.handle }).where("id", "=", member.id).execute();
    actors.set(m.handle, { id: member.id, role: m.role, createdAt, suspendedUntil: null, suspensionReason: null });
  }
  const actor = (handle: string) => {
    const a = actors.get(handle);
    if (!a) throw new Error(`seed data names unknown member ${handle}`);
    return a;
  };
  const pm = actor(MEMBERS.find((m) => m.role === "product_manager")!.handle);

  const steps: Step[] = [];
  let order = 0;
  const at = (ms: number, run: () => Promise<unknown>) => steps.push({ at: Math.min(ms, nowMs - 1000), order: order++, run });
  const ideaIds = new Map<SeedIdea, number>();
  const ideaId = (seed: SeedIdea) => ideaIds.get(seed)!;

  // Most members follow a category or two a few days after joining: new ideas there tell them.
  // (Its own random sequence, so the rest of the demo stays as it was.)
  const pick = random(7);
  for (const m of MEMBERS) {
    if (m.role !== "member" || pick() < 0.3) continue;
    const followAt = nowMs - Math.max(m.ageDays - 3, 0.5) * DAY;
    for (const c of CATEGORIES.filter(() => pick() < 0.3).slice(0, 2)) {
      at(followAt, () => setCategoryFollowing(db, actor(m.handle), { slug: c.slug, follow: true, at: new Date(followAt) }));
    }
  }

  for (const seed of IDEAS) {
    const postedAt = nowMs - seed.ageDays * DAY;
    const author = actor(seed.author);
    at(postedAt, async () => {
      const idea = await postIdea(db, author, { title: seed.title, body: seed.body, category: seed.category }, { at: new Date(postedAt) });
      ideaIds.set(seed, idea.id);
    });
    at(postedAt + 0.5 * HOUR, () => setIdeaTags(db, pm, { ideaId: ideaId(seed), tags: seed.tags, at: new Date(postedAt + 0.5 * HOUR) }));
    const answeredAt = postedAt + Math.min(seed.ageDays * 0.3, 14) * DAY;
    // Votes come in over the idea's life, and stop when a decision closes voting.
    const closesAt = seed.status === "adopted" || seed.status === "declined" ? answeredAt : nowMs;
    for (const m of MEMBERS) {
      if (m.handle === seed.author) continue;
      const voter = actor(m.handle);
      const roll = rand();
      const value = roll < seed.popularity * 0.9 ? (rand() < 0.9 ? 1 : -1) : roll > 0.97 ? -1 : 0;
      if (!value) continue;
      const from = Math.max(postedAt, voter.createdAt.getTime()) + HOUR;
      const to = closesAt - HOUR;
      if (to <= from) continue;
      // Most support arrives early, the way it does when an idea is shared.
      const when = from + (to - from) * rand() ** 2;
      at(when, () => castVote(db, voter, { ideaId: ideaId(seed), value: value as 1 | -1, at: new Date(when) }));
    }
    addCommentSteps(seed, seed.comments, null, postedAt);
    if (seed.status !== "new") {
      const revisitOn =
        seed.status === "declined" && rand() < 0.4
          ? new Date(nowMs + (30 + Math.floor(rand() * 120)) * DAY).toISOString().slice(0, 10)
          : null;
      at(answeredAt, () =>
        postOfficialResponse(db, pm, {
          ideaId: ideaId(seed),
          toStatus: seed.status as Exclude<SeedIdea["status"], "new">,
          body: seed.response ?? "Thank you for this idea.",
          declineReason: seed.status === "declined" ? "not_planned" : null,
          revisitOn,
          at: new Date(answeredAt),
        }),
      );
    }
  }

  function addCommentSteps(seed: SeedIdea, comments: SeedComment[] | undefined, parent: { id: number } | null, after: number) {
    let t = after;
    for (const c of comments ?? []) {
      t = c.ageHours !== undefined ? Math.max(t + 60_000, nowMs - c.ageHours * HOUR) : t + 3 * HOUR;
      const when = Math.min(t, nowMs - 60_000);
      const holder: { id: number } = { id: 0 };
      at(when, async () => {
        const created = await addComment(db, actor(c.author), {
          ideaId: ideaId(seed),
          body: c.body,
          parentId: parent ? parent.id : null,
          at: new Date(when),
        });
        holder.id = created.id;
      });
      addCommentSteps(seed, c.replies, holder, when);
    }
  }

  steps.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const step of steps) await step.run();

  // A little for the moderators to look at: two members flag an off-topic comment.
  const comment = await db
    .selectFrom("comments")
    .select(["id", "author_id"])
    .where("author_id", "<>", pm.id)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (comment) {
    const flaggers = MEMBERS.filter((m) => m.role === "member" && actor(m.handle).id !== comment.author_id).slice(4, 6);
    for (const f of flaggers) await flagItem(db, actor(f.handle), { kind: "comment", targetId: comment.id, reason: "off_topic", note: "" });
  }

  // What the product team heard elsewhere: a call, a store visit, a support ticket, and a vote
  // Aroha gave on the phone for an open accessibility idea she had not voted on.
  const accessible = await db
    .selectFrom("ideas")
    .innerJoin("idea_tags", "idea_tags.idea_id", "ideas.id")
    .innerJoin("tags", "tags.id", "idea_tags.tag_id")
    .select(["ideas.id", "ideas.title"])
    .where("tags.slug", "=", "accessibility")
    .where("ideas.status", "in", ["new", "under_review", "planned", "in_progress"])
    .where("ideas.moderation", "=", "visible")
    .where((eb) => eb.not(eb.exists(eb.selectFrom("votes").select("votes.idea_id").whereRef("votes.idea_id", "=", "ideas.id").where("votes.member_id", "=", actor("aroha_w").id))))
    .where("ideas.author_id", "<>", actor("aroha_w").id)
    .orderBy("ideas.score", "desc")
    .limit(1)
    .executeTakeFirst();
  await logInteraction(db, pm, {
    memberId: actor("dev_patel").id, channel: "support", happenedAt: new Date(nowMs - 9 * DAY),
    summary: "Ticket #4471: the app lost his mobile order twice at Broadway. Wants a *ready* notification rather than checking the counter.",
    ideaIds: [], shared: false, correctsId: null,
  });
  await logInteraction(db, pm, {
    memberId: actor("maria_g").id, channel: "store", happenedAt: new Date(nowMs - 4 * DAY),
    summary: "Chatted at the Pier 4 counter: the oat milk surcharge is why she has started making coffee at home some days.",
    ideaIds: [], shared: true, correctsId: null,
  });
  if (accessible) {
    await voteOnBehalf(db, pm, {
      memberId: actor("aroha_w").id, ideaId: accessible.id, value: 1, channel: "phone", happenedAt: new Date(nowMs - 2 * DAY),
      note: `Called the support line about the step at the Harbor Street entrance; asked us to count her in for “${accessible.title}”.`,
    });
  }
  const mobile = await db.selectFrom("tags").select("id").where("slug", "=", "mobile").executeTakeFirstOrThrow();
  await saveCohort(db, pm, { name: "Backed two or more mobile ideas", criteria: [{ kind: "voted_tag", tagId: mobile.id, min: 2 }] });

  // The replayed past counted against today's posting limits; the demo members start today fresh.
  await db.deleteFrom("rate_limits").execute();
  // All but each member's latest few notifications have been read.
  await sql`update notifications set read_at = created_at + interval '1 hour' where id not in (
              select id from (select id, row_number() over (partition by member_id order by created_at desc, id desc) as n from notifications) r
              where r.n <= 3)`.execute(db);
  return { members: MEMBERS.length, ideas: IDEAS.length };
}

// `npm run db:seed`
// (Guarded by file name: bundled into the server, import.meta.url is the bundle's.)
if (process.argv[1]?.endsWith("db/seed.ts")) {
  const { openDatabase } = await import("../app/lib/db.server");
  const { migrateAndGrant } = await import("./migrate");
  const { startJobQueue } = await import("../app/lib/queue.server");
  const { JOBS } = await import("../app/models/jobs.server");
  const database = await openDatabase();
  try {
    await migrateAndGrant(database);
    const jobs = await startJobQueue(database, JOBS, { work: false, schedule: false });
    const seeded = await seedDemo(database.db);
    await jobs.stop();
    console.log(seeded ? `seeded ${seeded.members} members and ${seeded.ideas} ideas` : "the database already has members; nothing seeded");
  } finally {
    await database.close();
  }
}
