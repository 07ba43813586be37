import { describe, expect, it } from "vitest";
import { buildThread, commentAuthorId, type CommentNode, type FlatComment } from "../../app/models/discussion/comment";

type Flat = FlatComment;

const c = (id: number, parentId: number | null = null, deleted = false): Flat => ({
  id,
  parentId,
  authorHandle: deleted ? "" : `member${id}`,
  authorName: deleted ? "" : `Member ${id}`,
  authorRole: "member",
  bodyHtml: deleted ? "" : `<p>comment ${id}</p>`,
  body: deleted ? "" : `comment ${id}`,
  createdAt: new Date(Date.UTC(2024, 0, 1, 0, id)).toISOString(),
  editedAt: null,
  deleted,
  moderation: "visible",
  moderationReason: null,
  redacted: false,
});

/** The tree as nested [id, replies] for compact comparison. */
type Shape = [number, Shape[]];
const shape = (nodes: CommentNode[]): Shape[] => nodes.map((n) => [n.id, shape(n.replies)]);

describe("buildThread", () => {
  it("keeps a moderator-removed comment as a placeholder only while it has replies", () => {
    const removed = (id: number, parentId: number | null = null): Flat => ({ ...c(id, parentId), moderation: "deleted", redacted: true });
    expect(shape(buildThread([removed(1), c(2, 1), removed(3)]))).toEqual([[1, [[2, []]]]]);
  });

  it("returns an empty thread for no comments", () => {
    expect(buildThread([])).toEqual([]);
  });

  it("keeps top-level comments in posting order", () => {
    expect(shape(buildThread([c(1), c(2), c(3)]))).toEqual([[1, []], [2, []], [3, []]]);
  });

  it("nests replies under their parents, in order, several levels deep", () => {
    const flat = [c(1), c(2), c(3, 1), c(4, 1), c(5, 3), c(6, 2), c(7, 5), c(8, 1)];
    expect(shape(buildThread(flat))).toEqual([
      [1, [[3, [[5, [[7, []]]]]], [4, []], [8, []]]],
      [2, [[6, []]]],
    ]);
  });

  it("carries a comment's fields over, leaving out those at their usual value, and adds replies", () => {
    const [root] = buildThread([c(1), c(2, 1)]);
    const usual = (id: number) => ({
      id, authorHandle: `member${id}`, authorName: `Member ${id}`, bodyHtml: `<p>comment ${id}</p>`,
      body: `comment ${id}`, createdAt: c(id).createdAt,
    });
    expect(root).toEqual({ ...usual(1), replies: [{ ...usual(2), replies: [] }] });
    const [unusual] = buildThread([
      { ...c(3), authorRole: "moderator", editedAt: "2024-02-01T00:00:00.000Z", moderation: "hidden", moderationReason: "Off-topic", redacted: true, body: "" },
    ]);
    expect(unusual).toEqual({
      ...usual(3), body: undefined, authorRole: "moderator", editedAt: "2024-02-01T00:00:00.000Z", moderation: "hidden",
      moderationReason: "Off-topic", redacted: true, replies: [],
    });
    expect("body" in unusual!).toBe(false);
  });

  it("says only whether the viewer wrote a comment, and the rules see the viewer's id for it, no member's otherwise", () => {
    const [mine, theirs] = buildThread([{ ...c(1), mine: true }, { ...c(2), mine: false }]);
    expect(mine!.mine).toBe(true);
    expect("mine" in theirs!).toBe(false);
    expect(commentAuthorId(mine!, { id: 7 })).toBe(7);
    expect(commentAuthorId(theirs!, { id: 7 })).toBe(0);
    expect(commentAuthorId(mine!, null)).toBe(0);
  });

  it("does not mutate the input objects", () => {
    const flat = [c(1), c(2, 1)];
    buildThread(flat);
    expect(flat[0]).toEqual(c(1));
    expect("replies" in flat[0]!).toBe(false);
  });

  it("keeps a deleted comment with visible replies as a placeholder", () => {
    const thread = buildThread([c(1, null, true), c(2, 1), c(3)]);
    expect(shape(thread)).toEqual([[1, [[2, []]]], [3, []]]);
    expect(thread[0]!.deleted).toBe(true);
    expect(thread[0]!.body).toBeUndefined();
  });

  it("keeps a deleted comment whose reply's reply is visible", () => {
    const thread = buildThread([c(1, null, true), c(2, 1, true), c(3, 2)]);
    expect(shape(thread)).toEqual([[1, [[2, [[3, []]]]]]]);
  });

  it("removes a deleted comment without replies", () => {
    expect(shape(buildThread([c(1), c(2, null, true), c(3), c(4, 1, true)]))).toEqual([[1, []], [3, []]]);
  });

  it("removes a deleted comment whose only replies are deleted", () => {
    const flat = [c(1, null, true), c(2, 1, true), c(3, 2, true), c(4, 1, true), c(5)];
    expect(shape(buildThread(flat))).toEqual([[5, []]]);
  });

  it("keeps a visible comment whose replies are all deleted, without them", () => {
    expect(shape(buildThread([c(1), c(2, 1, true), c(3, 1, true)]))).toEqual([[1, []]]);
  });

  it("treats a reply to an unknown parent as a top-level comment, in order", () => {
    expect(shape(buildThread([c(1), c(2, 999), c(3), c(4, 2)]))).toEqual([[1, []], [2, [[4, []]]], [3, []]]);
  });

  it("drops a deleted orphan without replies", () => {
    expect(shape(buildThread([c(1), c(2, 999, true)]))).toEqual([[1, []]]);
  });
});
