
export const COMMENT_BODY_MAX = 5_000;

/**
 * One comment as a page shows it. Fields at their usual value are left out (a member's
 * comment, visible, never edited): a thread of fifty travels to the browser twice, in the
 * HTML and in the page's data.
 */
export interface CommentNode {
  id: number;
  /** The viewer wrote it. Member ids do not travel: the permission rules need only this (`commentAuthorId`). */
  mine?: true;
  authorHandle: string;
  authorName: string;
  /** Left out for members. */
  authorRole?: string;
  /** The author's photo version; left out when they have none (initials). */
  authorAvatar?: string;
  bodyHtml: string;
  /** The Markdown source, only where the viewer may edit it (the edit form needs it). */
  body?: string;
  createdAt: string;
  editedAt?: string;
  deleted?: true;
  /** Moderation state, left out when visible; a reader who may not see the text gets `redacted` and a placeholder. */
  moderation?: "pending" | "hidden" | "deleted";
  moderationReason?: string;
  redacted?: true;
  /** Staff posted it for the author from another channel (a phone call, a store visit...). */
  loggedBy?: { name: string; channel: string };
  /** A new member's first comment, waiting for a moderator's approval (only its author and moderators see it). */
  awaitingApproval?: true;
  replies: CommentNode[];
}

/** A comment as read from the database, before it takes its place in the thread. */
export interface FlatComment {
  id: number;
  parentId: number | null;
  /** Whether the viewer wrote it. */
  mine?: boolean;
  authorHandle: string;
  authorName: string;
  authorRole: string;
  authorAvatar?: string | null;
  bodyHtml: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  moderation: "visible" | "pending" | "hidden" | "deleted";
  moderationReason: string | null;
  redacted: boolean;
  loggedBy?: { name: string; channel: string } | null;
  awaitingApproval?: boolean;
}

function toNode(c: FlatComment): CommentNode {
  return {
    id: c.id,
    ...(c.mine ? { mine: true as const } : {}),
    authorHandle: c.authorHandle,
    authorName: c.authorName,
    ...(c.authorRole !== "member" ? { authorRole: c.authorRole } : {}),
    ...(c.authorAvatar ? { authorAvatar: c.authorAvatar } : {}),
    bodyHtml: c.bodyHtml,
    ...(c.body ? { body: c.body } : {}),
    createdAt: c.createdAt,
    ...(c.editedAt ? { editedAt: c.editedAt } : {}),
    ...(c.deleted ? { deleted: true as const } : {}),
    ...(c.moderation !== "visible" ? { moderation: c.moderation } : {}),
    ...(c.moderationReason ? { moderationReason: c.moderationReason } : {}),
    ...(c.redacted ? { redacted: true as const } : {}),
    ...(c.loggedBy ? { loggedBy: c.loggedBy } : {}),
    ...(c.awaitingApproval ? { awaitingApproval: true as const } : {}),
    replies: [],
  };
}

/**
 * Builds the reply tree from a flat list in posting order. Deleted comments
 * stay as placeholders only while they still have visible replies.
 */
export function buildThread(flat: FlatComment[]): CommentNode[] {
  const byId = new Map<number, CommentNode>();
  const roots: CommentNode[] = [];
  for (const c of flat) byId.set(c.id, toNode(c));
  for (const c of flat) {
    const node = byId.get(c.id)!;
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  const prune = (nodes: CommentNode[]): CommentNode[] =>
    nodes.filter((n) => {
      n.replies = prune(n.replies);
      return !(n.deleted || n.moderation === "deleted") || n.replies.length > 0;
    });
  return prune(roots);
}

/**
 * The author's id as the permission rules (`can`) see it: the viewer's own id for their comment,
 * 0 (no member) for anyone else's, as the thread carries only whether the viewer wrote it.
 */
export function commentAuthorId(node: Pick<CommentNode, "mine">, viewer: { id: number } | null): number {
  return node.mine && viewer ? viewer.id : 0;
}
