import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, TimeAgo } from "../components/ui";
import { fail, orFail, requireMember } from "../lib/http.server";
import { AUDIT_GROUPS, auditSentence, type AuditGroup, type Segment } from "../models/audit/audit";
import { listAuditLog } from "../models/audit/audit.server";
import { ROLE_LABELS } from "../models/members/roles";
import { formatDate } from "../models/shared/format";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Audit log") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const url = new URL(request.url);
  const actor = url.searchParams.get("actor") ?? "";
  const group = url.searchParams.get("type") ?? "";
  if (actor && !/^[a-z0-9_]{3,30}$/.test(actor)) fail(400, "Filter by a member handle, like priya.");
  if (group && !(group in AUDIT_GROUPS)) fail(400, "Unknown kind of action.");
  const page = await orFail(
    listAuditLog(context.db, member, { actor: actor || undefined, group: (group || undefined) as AuditGroup | undefined, cursor: url.searchParams.get("after") }),
  );
  return { ...page, filter: { actor, type: group } };
}

function Sentence({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) => {
        const text = s.quote ? `“${s.text}”` : s.text;
        return s.href ? <Link key={i} to={s.href}>{text}</Link> : <span key={i}>{text}</span>;
      })}
    </>
  );
}

export default function AuditLog() {
  const t = useT();
  const { items, nextCursor, filter } = useLoaderData<typeof loader>();
  const params = new URLSearchParams({ ...(filter.actor ? { actor: filter.actor } : {}), ...(filter.type ? { type: filter.type } : {}) });
  return (
    <div>
      <section className="hero">
        <h1>{t("Audit log")}</h1>
        <p>{t("Every action taken by staff, newest first: who, in what role, what and on what. The database refuses to change or delete these records.")}</p>
        <p><Link to="/manage/settings">{t("Site settings")}</Link> · <Link to="/manage/categories">{t("Categories")}</Link> · <Link to="/manage/tags">{t("Tags")}</Link> · <Link to="/moderation">{t("Moderation queue")}</Link></p>
      </section>
      <Form method="get" className="filters">
        <div className="filter">
          <label htmlFor="audit-actor">{t("Staff member (handle)")}</label>
          <input id="audit-actor" name="actor" defaultValue={filter.actor} placeholder={t("e.g. sam")} />
        </div>
        <div className="filter">
          <label htmlFor="audit-type">{t("Kind of action")}</label>
          <select id="audit-type" name="type" defaultValue={filter.type}>
            <option value="">{t("All staff actions")}</option>
            {Object.entries(AUDIT_GROUPS).map(([value, g]) => <option key={value} value={value}>{g.label}</option>)}
          </select>
        </div>
        <button type="submit" className="button button-secondary">{t("Filter")}</button>
      </Form>
      {items.length === 0 ? (
        <EmptyState title={t("No staff actions match")} />
      ) : (
        <ol className="audit-list">
          {items.map((e) => (
            <li key={e.id} className="audit-entry">
              <p className="audit-sentence">
                {e.actor ? <Link to={`/members/${e.actor.handle}`}>{e.actor.name}</Link> : <span>{t("Groundswell")}</span>}
                {e.actor?.role ? <span className="muted small"> ({ROLE_LABELS[e.actor.role]})</span> : null}{" "}
                <Sentence segments={auditSentence(e)} />.
              </p>
              <div className="meta">
                <span title={formatDate(e.createdAt)}><TimeAgo iso={e.createdAt} /></span>
                <span aria-hidden="true">·</span>
                <details className="audit-details">
                  <summary>{t("Details")}<span className="visually-hidden">{" "}{t("of this action")}</span></summary>
                  <dl>
                    <dt>{t("Recorded")}</dt><dd>{new Date(e.createdAt).toISOString().replace("T", " ").slice(0, 19)} UTC</dd>
                    <dt>{t("Kind")}</dt><dd><code>{e.type}</code></dd>
                    <dt>{t("Event")}</dt><dd>#{e.id}</dd>
                  </dl>
                </details>
              </div>
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <nav aria-label={t("Pages")} className="pager">
          <span />
          <Link to={`/audit?${params.toString() ? `${params}&` : ""}after=${nextCursor}`} rel="next">{t("Older →")}</Link>
        </nav>
      ) : null}
    </div>
  );
}
