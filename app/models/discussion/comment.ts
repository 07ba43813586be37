
export const COMMENT_BODY_MAX = 5_000;

/** A comment as the thread shows it, with its replies. */
export interface CommentNode {
  id: number;
  parentId: number | null;
  authorId: number;
  authorHandle: string;
  authorName: string;
  authorRole: string;
  bodyHtml: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  /** Moderation state; a reader who may not see the text gets `redacted` and a placeholder. */
  moderation: "visible" | "pending" | "hidden" | "deleted";
  moderationReason: string | null;
  redacted: boolean;
  replies: CommentNode[];
}

/**
 * Builds the reply tree from a flat list in posting order. Deleted comments
 * stay as placeholders only while they still have visible replies.
 */
export function buildThread(flat: Omit<CommentNode, "replies">[]): CommentNode[] {
  const byId = new Map<number, CommentNode>();
  const roots: CommentNode[] = [];
  for (const c of flat) byId.set(c.id, { ...c, replies: [] });
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  const prune = (nodes: CommentNode[]): CommentNode[] =>
    nodes.filter((n) => {
      n.replies = prune(n.replies);
      return !(n.deleted || n.moderation === "deleted") || n.replies.length > 0;
    });
  return prune(roots);
}
