import { Link } from "@remix-run/react";
import type { IdeaStatus } from "../../db/schema";
import { ideaPath } from "../models/ideas/idea";
import { isVotingOpen } from "../models/policy";
import { plural } from "../models/shared/format";
import { StaffMark, StatusBadge, TimeAgo } from "./ui";
import { VoteControl } from "./vote";

/** What a list shows of one idea (made by `toIdeaCard` on the server: the excerpt is already cut). */
export interface IdeaCardData {
  id: number;
  title: string;
  status: IdeaStatus;
  score: number;
  comment_count: number;
  created_at: string | Date;
  excerpt: string;
  author_handle: string;
  author_name: string;
  category_slug?: string;
  /** Left out for members (most authors), to keep the list's data small. */
  author_role?: string;
  my_vote?: -1 | 1;
}

export function IdeaCard({ idea, returnTo, categoryNames }: { idea: IdeaCardData; returnTo: string; categoryNames: Record<string, string> }) {
  const path = ideaPath(idea);
  const titleId = `t${idea.id}`;
  // Links in a list discover their route when followed, not when rendered: 20 cards, 80 links.
  return (
    <li className="idea-card">
      <VoteControl ideaId={idea.id} titleId={titleId} score={idea.score} myVote={idea.my_vote ?? 0} open={isVotingOpen(idea.status)} returnTo={returnTo} />
      <div className="idea-card-body">
        <h3 className="idea-card-title" id={titleId}>
          <Link to={path} discover="none">{idea.title}</Link>
        </h3>
        {idea.excerpt ? <p className="idea-card-excerpt">{idea.excerpt}</p> : null}
        <p className="meta">
          {idea.status !== "new" ? <StatusBadge status={idea.status} /> : null}
          {idea.category_slug ? (
            <Link to={`/?category=${idea.category_slug}`} className="category-pill" discover="none">{categoryNames[idea.category_slug] ?? idea.category_slug}</Link>
          ) : null}
          <span>
            by <Link to={`/members/${idea.author_handle}`} discover="none">{idea.author_name}</Link> <StaffMark role={idea.author_role ?? "member"} />
          </span>
          <TimeAgo iso={idea.created_at} tooltip={false} />
          <Link to={`/ideas/${idea.id}#comments`} className="comment-count" discover="none">{plural(idea.comment_count, "comment")}</Link>
        </p>
      </div>
    </li>
  );
}
