import { Link } from "@remix-run/react";
import type { IdeaStatus } from "../../db/schema";
import { ideaPath } from "../models/ideas/idea";
import { isVotingOpen } from "../models/policy";
import { excerpt, plural } from "../models/shared/format";
import { StaffMark, StatusBadge, TimeAgo } from "./ui";
import { VoteControl } from "./vote";

export interface IdeaCardData {
  id: number;
  title: string;
  status: IdeaStatus;
  score: number;
  comment_count: number;
  created_at: string | Date;
  excerpt?: string;
  author_handle: string;
  author_name: string;
  author_role: string;
  category_slug: string | null;
  category_name: string | null;
  my_vote: -1 | 1 | null;
}

export function IdeaCard({ idea, returnTo }: { idea: IdeaCardData; returnTo: string }) {
  return (
    <li className="idea-card">
      <VoteControl
        ideaId={idea.id}
        title={idea.title}
        score={idea.score}
        myVote={idea.my_vote ?? 0}
        open={isVotingOpen(idea.status)}
        returnTo={returnTo}
      />
      <div className="idea-card-body">
        <h3 className="idea-card-title">
          <Link to={ideaPath(idea)}>{idea.title}</Link>
        </h3>
        {idea.excerpt ? <p className="idea-card-excerpt">{excerpt(idea.excerpt)}</p> : null}
        <p className="meta">
          {idea.status !== "new" ? <StatusBadge status={idea.status} /> : null}
          {idea.category_slug ? (
            <Link to={`/?category=${idea.category_slug}`} className="category-pill">{idea.category_name}</Link>
          ) : null}
          <span>
            by <Link to={`/members/${idea.author_handle}`}>{idea.author_name}</Link> <StaffMark role={idea.author_role} />
          </span>
          <span aria-hidden="true">·</span>
          <TimeAgo iso={idea.created_at} />
          <span aria-hidden="true">·</span>
          <Link to={`${ideaPath(idea)}#comments`} className="comment-count">
            {plural(idea.comment_count, "comment")}
          </Link>
        </p>
      </div>
    </li>
  );
}
