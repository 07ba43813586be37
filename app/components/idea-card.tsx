import type { IdeaStatus } from "../../db/schema";
import { ideaPath, isVotingOpen } from "../models/ideas/idea";
import { useT } from "../i18n";
import { rich } from "../i18n/rich";
import { StaffMark, StatusBadge, TimeAgo } from "./ui";
import { VoteControl } from "./vote";

/** What a list shows of one idea (made by `toIdeaCard` on the server: the excerpt is already cut). */
export interface IdeaCardData {
  id: number;
  title: string;
  status: IdeaStatus;
  score: number;
  /** Left out when there are none. */
  comment_count?: number;
  created_at: string | Date;
  excerpt: string;
  author_handle: string;
  author_name: string;
  category_slug?: string;
  /** Left out for members (most authors), to keep the list's data small. */
  author_role?: string;
  my_vote?: -1 | 1;
}

export function IdeaCard({ idea, categoryNames }: { idea: IdeaCardData; categoryNames: Record<string, string> }) {
  const path = ideaPath(idea);
  const titleId = `t${idea.id}`;
  const t = useT();
  // Plain links: the list they sit in navigates on the client (ClientNavigation), 20 cards, 80 links, no router hooks.
  // No classes on the parts: the stylesheet finds them by element (.idea-card h3, h3 + p, .meta's links).
  return (
    <li className="idea-card">
      <VoteControl ideaId={idea.id} titleId={titleId} score={idea.score} myVote={idea.my_vote ?? 0} open={isVotingOpen(idea.status)} />
      <div>
        <h3 id={titleId}>
          <a href={path}>{idea.title}</a>
        </h3>
        {idea.excerpt ? <p>{idea.excerpt}</p> : null}
        <p className="meta">
          {idea.status !== "new" ? <StatusBadge status={idea.status} /> : null}
          {idea.category_slug ? (
            <a href={`/?category=${idea.category_slug}`}>{categoryNames[idea.category_slug] ?? idea.category_slug}</a>
          ) : null}
          <span>
            {rich(t("by <0>{name}</0>", { name: idea.author_name }), [<a href={`/members/${idea.author_handle}`} />])} <StaffMark role={idea.author_role ?? "member"} />
          </span>
          <TimeAgo iso={idea.created_at} tooltip={false} />
          <a href={`/ideas/${idea.id}#comments`}>{t("{count, plural, one {# comment} other {# comments}}", { count: idea.comment_count ?? 0 })}</a>
        </p>
      </div>
    </li>
  );
}
