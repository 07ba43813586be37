import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Prose, StaffMark, StatusBadge, TimeAgo } from "../components/ui";
import { fail, orFail } from "../lib/http.server";
import { formatDate, plural } from "../models/format";
import { ideaPath } from "../models/idea";
import { getMemberProfile } from "../models/members.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.member.display_name} · Harbor Ideas` : "Member not found · Harbor Ideas" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const handle = params.handle ?? "";
  if (!/^[a-z0-9_]{3,30}$/.test(handle)) fail(404, "That member does not exist.");
  return orFail(getMemberProfile(context.db, handle));
}

export default function MemberPage() {
  const { member, ideas, comments, counts } = useLoaderData<typeof loader>();
  return (
    <div className="member-page">
      <header className="member-header">
        <span className="avatar avatar-lg" aria-hidden="true">{member.display_name.slice(0, 1).toUpperCase()}</span>
        <div>
          <h1>
            {member.display_name} <StaffMark role={member.role} />
          </h1>
          <p className="muted">@{member.handle} · member since {formatDate(member.created_at)}</p>
          {member.bio ? <p className="member-bio">{member.bio}</p> : null}
        </div>
      </header>
      <dl className="stats">
        <div><dt>Ideas</dt><dd>{counts.ideas}</dd></div>
        <div><dt>Comments</dt><dd>{counts.comments}</dd></div>
        <div><dt>Votes</dt><dd>{counts.votes}</dd></div>
      </dl>
      <div className="member-columns">
        <section aria-labelledby="member-ideas">
          <h2 id="member-ideas">Ideas</h2>
          {ideas.length === 0 ? (
            <p className="muted">No ideas yet.</p>
          ) : (
            <ul className="plain-list">
              {ideas.map((idea) => (
                <li key={idea.id}>
                  <Link to={ideaPath(idea)}>{idea.title}</Link>
                  <p className="meta">
                    {idea.status !== "new" ? <StatusBadge status={idea.status} /> : null}
                    <span>{plural(idea.score, "vote")}</span>
                    <span aria-hidden="true">·</span>
                    <span>{plural(idea.comment_count, "comment")}</span>
                    <span aria-hidden="true">·</span>
                    <TimeAgo iso={idea.created_at} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="member-comments">
          <h2 id="member-comments">Comments</h2>
          {comments.length === 0 ? (
            <p className="muted">No comments yet.</p>
          ) : (
            <ul className="plain-list">
              {comments.map((c) => (
                <li key={c.id}>
                  <p className="meta">
                    on <Link to={`${ideaPath({ id: c.idea_id, title: c.idea_title })}#comment-${c.id}`}>{c.idea_title}</Link>
                    <span aria-hidden="true">·</span>
                    <TimeAgo iso={c.created_at} />
                  </p>
                  <Prose html={c.body_html} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
