import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createCategory, createTag, renameCategory } from "../../app/models/catalog/catalog.server";
import { addComment, deleteComment, editComment } from "../../app/models/discussion/comments.server";
import { EVENT_TYPES, type EventType } from "../../app/models/events/catalogue";
import { setCategoryFollowing, setFollowing } from "../../app/models/following/follows.server";
import { editIdea, postIdea } from "../../app/models/ideas/ideas.server";
import { previewMarkdown } from "../../app/models/ideas/preview.server";
import { changeRole, loadActor } from "../../app/models/members/members.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { decideHeldPost } from "../../app/models/moderation/approval.server";
import { setDiscussionLock } from "../../app/models/discussion/locks.server";
import { flagItem, withdrawFlag } from "../../app/models/moderation/flags.server";
import { suspendMember, unsuspendMember } from "../../app/models/moderation/suspensions.server";
import { mergeIdeas, undoMerge } from "../../app/models/pipeline/merges.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import type { Actor } from "../../app/models/policy";
import { DomainError } from "../../app/models/shared/errors";
import { getSettings, updateSettings } from "../../app/models/settings/settings.server";
import { addStaffNote, assignOwner, setIdeaCategory, setIdeaTags } from "../../app/models/triage/triage.server";
import { castVote } from "../../app/models/votes/votes.server";
import { messageCohort, saveCohort } from "../../app/models/listening/cohorts.server";
import { commentOnBehalf, logInteraction, setStaffMessages, voteOnBehalf } from "../../app/models/listening/record.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { databaseSnapshot } from "../support/snapshot";

/**
 * Every write command × every kind of actor, called on the domain directly
 * (as a route, a job, the API or a staff action on someone's behalf would):
 * each refusal is a DomainError that changes no row, queues no job and
 * appends no event; each success appends exactly the events the catalogue
 * says that command appends.
 */

const ACTORS = ["visitor", "author", "other member", "suspended member", "moderator", "product manager", "admin"] as const;
type ActorKind = (typeof ACTORS)[number];

let t: TestDatabase;
const fixed = {} as Record<Exclude<ActorKind, "visitor" | "author">, Actor>;
let admin: TestMember;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "general", "General");
  await ensureCategory(t.db, "drinks", "Drinks");
  await t.db.insertInto("tags").values([{ slug: "seasonal", name: "Seasonal" }]).execute();
  admin = await makeMember(t.db, { role: "admin", displayName: "Matrix Admin" });
  fixed.admin = admin;
  fixed["other member"] = await makeMember(t.db, { displayName: "Other Member" });
  fixed.moderator = await makeMember(t.db, { role: "moderator", displayName: "Matrix Moderator" });
  fixed["product manager"] = await makeMember(t.db, { role: "product_manager", displayName: "Matrix PM" });
  const suspended = await makeMember(t.db, { displayName: "Suspended Member" });
  await suspendMember(t.db, admin, { memberId: suspended.id, until: null, reason: "Testing the matrix" });
  fixed["suspended member"] = await loadActor(t.db, suspended.id);
});

interface Fixture {
  /** Whose content or account the command is about: the "author" actor. */
  owner: Actor;
  [key: string]: unknown;
}

interface Case {
  name: string;
  fixture: () => Promise<Fixture>;
  run: (actor: Actor | null, f: Fixture) => Promise<unknown>;
  allowed: ActorKind[];
  /** The events a success appends, by actor (the same for all when an array). */
  events: EventType[] | ((kind: ActorKind) => EventType[]);
}

const SIGNED_IN: ActorKind[] = ["author", "other member", "moderator", "product manager", "admin"];
const PRODUCT_TEAM: ActorKind[] = ["product manager", "admin"];
const MODERATORS: ActorKind[] = ["moderator", "admin"];

const owner = () => makeMember(t.db);
const ideaOf = async () => {
  const o = await owner();
  return { owner: o, idea: await makeIdea(t.db, o) };
};

const CASES: Case[] = [
  {
    name: "postIdea",
    fixture: async () => ({ owner: await owner() }),
    run: (a) => postIdea(t.db, a, { title: "A matrix idea to post", body: "Body", category: "general" }),
    allowed: SIGNED_IN,
    events: ["idea.posted", "idea.followed"],
  },
  {
    name: "editIdea",
    fixture: ideaOf,
    run: (a, f) => editIdea(t.db, a, { ideaId: (f.idea as { id: number }).id, title: "An edited matrix idea", body: "New body", category: "general" }),
    allowed: ["author", "moderator", "product manager", "admin"],
    events: ["idea.edited"],
  },
  {
    name: "castVote",
    fixture: ideaOf,
    run: (a, f) => castVote(t.db, a, { ideaId: (f.idea as { id: number }).id, value: 1 }),
    allowed: SIGNED_IN,
    // Voting follows the idea, unless the voter already does (its author).
    events: (kind) => (kind === "author" ? ["vote.cast"] : ["vote.cast", "idea.followed"]),
  },
  {
    name: "setFollowing",
    fixture: ideaOf,
    run: (a, f) => setFollowing(t.db, a, { ideaId: (f.idea as { id: number }).id, follow: true }),
    // Following changes nothing others see, so a suspended member may.
    allowed: [...SIGNED_IN, "suspended member"],
    events: (kind) => (kind === "author" ? [] : ["idea.followed"]),
  },
  {
    name: "setCategoryFollowing (follow, then unfollow)",
    fixture: async () => ({ owner: await owner(), category: await createCategory(t.db, admin, { name: `Followed ${Math.random().toString(36).slice(2, 8)}`, description: "" }) }),
    run: async (a, f) => {
      const slug = (f.category as { slug: string }).slug;
      await setCategoryFollowing(t.db, a, { slug, follow: true });
      await setCategoryFollowing(t.db, a, { slug, follow: false });
    },
    // Like following an idea: it changes nothing others see.
    allowed: [...SIGNED_IN, "suspended member"],
    events: ["category.followed", "category.unfollowed"],
  },
  {
    name: "addComment",
    fixture: ideaOf,
    run: (a, f) => addComment(t.db, a, { ideaId: (f.idea as { id: number }).id, body: "A matrix comment", parentId: null }),
    allowed: SIGNED_IN,
    events: ["comment.added"],
  },
  ...(["editComment", "deleteComment"] as const).map((name): Case => ({
    name,
    fixture: async () => {
      const { owner: o, idea } = await ideaOf();
      return { owner: o, idea, comment: await addComment(t.db, o, { ideaId: idea.id, body: "Their comment", parentId: null }) };
    },
    run: (a, f) => {
      const input = { ideaId: (f.idea as { id: number }).id, commentId: (f.comment as { id: number }).id };
      return name === "editComment" ? editComment(t.db, a, { ...input, body: "Changed words" }) : deleteComment(t.db, a, input);
    },
    allowed: ["author", "moderator", "admin"],
    events: [name === "editComment" ? "comment.edited" : "comment.deleted"],
  })),
  {
    name: "flagItem",
    fixture: ideaOf,
    run: (a, f) => flagItem(t.db, a, { kind: "idea", targetId: (f.idea as { id: number }).id, reason: "spam", note: "" }),
    allowed: ["other member", "moderator", "product manager", "admin"],
    // A moderator's flag hides at once.
    events: (kind) => (kind === "moderator" || kind === "admin" ? ["flag.raised", "moderation.auto_hidden"] : ["flag.raised"]),
  },
  {
    name: "withdrawFlag",
    fixture: async () => {
      const flagger = await owner();
      const { idea } = await ideaOf();
      return { owner: flagger, flag: await flagItem(t.db, flagger, { kind: "idea", targetId: idea.id, reason: "spam", note: "" }) };
    },
    run: (a, f) => withdrawFlag(t.db, a, (f.flag as { flagId: number }).flagId),
    allowed: ["author"],
    events: ["flag.withdrawn"],
  },
  {
    name: "moderate",
    fixture: ideaOf,
    run: (a, f) => moderate(t.db, a, { kind: "idea", targetId: (f.idea as { id: number }).id, action: "hide", reason: "Matrix" }),
    allowed: MODERATORS,
    events: ["moderation.hidden"],
  },
  {
    name: "suspendMember",
    fixture: async () => ({ owner: await owner() }),
    run: (a, f) => suspendMember(t.db, a, { memberId: f.owner.id, until: null, reason: "Matrix" }),
    allowed: MODERATORS,
    events: ["member.suspended"],
  },
  {
    name: "unsuspendMember",
    fixture: async () => {
      const o = await owner();
      await suspendMember(t.db, admin, { memberId: o.id, until: null, reason: "Matrix" });
      return { owner: await loadActor(t.db, o.id) };
    },
    run: (a, f) => unsuspendMember(t.db, a, f.owner.id),
    allowed: MODERATORS,
    events: ["member.unsuspended"],
  },
  {
    name: "changeRole",
    fixture: async () => ({ owner: await owner() }),
    run: (a, f) => changeRole(t.db, a, { memberId: f.owner.id, role: "moderator" }),
    allowed: ["admin"],
    events: ["member.role_changed"],
  },
  {
    name: "postOfficialResponse",
    fixture: ideaOf,
    run: (a, f) => postOfficialResponse(t.db, a, { ideaId: (f.idea as { id: number }).id, toStatus: "under_review", body: "Looking at it." }),
    allowed: PRODUCT_TEAM,
    events: ["idea.status_changed"],
  },
  {
    name: "mergeIdeas",
    fixture: async () => {
      const { owner: o, idea: source } = await ideaOf();
      const { idea: target } = await ideaOf();
      await castVote(t.db, fixed["other member"], { ideaId: source.id, value: 1 });
      return { owner: o, source, target };
    },
    run: (a, f) => mergeIdeas(t.db, a, { sourceId: (f.source as { id: number }).id, targetId: (f.target as { id: number }).id }),
    allowed: PRODUCT_TEAM,
    // The merge, the voter's vote moving, and the voter and the source's author now following the target.
    events: ["idea.merged", "vote.moved", "idea.followed", "idea.followed"],
  },
  {
    name: "undoMerge",
    fixture: async () => {
      const { owner: o, idea: source } = await ideaOf();
      const { idea: target } = await ideaOf();
      await castVote(t.db, fixed["other member"], { ideaId: source.id, value: 1 });
      return { owner: o, merge: await mergeIdeas(t.db, admin, { sourceId: source.id, targetId: target.id }) };
    },
    run: (a, f) => undoMerge(t.db, a, (f.merge as { mergeId: number }).mergeId),
    allowed: PRODUCT_TEAM,
    events: ["idea.unmerged", "vote.move_undone", "idea.unfollowed", "idea.unfollowed"],
  },
  {
    name: "setIdeaTags",
    fixture: ideaOf,
    run: (a, f) => setIdeaTags(t.db, a, { ideaId: (f.idea as { id: number }).id, tags: ["seasonal"] }),
    allowed: PRODUCT_TEAM,
    events: ["idea.tagged"],
  },
  {
    name: "setIdeaCategory",
    fixture: ideaOf,
    run: (a, f) => setIdeaCategory(t.db, a, { ideaId: (f.idea as { id: number }).id, category: "drinks" }),
    allowed: PRODUCT_TEAM,
    events: ["idea.categorised"],
  },
  {
    name: "assignOwner",
    fixture: ideaOf,
    run: (a, f) => assignOwner(t.db, a, { ideaId: (f.idea as { id: number }).id, ownerId: admin.id }),
    allowed: PRODUCT_TEAM,
    events: ["idea.assigned"],
  },
  {
    name: "logInteraction",
    fixture: async () => ({ owner: await owner() }),
    run: (a, f) => logInteraction(t.db, a, { memberId: f.owner.id, channel: "phone", happenedAt: new Date(), summary: "Called in", ideaIds: [], shared: false, correctsId: null }),
    allowed: PRODUCT_TEAM,
    events: ["interaction.logged"],
  },
  {
    name: "voteOnBehalf",
    fixture: async () => ({ owner: await owner(), idea: await makeIdea(t.db, await owner()) }),
    run: (a, f) => voteOnBehalf(t.db, a, { memberId: f.owner.id, ideaId: (f.idea as { id: number }).id, value: 1, channel: "store", happenedAt: new Date(), note: "" }),
    allowed: PRODUCT_TEAM,
    events: ["interaction.logged", "vote.cast", "idea.followed"],
  },
  {
    name: "commentOnBehalf",
    fixture: async () => ({ owner: await owner(), idea: await makeIdea(t.db, await owner()) }),
    run: (a, f) => commentOnBehalf(t.db, a, { memberId: f.owner.id, ideaId: (f.idea as { id: number }).id, body: "Said at the counter", channel: "store", happenedAt: new Date() }),
    allowed: PRODUCT_TEAM,
    events: ["interaction.logged", "comment.added"],
  },
  {
    name: "saveCohort",
    fixture: async () => ({ owner: await owner() }),
    run: (a) => saveCohort(t.db, a, { name: "Adopted authors", criteria: [{ kind: "adopted_authors" }] }),
    allowed: PRODUCT_TEAM,
    events: ["cohort.saved"],
  },
  {
    name: "messageCohort",
    fixture: async () => ({ owner: await owner(), cohort: await saveCohort(t.db, admin, { name: "Matrix cohort", criteria: [{ kind: "adopted_authors" }] }) }),
    run: (a, f) => messageCohort(t.db, a, { cohortId: (f.cohort as { id: number }).id, subject: "Hello", body: "Thanks" }),
    allowed: PRODUCT_TEAM,
    events: ["cohort.messaged"],
  },
  {
    name: "setStaffMessages",
    fixture: async () => ({ owner: await owner() }),
    run: (a) => setStaffMessages(t.db, a, false),
    // A preference changes nothing others see, so a suspended member may.
    allowed: [...SIGNED_IN, "suspended member"],
    events: ["member.staff_messages_changed"],
  },
  {
    name: "addStaffNote",
    fixture: ideaOf,
    run: (a, f) => addStaffNote(t.db, a, { ideaId: (f.idea as { id: number }).id, body: "Private note" }),
    allowed: PRODUCT_TEAM,
    events: ["staff_note.added"],
  },
  {
    name: "createTag",
    fixture: async () => ({ owner: await owner(), name: `Matrix tag ${Math.random().toString(36).slice(2, 8)}` }),
    run: (a, f) => createTag(t.db, a, { name: f.name as string }),
    allowed: PRODUCT_TEAM,
    events: ["tag.created"],
  },
  {
    name: "createCategory",
    fixture: async () => ({ owner: await owner(), name: `Matrix category ${Math.random().toString(36).slice(2, 8)}` }),
    run: (a, f) => createCategory(t.db, a, { name: f.name as string, description: "" }),
    allowed: ["admin"],
    events: ["category.created"],
  },
  {
    name: "renameCategory",
    fixture: async () => ({ owner: await owner(), category: await createCategory(t.db, admin, { name: `Cat ${Math.random().toString(36).slice(2, 8)}`, description: "" }) }),
    run: (a, f) => renameCategory(t.db, a, { slug: (f.category as { slug: string }).slug, name: "Renamed by the matrix", description: "" }),
    allowed: ["admin"],
    events: ["category.renamed"],
  },
  {
    name: "updateSettings",
    fixture: async () => ({ owner: await owner(), settings: await getSettings(t.db) }),
    run: async (a, f) => {
      const current = f.settings as Awaited<ReturnType<typeof getSettings>>;
      return updateSettings(t.db, a, { ...current, flags_per_day: current.flags_per_day + 1 });
    },
    allowed: ["admin"],
    events: ["settings.changed"],
  },
  {
    name: "setDiscussionLock (lock)",
    fixture: ideaOf,
    run: (a, f) => setDiscussionLock(t.db, a, { ideaId: (f.idea as { id: number }).id, lock: true, reason: "Off topic" }),
    allowed: ["moderator", "product manager", "admin"],
    events: ["idea.locked"],
  },
  {
    name: "setDiscussionLock (unlock)",
    fixture: async () => {
      const f = await ideaOf();
      await setDiscussionLock(t.db, admin, { ideaId: f.idea.id, lock: true, reason: "Off topic" });
      return f;
    },
    run: (a, f) => setDiscussionLock(t.db, a, { ideaId: (f.idea as { id: number }).id, lock: false }),
    allowed: ["moderator", "product manager", "admin"],
    events: ["idea.unlocked"],
  },
  {
    name: "decideHeldPost (approve)",
    fixture: async () => {
      const o = await owner();
      await t.db.insertInto("settings").values({ key: "approve_first_posts", value: "true" })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: "true" })).execute();
      try {
        return { owner: o, idea: await makeIdea(t.db, o) };
      } finally {
        await t.db.deleteFrom("settings").where("key", "=", "approve_first_posts").execute();
      }
    },
    run: (a, f) => decideHeldPost(t.db, a, { kind: "idea", id: (f.idea as { id: number }).id, approve: true, reason: "" }),
    allowed: MODERATORS,
    events: ["moderation.approved"],
  },
  {
    name: "previewMarkdown",
    fixture: async () => ({ owner: await owner() }),
    run: (a) => previewMarkdown(t.db, a, "**Bold** idea"),
    allowed: SIGNED_IN,
    events: [],
  },
];

const actorFor = (kind: ActorKind, f: Fixture): Actor | null =>
  kind === "visitor" ? null : kind === "author" ? f.owner : fixed[kind];

async function lastEventId(): Promise<string> {
  const row = await sql<{ id: string | null }>`select max(id)::text as id from events`.execute(t.db);
  return row.rows[0]!.id ?? "0";
}

/** Events that reactors append as consequences (a badge earned), not the command's own: tested in badges.test.ts. */
const CONSEQUENCES: EventType[] = ["badge.awarded"];

async function eventsAfter(id: string): Promise<EventType[]> {
  const rows = await t.db.selectFrom("events").select("type").where("id", ">", id).where("type", "not in", CONSEQUENCES).orderBy("id").execute();
  return rows.map((r) => r.type as EventType);
}

const sorted = (types: EventType[]) => [...types].sort();
const appended = new Set<EventType>();

describe.each(CASES)("$name", (c) => {
  it.each(ACTORS)("by %s", async (kind) => {
    const f = await c.fixture();
    const actor = actorFor(kind, f);
    const before = await databaseSnapshot(t.db);
    const since = await lastEventId();
    const outcome = await c.run(actor, f).then(
      () => ({ ok: true as const }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (c.allowed.includes(kind)) {
      if (!outcome.ok) throw outcome.error;
      const expected = typeof c.events === "function" ? c.events(kind) : c.events;
      const events = await eventsAfter(since);
      expect(sorted(events), `${c.name} by ${kind} appends exactly its events`).toEqual(sorted(expected));
      for (const type of events) appended.add(type);
    } else {
      expect(outcome.ok, `${c.name} by ${kind} must be refused`).toBe(false);
      const error = (outcome as { error: unknown }).error;
      expect(error, String(error)).toBeInstanceOf(DomainError);
      expect([403, 404, 409]).toContain((error as DomainError).status);
      expect(await databaseSnapshot(t.db), `${c.name} by ${kind} changed something`).toEqual(before);
      expect(await eventsAfter(since)).toEqual([]);
    }
  });
});

describe("the event catalogue", () => {
  it("every event type a command above appends is in the catalogue, and the matrix covers all but the system's own", () => {
    for (const type of appended) expect(EVENT_TYPES).toContain(type);
    // Appended by the system, a sign-up or the account page, tested where they happen (pipeline, flags, auth, mail).
    const elsewhere: EventType[] = ["moderation.held", "member.joined", "member.email_verified", "member.profile_edited", "member.password_changed", "member.mail_preferences_changed", "idea.revisited", "moderation.auto_restored", "moderation.dismissed", "moderation.deleted", "moderation.restored", "idea.responded", "vote.changed", "vote.retracted", ...CONSEQUENCES,
      // Following members: tested in following-members.test.ts.
      "member.followed", "member.unfollowed",
      // Proposed duplicates: tested in duplicate-proposals.test.ts.
      "duplicate.proposed", "duplicate.rejected",
      // The account page's photo and vote-visibility choice: tested in avatars.test.ts.
      "member.avatar_changed", "member.votes_visibility_changed"];
    const uncovered = EVENT_TYPES.filter((type) => !appended.has(type) && !elsewhere.includes(type));
    expect(uncovered).toEqual([]);
  });
});
