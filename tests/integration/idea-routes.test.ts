import { beforeAll, describe, expect, it } from "vitest";
import * as ideaPage from "../../app/routes/ideas.$ideaId";
import * as voteRoute from "../../app/routes/ideas.$ideaId.vote";
import * as editPage from "../../app/routes/ideas.$ideaId_.edit";
import * as historyPage from "../../app/routes/ideas.$ideaId_.history";
import * as newIdea from "../../app/routes/ideas.new";
import * as index from "../../app/routes/_index";
import * as memberPage from "../../app/routes/members.$handle";
import { addComment } from "../../app/models/discussion/comments.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";

let t: TestDatabase;
let author: Awaited<ReturnType<typeof makeMember>>;
let other: Awaited<ReturnType<typeof makeMember>>;
let moderator: Awaited<ReturnType<typeof makeMember>>;
let authorCookie: string;
let otherCookie: string;
let moderatorCookie: string;

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db, "drinks", "Drinks");
  author = await makeMember(t.db, { displayName: "Idea Author" });
  other = await makeMember(t.db);
  moderator = await makeMember(t.db, { role: "moderator" });
  authorCookie = await cookieFor(t.db, author.id);
  otherCookie = await cookieFor(t.db, other.id);
  moderatorCookie = await cookieFor(t.db, moderator.id);
});

const post = (ideaId: number, form: Record<string, string>, cookie?: string) =>
  callRoute(ideaPage.action, t.db, { path: `/ideas/${ideaId}`, params: { ideaId: String(ideaId) }, form, cookie });

describe("posting an idea through the route", () => {
  it("redirects a visitor to sign in", async () => {
    const res = await callRoute(newIdea.action, t.db, { path: "/ideas/new", form: { title: "Anything at all here", category: "drinks", body: "" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fideas%2Fnew");
  });

  it("posts, redirects to the idea with a flash, and answers bad input with field messages", async () => {
    const ok = await callRoute(newIdea.action, t.db, {
      path: "/ideas/new",
      cookie: authorCookie,
      form: { intent: "save", title: "  Reusable   cup discount  ", category: "drinks", body: "Save the planet." },
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toMatch(/^\/ideas\/\d+-reusable-cup-discount$/);
    expect(ok.headers.get("Set-Cookie")).toContain("gs_flash=");

    const cases: [Record<string, string>, string, RegExp][] = [
      [{ title: "", category: "drinks", body: "" }, "title", /required|at least/],
      [{ title: "short", category: "drinks", body: "" }, "title", /at least 8/],
      [{ title: "x".repeat(121), category: "drinks", body: "" }, "title", /at most 120/],
      [{ title: "Title with a\u0000 NUL byte", category: "drinks", body: "" }, "title", /not allowed/],
      [{ title: "A fine title indeed", category: "", body: "" }, "category", /category/i],
      [{ title: "A fine title indeed", category: "nope", body: "" }, "category", /listed categories/],
      [{ title: "A fine title indeed", category: "drinks", body: "y".repeat(10_001) }, "body", /at most 10,000/],
    ];
    for (const [form, field, message] of cases) {
      const res = await callRoute(newIdea.action, t.db, { path: "/ideas/new", cookie: authorCookie, form: { intent: "save", ...form } });
      expect(res.status, JSON.stringify(form).slice(0, 80)).toBe(400);
      expect(res.data.fieldErrors[field]).toMatch(message);
    }
  });

  it("previews Markdown without saving", async () => {
    const before = await t.db.selectFrom("ideas").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const res = await callRoute(newIdea.action, t.db, {
      path: "/ideas/new",
      cookie: authorCookie,
      form: { intent: "preview", title: "Preview title here", category: "drinks", body: "**bold** <img src=x onerror=alert(1)>" },
    });
    expect(res.status).toBe(200);
    expect(res.data.preview).toContain("<strong>bold</strong>");
    expect(res.data.preview).not.toContain("onerror");
    const after = await t.db.selectFrom("ideas").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe("the vote buttons' JSON endpoint (POST /ideas/:id/vote)", () => {
  const vote = (ideaId: number | string, form: Record<string, string>, cookie?: string) =>
    callRoute(voteRoute.action, t.db, { path: `/ideas/${ideaId}/vote`, params: { ideaId: String(ideaId) }, form, cookie });

  it("casts, changes and retracts a vote, answering with the score and the vote", async () => {
    const idea = await makeIdea(t.db, author);
    expect(await vote(idea.id, { intent: "vote", value: "up" }, otherCookie)).toMatchObject({ status: 200, data: { score: 1, value: 1 } });
    expect(await vote(idea.id, { intent: "vote", value: "down" }, otherCookie)).toMatchObject({ status: 200, data: { score: -1, value: -1 } });
    expect(await vote(idea.id, { intent: "vote", value: "none" }, otherCookie)).toMatchObject({ status: 200, data: { score: 0, value: 0 } });
    const res = await vote(idea.id, { intent: "vote", value: "up" }, otherCookie);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("refuses with the right status and a message, never a 500", async () => {
    const idea = await makeIdea(t.db, author);
    const anonymous = await vote(idea.id, { intent: "vote", value: "up" });
    expect(anonymous).toMatchObject({ status: 401, data: { error: "Sign in to vote." } });
    expect(anonymous.data.signIn).toBe(`/login?redirectTo=${encodeURIComponent(`/ideas/${idea.id}`)}`);
    expect(await vote(idea.id, { intent: "vote", value: "sideways" }, otherCookie)).toMatchObject({ status: 400, data: { error: "A vote is up, down or none." } });
    expect((await vote(idea.id, {}, otherCookie)).status).toBe(400);
    expect((await vote(999_999, { intent: "vote", value: "up" }, otherCookie)).status).toBe(404);
    expect((await vote("abc", { intent: "vote", value: "up" }, otherCookie)).status).toBe(404);
    const notForm = await callRoute(voteRoute.action, t.db, {
      path: `/ideas/${idea.id}/vote`, params: { ideaId: String(idea.id) }, cookie: otherCookie,
      body: "{not a form", contentType: "multipart/form-data; boundary=x",
    });
    expect(notForm.status).toBe(400);
    await t.db.updateTable("ideas").set({ status: "declined" }).where("id", "=", idea.id).execute();
    const closed = await vote(idea.id, { intent: "vote", value: "up" }, otherCookie);
    expect(closed.status).toBe(409);
    expect(closed.data.error).toMatch(/Voting is closed/);
    expect((await callRoute(voteRoute.loader, t.db, { path: `/ideas/${idea.id}/vote` })).status).toBe(405);
  });
});

describe("the idea page's actions", () => {
  it("votes with a fetcher (data) and without JavaScript (redirect back)", async () => {
    const idea = await makeIdea(t.db, author);
    const withJs = await post(idea.id, { intent: "vote", value: "up" }, otherCookie);
    expect(withJs).toMatchObject({ status: 200, data: { ok: true, score: 1, value: 1 } });
    const noJs = await post(idea.id, { intent: "vote", value: "none", returnTo: "/?sort=new" }, otherCookie);
    expect(noJs.status).toBe(302);
    expect(noJs.headers.get("Location")).toBe("/?sort=new");
    const offsite = await post(idea.id, { intent: "vote", value: "up", returnTo: "//evil.example" }, otherCookie);
    expect(offsite.headers.get("Location")).toBe("/");
  });

  it("without JavaScript and without a returnTo, a vote goes back to the page it was cast on", async () => {
    const idea = await makeIdea(t.db, author);
    const res = await callRoute(ideaPage.action, t.db, {
      path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: otherCookie, form: { intent: "vote", value: "up" },
      headers: { "Sec-Fetch-Mode": "navigate", Referer: "http://localhost/?sort=new", Origin: "http://localhost" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/?sort=new");
  });

  it("answers bad input with 400/404/409 and a message, never a 500", async () => {
    const idea = await makeIdea(t.db, author);
    expect((await post(idea.id, { intent: "vote", value: "sideways" }, otherCookie)).status).toBe(400);
    expect((await post(idea.id, { intent: "launch-missiles" }, otherCookie)).status).toBe(400);
    expect((await post(idea.id, {}, otherCookie)).status).toBe(400);
    expect((await post(idea.id, { intent: "comment", body: "   " }, otherCookie)).data.fieldErrors.body).toMatch(/required/);
    expect((await post(idea.id, { intent: "comment", body: "x".repeat(5001) }, otherCookie)).status).toBe(400);
    expect((await post(idea.id, { intent: "comment", body: "hi", parentId: "abc" }, otherCookie)).status).toBe(400);
    expect((await post(idea.id, { intent: "comment", body: "hi", parentId: "99999" }, otherCookie)).status).toBe(400);
    expect((await post(idea.id, { intent: "edit-comment", commentId: "99999", body: "x" }, otherCookie)).status).toBe(404);
    expect((await post(999_999, { intent: "vote", value: "up" }, otherCookie)).status).toBe(404);
    const badId = await callRoute(ideaPage.loader, t.db, { path: "/ideas/abc", params: { ideaId: "abc" } });
    expect(badId.status).toBe(404);
    const huge = await callRoute(ideaPage.loader, t.db, { path: "/ideas/99999999999", params: { ideaId: "99999999999" } });
    expect(huge.status).toBe(404);
    const notForm = await callRoute(ideaPage.action, t.db, {
      path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: otherCookie,
      body: "{not a form", contentType: "multipart/form-data; boundary=x",
    });
    expect(notForm.status).toBe(400);
    await t.db.updateTable("ideas").set({ status: "declined" }).where("id", "=", idea.id).execute();
    const closed = await post(idea.id, { intent: "vote", value: "up" }, otherCookie);
    expect(closed.status).toBe(409);
    expect(closed.data.fieldErrors.form).toMatch(/Voting is closed/);
  });

  it("lets members edit and delete only their own comments; moderators any", async () => {
    const idea = await makeIdea(t.db, author);
    const added = await post(idea.id, { intent: "comment", body: "My **first** thought" }, otherCookie);
    const commentId = added.data.commentId as number;
    const reply = await post(idea.id, { intent: "comment", body: "A reply", parentId: String(commentId) }, authorCookie);
    expect(reply.status).toBe(200);

    const forged = await post(idea.id, { intent: "edit-comment", commentId: String(commentId), body: "hijacked" }, authorCookie);
    expect(forged.status).toBe(403);
    const forgedDelete = await post(idea.id, { intent: "delete-comment", commentId: String(commentId) }, authorCookie);
    expect(forgedDelete.status).toBe(403);
    const visitor = await post(idea.id, { intent: "delete-comment", commentId: String(commentId) });
    expect(visitor.status).toBe(302); // to sign in
    expect((await t.db.selectFrom("comments").select("body").where("id", "=", commentId).executeTakeFirstOrThrow()).body).toBe("My **first** thought");

    expect((await post(idea.id, { intent: "edit-comment", commentId: String(commentId), body: "Second thought" }, otherCookie)).status).toBe(200);
    expect((await post(idea.id, { intent: "delete-comment", commentId: String(commentId) }, moderatorCookie)).status).toBe(200);

    const page = await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) } });
    expect(page.data.idea.comment_count).toBe(1);
    const [root] = page.data.thread;
    expect(root).toMatchObject({ deleted: true, authorName: "" });
    expect(root!.body).toBeUndefined();
    expect(root.replies).toHaveLength(1);
    expect(root.replies[0]).toMatchObject({ bodyHtml: "<p>A reply</p>\n", authorName: "Idea Author" });
  });

  it("refuses edits of another member's idea with 403 and changes nothing", async () => {
    const idea = await makeIdea(t.db, author, { title: "Original idea title" });
    const form = { intent: "save", title: "Hijacked idea title", category: "drinks", body: "" };
    const res = await callRoute(editPage.action, t.db, { path: `/ideas/${idea.id}/edit`, params: { ideaId: String(idea.id) }, form, cookie: otherCookie });
    expect(res.status).toBe(403);
    const page = await callRoute(editPage.loader, t.db, { path: `/ideas/${idea.id}/edit`, params: { ideaId: String(idea.id) }, cookie: otherCookie });
    expect(page.status).toBe(403);
    const history = await callRoute(historyPage.loader, t.db, { path: `/ideas/${idea.id}/history`, params: { ideaId: String(idea.id) }, cookie: otherCookie });
    expect(history.status).toBe(403);
    const row = await t.db.selectFrom("ideas").select("title").where("id", "=", idea.id).executeTakeFirstOrThrow();
    expect(row.title).toBe("Original idea title");

    const own = await callRoute(editPage.action, t.db, { path: `/ideas/${idea.id}/edit`, params: { ideaId: String(idea.id) }, form: { ...form, title: "Better idea title" }, cookie: authorCookie });
    expect(own.status).toBe(302);
  });
});

describe("pages load in a fixed number of queries", () => {
  it("the list, the idea page and the member page do not query per idea or comment", async () => {
    const voters = await Promise.all(Array.from({ length: 3 }, () => makeMember(t.db)));
    const counts: number[] = [];
    for (const n of [2, 12]) {
      const idea = await makeIdea(t.db, author);
      for (let i = 0; i < n; i++) {
        const c = await addComment(t.db, voters[i % 3]!, { ideaId: idea.id, body: `c${i}`, parentId: null });
        await addComment(t.db, author, { ideaId: idea.id, body: `r${i}`, parentId: c.id });
      }
      for (const v of voters) await castVote(t.db, v, { ideaId: idea.id, value: 1 });
      t.queries.reset();
      await callRoute(ideaPage.loader, t.db, { path: `/ideas/${idea.id}`, params: { ideaId: String(idea.id) }, cookie: otherCookie });
      counts.push(t.queries.count);
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(5); // session (with the unread count), idea, thread, responses with merged-from, own flags

    t.queries.reset();
    await callRoute(index.loader, t.db, { path: "/?limit=5", cookie: otherCookie });
    const small = t.queries.count;
    t.queries.reset();
    await callRoute(index.loader, t.db, { path: "/?limit=50", cookie: otherCookie });
    expect(t.queries.count).toBe(small);
    expect(small).toBeLessThanOrEqual(4); // session, categories, tags, ideas

    t.queries.reset();
    const profile = await callRoute(memberPage.loader, t.db, { path: `/members/${author.handle}`, params: { handle: author.handle } });
    expect(profile.status).toBe(200);
    // member, ideas, comments, counts; and the public record (decision 015): rank all time and this
    // month, points by reason, badges, impact, activity timeline, follow state — none per item.
    expect(t.queries.count).toBeLessThanOrEqual(11);
  });

  it("answers bad list parameters with 400 and unknown things with 404", async () => {
    for (const qs of ["limit=0", "limit=1000", "limit=abc", "sort=random", "status=lost", "cursor=%00%00", `q=${"x".repeat(300)}`,
      `sort=new&cursor=${Buffer.from('["1",1]').toString("base64url")}`,
      `sort=new&cursor=${Buffer.from('["2024-02-30T10:00:00.000000Z",1]').toString("base64url")}`,
      `sort=top&cursor=${Buffer.from("[1e300,1]").toString("base64url")}`]) {
      const res = await callRoute(index.loader, t.db, { path: `/?${qs}` });
      expect(res.status, qs).toBe(400);
      expect(res.data.message).toBeTruthy();
    }
    expect((await callRoute(index.loader, t.db, { path: "/?category=unknown" })).status).toBe(404);
    expect((await callRoute(memberPage.loader, t.db, { path: "/members/nobody_here", params: { handle: "nobody_here" } })).status).toBe(404);
    expect((await callRoute(memberPage.loader, t.db, { path: "/members/<x>", params: { handle: "<x>" } })).status).toBe(404);
  });
});

describe("control characters in queries", () => {
  it("answers a NUL byte in search with 400 and in the similar-ideas lookup with an empty list, never a 500", async () => {
    const search = await callRoute(index.loader, t.db, { path: "/?q=%00abc" });
    expect(search.status).toBe(400);
    expect(search.data.message).toMatch(/not allowed/);
    const { loader: similarLoader } = await import("../../app/routes/ideas.similar");
    const similar = await callRoute(similarLoader, t.db, { path: "/ideas/similar?title=%00%00%00%00" });
    expect(similar.status).toBe(200);
    expect(similar.data.ideas).toEqual([]);
  });
});
