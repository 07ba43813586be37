import { sql } from "kysely";
import type { DB } from "../app/lib/db.server";
import { addComment } from "../app/models/comments.server";
import { postIdea } from "../app/models/ideas.server";
import { signUp } from "../app/models/members.server";
import { castVote } from "../app/models/votes.server";
import { respondToIdea } from "../app/models/pipeline.server";
import { setIdeaTags } from "../app/models/staff.server";
import { flagItem } from "../app/models/moderation.server";
import { CATEGORIES, IDEAS, MEMBERS, TAGS, type SeedComment } from "./seed-data";

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

/**
 * Seeds the demo community of Harbor Coffee Co. into an empty database, going
 * through the same domain functions as the app (so counters, trending keys and
 * events are all real). Does nothing if any member exists.
 */
export async function seedDemo(db: DB, now = new Date()): Promise<{ members: number; ideas: number } | null> {
  const existing = await db.selectFrom("members").select("id").limit(1).executeTakeFirst();
  if (existing) return null;

  const rand = random(42);
  await db
    .insertInto("categories")
    .values(CATEGORIES.map((c, position) => ({ slug: c.slug, name: c.name, description: c.description, position })))
    .execute();

  await db.insertInto("tags").values(TAGS.map((t) => ({ slug: t.slug, name: t.name }))).execute();

  const ids = new Map<string, number>();
  for (const m of MEMBERS) {
    const member = await signUp(db, {
      displayName: m.displayName,
      email: m.email,
      password: DEMO_PASSWORD,
      role: m.role,
      bio: m.bio,
      createdAt: new Date(now.getTime() - m.ageDays * DAY),
    });
    // Seeded handles are the ones the data names, not derived from the display name.
    await db.updateTable("members").set({ handle: m.handle }).where("id", "=", member.id).execute();
    ids.set(m.handle, member.id);
  }
  const memberId = (handle: string) => {
    const id = ids.get(handle);
    if (!id) throw new Error(`seed data names unknown member ${handle}`);
    return id;
  };
  const voters = MEMBERS.map((m) => memberId(m.handle));
  const pm = { id: memberId(MEMBERS.find((m) => m.role === "product_manager")!.handle), role: "product_manager" as const };

  for (const seed of IDEAS) {
    const postedAt = new Date(now.getTime() - seed.ageDays * DAY);
    const idea = await postIdea(
      db,
      memberId(seed.author),
      { title: seed.title, body: seed.body, category: seed.category },
      postedAt,
    );
    // Popular ideas get most of the community behind them, with a few dissenters.
    for (const voter of voters) {
      if (voter === memberId(seed.author)) continue;
      const roll = rand();
      if (roll < seed.popularity * 0.9) {
        await castVote(db, { ideaId: idea.id, memberId: voter, value: rand() < 0.9 ? 1 : -1 });
      } else if (roll > 0.97) {
        await castVote(db, { ideaId: idea.id, memberId: voter, value: -1 });
      }
    }
    await seedComments(db, idea.id, seed.comments, null, postedAt, memberId);
    await setIdeaTags(db, pm, { ideaId: idea.id, tags: seed.tags });
    if (seed.status !== "new") {
      // The product team answered a while after posting, through the real pipeline.
      const answeredAt = new Date(postedAt.getTime() + Math.min(seed.ageDays * 0.3, 14) * DAY);
      const revisitOn =
        seed.status === "declined" && rand() < 0.4
          ? new Date(now.getTime() + (30 + Math.floor(rand() * 120)) * DAY).toISOString().slice(0, 10)
          : null;
      await respondToIdea(db, pm, {
        ideaId: idea.id,
        toStatus: seed.status,
        body: seed.response ?? "Thank you for this idea.",
        declineReason: seed.status === "declined" ? "not_planned" : null,
        revisitOn,
        at: answeredAt,
      });
    }
  }
  // A little for the moderators to look at: two members flag an off-topic comment.
  const comment = await db
    .selectFrom("comments")
    .select(["id", "author_id"])
    .where("author_id", "not in", [pm.id])
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (comment) {
    const flaggers = MEMBERS.filter((m) => m.role === "member" && memberId(m.handle) !== comment.author_id).slice(4, 6);
    for (const f of flaggers) {
      await flagItem(
        db,
        { id: memberId(f.handle), handle: f.handle, displayName: f.displayName, role: "member", createdAt: new Date(now.getTime() - f.ageDays * DAY), suspendedUntil: null, suspensionReason: null },
        { kind: "comment", targetId: comment.id, reason: "off_topic", note: "" },
      );
    }
  }

  // Votes were cast "now"; spread their times over the idea's life for believable activity.
  await sql`update votes set created_at = ideas.created_at + (now() - ideas.created_at) * random(),
              updated_at = votes.created_at from ideas where ideas.id = votes.idea_id`.execute(db);
  // Notifications carry the time of what they are about; all but the latest few are read.
  await sql`update notifications set created_at = events.created_at from events where events.id = notifications.event_id`.execute(db);
  await sql`update notifications set read_at = now() where id not in (
              select id from (select id, row_number() over (partition by member_id order by created_at desc, id desc) as n from notifications) r
              where r.n <= 3)`.execute(db);
  return { members: MEMBERS.length, ideas: IDEAS.length };
}

async function seedComments(
  db: DB,
  ideaId: number,
  comments: SeedComment[] | undefined,
  parentId: number | null,
  postedAt: Date,
  memberId: (handle: string) => number,
) {
  let at = postedAt.getTime();
  for (const c of comments ?? []) {
    at = c.ageHours !== undefined ? Math.max(at, Date.now() - c.ageHours * HOUR) : at + 3 * HOUR;
    const created = await addComment(db, {
      ideaId,
      authorId: memberId(c.author),
      body: c.body,
      parentId,
      createdAt: new Date(Math.min(at, Date.now())),
    });
    await seedComments(db, ideaId, c.replies, created.id, new Date(at), memberId);
  }
}

// `npm run db:seed`
// (Guarded by file name: bundled into the server, import.meta.url is the bundle's.)
if (process.argv[1]?.endsWith("db/seed.ts")) {
  const { openDatabase } = await import("../app/lib/db.server");
  const { migrateToLatest } = await import("./migrate");
  const database = await openDatabase();
  try {
    await migrateToLatest(database.db);
    const seeded = await seedDemo(database.db);
    console.log(seeded ? `seeded ${seeded.members} members and ${seeded.ideas} ideas` : "the database already has members; nothing seeded");
  } finally {
    await database.close();
  }
}
