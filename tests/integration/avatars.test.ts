import { sql } from "kysely";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import * as account from "../../app/routes/account";
import * as avatarRoute from "../../app/routes/avatars.$handle.$file";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as memberPage from "../../app/routes/members.$handle";
import { addComment } from "../../app/models/discussion/comments.server";
import { moderate } from "../../app/models/moderation/decisions.server";
import { rebuildPoints } from "../../app/models/engagement/points.server";
import { memberTimeline } from "../../app/models/engagement/impact.server";
import { getIdeaPage } from "../../app/models/ideas/idea-page.server";
import { AVATAR_SIZE, AVATAR_UPLOAD_MAX_BYTES, avatarPath } from "../../app/models/members/avatar";
import { removeAvatar, uploadAvatar } from "../../app/models/members/avatar.server";
import { updateProfile } from "../../app/models/members/account.server";
import { getSettings } from "../../app/models/settings/settings.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember, type TestMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
let png: Buffer;

/** A real image: a 40 × 30 PNG, made here. */
const makePng = (width = 40, height = 30, color = { r: 200, g: 80, b: 40 }) =>
  sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  png = await makePng();
});

/** Posts the account page's photo form, as a browser without JavaScript does (multipart). */
async function postPhoto(member: TestMember, bytes: Uint8Array<ArrayBuffer>, name = "me.png", type = "image/png") {
  const form = new FormData();
  form.set("intent", "avatar");
  form.set("avatar", new File([bytes], name, { type }));
  return callRoute(account.action, t.db, { path: "/account", method: "POST", body: form, cookie: await cookieFor(t.db, member.id) });
}

const versionOf = async (memberId: number) =>
  (await t.db.selectFrom("members").select("avatar_version").where("id", "=", memberId).executeTakeFirstOrThrow()).avatar_version;

const points = async (memberId: number) =>
  (await t.db.selectFrom("member_scores").select("points").where("scope", "=", "all").where("member_id", "=", memberId).executeTakeFirst())?.points ?? 0;

describe("avatar upload", () => {
  it("a real image is checked, squared, re-encoded to WebP without its metadata, stored, and announced by an event", async () => {
    const m = await makeMember(t.db);
    // A JPEG carrying EXIF (a copyright line, as a camera would write where it was taken).
    const jpeg = await sharp({ create: { width: 300, height: 120, channels: 3, background: "#3366aa" } })
      .jpeg()
      .withExif({ IFD0: { Copyright: "Secret Place 51.5N" } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const res = await postPhoto(m, jpeg, "holiday.jpg", "image/jpeg");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/account#profile-heading");
    const row = await t.db.selectFrom("member_avatars").select(["version", "content_type", "bytes"]).where("member_id", "=", m.id).executeTakeFirstOrThrow();
    expect(row.content_type).toBe("image/webp");
    const meta = await sharp(Buffer.from(row.bytes)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", AVATAR_SIZE, AVATAR_SIZE]);
    expect(meta.exif).toBeUndefined();
    expect(Buffer.from(row.bytes).includes("Secret Place")).toBe(false);
    expect(await versionOf(m.id)).toBe(row.version);
    const events = await t.db.selectFrom("events").select(["type", "data"]).where("member_id", "=", m.id).where("type", "=", "member.avatar_changed").execute();
    expect(events.map((e) => e.data)).toEqual([{ change: "uploaded", profileComplete: false }]);

    // The account page shows it.
    const page = await callRoute(account.loader, t.db, { path: "/account", cookie: await cookieFor(t.db, m.id) });
    expect(page.data.account.avatarVersion).toBe(row.version);

    // Removing it: back to initials, with its event; a second removal changes nothing.
    const removed = await callRoute(account.action, t.db, { path: "/account", form: { intent: "remove-avatar" }, cookie: await cookieFor(t.db, m.id) });
    expect(removed.status).toBe(302);
    expect(await versionOf(m.id)).toBeNull();
    expect(await t.db.selectFrom("member_avatars").select("member_id").where("member_id", "=", m.id).executeTakeFirst()).toBeUndefined();
    expect(await removeAvatar(t.db, m)).toBe(false);
    const after = await t.db.selectFrom("events").select("data").where("member_id", "=", m.id).where("type", "=", "member.avatar_changed").orderBy("id").execute();
    expect(after.map((e) => (e.data as { change: string }).change)).toEqual(["uploaded", "removed"]);
  });

  it("a file that is not an image is refused with 400 and a clear message, whatever its name says", async () => {
    const m = await makeMember(t.db);
    const fake = new TextEncoder().encode("<svg onload=alert(1)>not really a png</svg>");
    const res = await postPhoto(m, fake, "innocent.png", "image/png");
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors.avatar).toMatch(/not an image we can read.*JPEG, PNG, WebP or GIF/);
    // A real image of a format we do not take (SVG, TIFF) is refused too.
    const tiff = await sharp(png).tiff().toBuffer();
    expect((await postPhoto(m, tiff, "scan.tiff", "image/tiff")).status).toBe(400);
    // No file at all.
    const empty = await postPhoto(m, new Uint8Array(), "empty.png");
    expect(empty.status).toBe(400);
    expect(await versionOf(m.id)).toBeNull();
    expect(await t.db.selectFrom("events").select("id").where("member_id", "=", m.id).where("type", "=", "member.avatar_changed").execute()).toEqual([]);
  });

  it("a file over the limit is refused with 413 as it arrives, and a body declared too large before reading it", async () => {
    const m = await makeMember(t.db);
    const big = new Uint8Array(AVATAR_UPLOAD_MAX_BYTES + 1);
    big.set(png);
    const res = await postPhoto(m, big, "huge.png");
    expect(res.status).toBe(413);
    expect(res.data.fieldErrors.avatar).toMatch(/too large.*2 MB/);
    const declared = await callRoute(account.action, t.db, {
      path: "/account",
      method: "POST",
      body: "--x\r\n",
      contentType: "multipart/form-data; boundary=x",
      headers: { "Content-Length": String(3 * 1024 * 1024) },
      cookie: await cookieFor(t.db, m.id),
    });
    expect(declared.status).toBe(413);
    // A broken multipart body is a 400, not a 500.
    const broken = await callRoute(account.action, t.db, {
      path: "/account", method: "POST", body: "garbage", contentType: "multipart/form-data; boundary=zzz", cookie: await cookieFor(t.db, m.id),
    });
    expect([400, 413]).toContain(broken.status);
    expect(await versionOf(m.id)).toBeNull();
  });

  it("signed-out uploads go to sign in", async () => {
    const form = new FormData();
    form.set("intent", "avatar");
    form.set("avatar", new File([new Uint8Array(png)], "me.png", { type: "image/png" }));
    const res = await callRoute(account.action, t.db, { path: "/account", method: "POST", body: form });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});

describe("serving avatars", () => {
  it("from /avatars/:handle/:version.webp with an immutable cache and an ETag; any other version is a 404", async () => {
    const m = await makeMember(t.db);
    const { version } = await uploadAvatar(t.db, m, png);
    const path = avatarPath(m.handle, version);
    expect(path).toBe(`/avatars/${m.handle}/${version}.webp`);
    const params = { handle: m.handle, file: `${version}.webp` };
    const request = new Request(`http://localhost${path}`);
    const res = (await avatarRoute.loader({ request, params, context: { db: t.db } } as never)) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/webp");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("ETag")).toBe(`"${version}"`);
    const body = Buffer.from(await res.arrayBuffer());
    expect((await sharp(body).metadata()).format).toBe("webp");
    expect(Number(res.headers.get("Content-Length"))).toBe(body.length);

    const again = (await avatarRoute.loader({ request: new Request(`http://localhost${path}`, { headers: { "If-None-Match": `"${version}"` } }), params, context: { db: t.db } } as never)) as Response;
    expect(again.status).toBe(304);

    const status = async (p: Record<string, string>) => ((await avatarRoute.loader({ request, params: p, context: { db: t.db } } as never)) as Response).status;
    expect(await status({ handle: m.handle, file: "0000000000000000.webp" })).toBe(404);
    expect(await status({ handle: m.handle, file: `${version}.png` })).toBe(404);
    expect(await status({ handle: "nobody_here", file: `${version}.webp` })).toBe(404);
    expect(await status({ handle: m.handle, file: "../../etc/passwd" })).toBe(404);

    // A new photo has a new address; the old one is gone.
    const second = await uploadAvatar(t.db, m, await makePng(50, 50, { r: 10, g: 200, b: 10 }));
    expect(second.version).not.toBe(version);
    expect(await status(params)).toBe(404);
    expect(await status({ handle: m.handle, file: `${second.version}.webp` })).toBe(200);
    await removeAvatar(t.db, m);
    expect(await status({ handle: m.handle, file: `${second.version}.webp` })).toBe(404);
  });

  it("pages show the photo where they showed the initial, with no query per author (no N+1)", async () => {
    const author = await makeMember(t.db);
    const { version } = await uploadAvatar(t.db, author, png);
    const idea = await makeIdea(t.db, author);
    const plain = await makeMember(t.db);
    await addComment(t.db, author, { ideaId: idea.id, body: "With my photo.", parentId: null });
    await addComment(t.db, plain, { ideaId: idea.id, body: "With my initial.", parentId: null });

    const page = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) } });
    expect(page.data.idea.author_avatar).toBe(version);
    const thread = page.data.thread as { authorHandle: string; authorAvatar?: string }[];
    expect(thread.map((c) => c.authorAvatar ?? null)).toEqual([version, null]);
    const profile = await callRoute(memberPage.loader, t.db, { path: `/members/${author.handle}`, params: { handle: author.handle } });
    expect(profile.data.member.avatar_version).toBe(version);
    // The header's signed-in member carries it from the session's own query.
    const { resolveSession } = await import("../../app/lib/auth.server");
    expect((await resolveSession(t.db, await cookieFor(t.db, author.id))).member?.avatarVersion).toBe(version);

    // The idea page costs the same number of queries with 2 comments as with 12 by 12 members with photos.
    t.queries.reset();
    await getIdeaPage(t.db, null, idea.id);
    const few = t.queries.count;
    for (let i = 0; i < 10; i++) {
      const commenter = await makeMember(t.db);
      await uploadAvatar(t.db, commenter, await makePng(20 + i, 20, { r: 20 * i, g: 90, b: 90 }));
      await addComment(t.db, commenter, { ideaId: idea.id, body: `Photo comment ${i}.`, parentId: null });
    }
    t.queries.reset();
    const many = await getIdeaPage(t.db, null, idea.id);
    expect(t.queries.count).toBe(few);
    if (!("idea" in many) || !many.idea) throw new Error("idea hidden");
    expect((many.thread as { authorAvatar?: string }[]).filter((c) => c.authorAvatar)).toHaveLength(11);
  });

  it("a profile moderation hid shows no photo anywhere and serves none, until it is restored", async () => {
    const moderator = await makeMember(t.db, { role: "moderator" });
    const m = await makeMember(t.db);
    const { version } = await uploadAvatar(t.db, m, png);
    const idea = await makeIdea(t.db, m);
    await addComment(t.db, m, { ideaId: idea.id, body: "Look at my photo.", parentId: null });
    const params = { handle: m.handle, file: `${version}.webp` };
    const serve = async () => ((await avatarRoute.loader({ request: new Request("http://localhost/"), params, context: { db: t.db } } as never)) as Response).status;
    const shown = async () => {
      const page = await getIdeaPage(t.db, null, idea.id);
      if (!("idea" in page) || !page.idea) throw new Error("idea hidden");
      return [page.idea.author_avatar, (page.thread as { authorAvatar?: string }[])[0]?.authorAvatar ?? null];
    };
    expect(await shown()).toEqual([version, version]);
    await moderate(t.db, moderator, { kind: "member", targetId: m.id, action: "hide", reason: "Offensive photo" });
    expect(await serve()).toBe(404);
    expect(await shown()).toEqual([null, null]);
    await moderate(t.db, moderator, { kind: "member", targetId: m.id, action: "restore", reason: "" });
    expect(await serve()).toBe(200);
    expect(await shown()).toEqual([version, version]);
  });
});

describe("a complete profile earns points", () => {
  it("a bio and a photo earn points_profile_complete once, taken back while incomplete, earned again, and the rebuild agrees", async () => {
    const amounts = await getSettings(t.db);
    expect(amounts.points_profile_complete).toBeGreaterThan(0);
    const m = await makeMember(t.db, { displayName: "Complete Person" });
    const base = await points(m.id);
    await updateProfile(t.db, m, { displayName: "Complete Person", bio: "I drink a lot of coffee." });
    expect(await points(m.id)).toBe(base);
    await uploadAvatar(t.db, m, png);
    expect(await points(m.id)).toBe(base + amounts.points_profile_complete);
    // Editing again, or a new photo, earns nothing more.
    await updateProfile(t.db, m, { displayName: "Complete Person", bio: "I drink a lot of tea." });
    await uploadAvatar(t.db, m, await makePng(10, 10));
    expect(await points(m.id)).toBe(base + amounts.points_profile_complete);
    // Incomplete: taken back. Complete again: back, once.
    await removeAvatar(t.db, m);
    expect(await points(m.id)).toBe(base);
    await uploadAvatar(t.db, m, png);
    expect(await points(m.id)).toBe(base + amounts.points_profile_complete);
    await updateProfile(t.db, m, { displayName: "Complete Person", bio: "" });
    expect(await points(m.id)).toBe(base);
    await updateProfile(t.db, m, { displayName: "Complete Person", bio: "Back again." });
    expect(await points(m.id)).toBe(base + amounts.points_profile_complete);
    const reasons = await t.db.selectFrom("points_ledger").select(["reason", "points"]).where("member_id", "=", m.id).where("reason", "=", "profile_complete").orderBy("id").execute();
    expect(reasons.map((r) => r.points)).toEqual([5, -5, 5, -5, 5].map((p) => Math.sign(p) * amounts.points_profile_complete));

    // The account page says so.
    const page = await callRoute(account.loader, t.db, { path: "/account", cookie: await cookieFor(t.db, m.id) });
    expect(page.data.profilePoints).toBe(amounts.points_profile_complete);

    const before = await t.db.selectFrom("member_scores").select(["scope", "member_id", "points"]).orderBy("scope").orderBy("member_id").execute();
    await rebuildPoints(t.db);
    expect(await t.db.selectFrom("member_scores").select(["scope", "member_id", "points"]).orderBy("scope").orderBy("member_id").execute()).toEqual(before);
  });
});

describe("votes on the member's page, only if they choose", () => {
  it("off by default; on lists supported ideas (standing up-votes, once each, not their own), paged; off again hides them", async () => {
    const m = await makeMember(t.db);
    const other = await makeMember(t.db);
    const ideas = [];
    for (let i = 0; i < 23; i++) ideas.push(await makeIdea(t.db, other, { title: `Supported idea number ${i}` }));
    const mine = await makeIdea(t.db, m, { title: "My own idea" });
    for (const idea of ideas) await castVote(t.db, m, { ideaId: idea.id, value: 1 });
    await castVote(t.db, m, { ideaId: mine.id, value: 1 });
    // Retracted and cast again: shown once. Retracted: not shown. Down-voted: not shown.
    await castVote(t.db, m, { ideaId: ideas[0]!.id, value: 0 });
    await castVote(t.db, m, { ideaId: ideas[0]!.id, value: 1 });
    await castVote(t.db, m, { ideaId: ideas[1]!.id, value: 0 });
    await castVote(t.db, m, { ideaId: ideas[2]!.id, value: -1 }).catch(() => undefined);

    const load = (path = `/members/${m.handle}`) => callRoute(memberPage.loader, t.db, { path, params: { handle: m.handle } });
    const supported = (entries: { type: string; ideaTitle: string | null }[]) => entries.filter((e) => e.type === "vote.cast").map((e) => e.ideaTitle);
    const off = await load();
    expect(off.data.member.show_votes).toBe(false);
    expect(supported(off.data.timeline.entries)).toEqual([]);

    const cookie = await cookieFor(t.db, m.id);
    const on = await callRoute(account.action, t.db, { path: "/account", form: { intent: "privacy", showVotes: "on" }, cookie });
    expect(on.status).toBe(302);
    const event = await t.db.selectFrom("events").select("data").where("member_id", "=", m.id).where("type", "=", "member.votes_visibility_changed").executeTakeFirstOrThrow();
    expect(event.data).toEqual({ showVotes: true });

    const first = await load();
    const firstTitles = supported(first.data.timeline.entries);
    expect(firstTitles[0]).toBe("Supported idea number 0");
    expect(first.data.timeline.entries).toHaveLength(20);
    const second = await load(`/members/${m.handle}?before=${first.data.timeline.next}`);
    const all = [...firstTitles, ...supported(second.data.timeline.entries)];
    let next = second.data.timeline.next as string | null;
    while (next) {
      const page = await load(`/members/${m.handle}?before=${next}`);
      all.push(...supported(page.data.timeline.entries));
      next = page.data.timeline.next;
    }
    // Down-votes may be switched off on this site: what stands is what the votes table says.
    const standing = await t.db.selectFrom("votes").innerJoin("ideas", "ideas.id", "votes.idea_id").select("ideas.title")
      .where("votes.member_id", "=", m.id).where("votes.value", "=", 1).where("ideas.author_id", "<>", m.id).execute();
    const expected = standing.map((r) => r.title);
    expect(expected).not.toContain("Supported idea number 1");
    expect(expected).toHaveLength(21 + (expected.includes("Supported idea number 2") ? 1 : 0));
    expect([...all].sort()).toEqual([...expected].sort());
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain("My own idea");

    // The unticked checkbox (absent from the form) turns it off.
    await callRoute(account.action, t.db, { path: "/account", form: { intent: "privacy" }, cookie });
    expect(supported((await load()).data.timeline.entries)).toEqual([]);
  });

  it("the timeline's up-votes are read from the partial index events_upvotes_idx", async () => {
    const m = await makeMember(t.db);
    const plan = await t.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      const rows = await sql<{ "QUERY PLAN": string }>`explain
        select e.id from events e
        where e.actor_id = ${m.id} and e.type in ('vote.cast', 'vote.changed') and e.data->>'to' = '1' and e.id < ${"9223372036854775807"}::bigint
        order by e.id desc limit 21`.execute(trx);
      return rows.rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("events_upvotes_idx");
    // And the real query runs with the option on.
    expect((await memberTimeline(t.db, null, m.id, null, { votes: true })).entries).toEqual([]);
  });
});
