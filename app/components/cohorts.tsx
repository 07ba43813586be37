import { Link } from "@remix-run/react";
import { TimeAgo } from "./ui";
import { useT } from "../i18n";

export interface CohortMemberRow {
  id: number;
  handle: string;
  display_name: string;
  created_at: string | Date;
  staff_messages: boolean;
}

/** One page of a cohort's members, each linking to their record. */
export function CohortMemberList({ members, nextHref }: { members: CohortMemberRow[]; nextHref: string | null }) {
  const t = useT();
  if (!members.length) return <p className="muted">{t("No member meets these conditions.")}</p>;
  return (
    <>
      <ul className="plain-list cohort-members">
        {members.map((m) => (
          <li key={m.id}>
            <Link to={`/members/${m.handle}/record`}>{m.display_name}</Link> <span className="muted">@{m.handle}</span>
            <span className="meta">{" "}{t("· joined")}{" "}<TimeAgo iso={m.created_at} tooltip={false} />{m.staff_messages ? "" : " · no staff messages"}</span>
          </li>
        ))}
      </ul>
      {nextHref ? (
        <nav aria-label={t("Pages")} className="pager">
          <span />
          <Link to={nextHref} rel="next">{t("More members →")}</Link>
        </nav>
      ) : null}
    </>
  );
}
