import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, TimeAgo } from "../components/ui";
import { fail, requireMember } from "../lib/http.server";
import { formatDate } from "../models/format";
import { listAuditLog } from "../models/moderation.server";
import { ROLE_LABELS } from "../models/permissions";

export const meta: MetaFunction = () => [{ title: "Audit log · Harbor Ideas" }];

const TYPE_FILTERS = {
  "": "All staff actions",
  moderation: "Moderation",
  member: "Suspensions and roles",
  idea: "Ideas: status, merges, tags, owners, edits",
  comment: "Comments edited or deleted by staff",
  staff_note: "Staff notes",
  settings: "Settings",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  if (member.role !== "admin") fail(403, "The audit log is for admins.");
  const url = new URL(request.url);
  const actor = url.searchParams.get("actor") ?? "";
  const type = url.searchParams.get("type") ?? "";
  const before = url.searchParams.get("before") ?? "";
  if (actor && !/^[a-z0-9_]{3,30}$/.test(actor)) fail(400, "Filter by a member handle, like priya.");
  if (!(type in TYPE_FILTERS)) fail(400, "Unknown kind of action.");
  if (before && !/^\d{1,18}$/.test(before)) fail(400, "That page link is not valid.");
  const page = await listAuditLog(context.db, member, { actor: actor || undefined, type: type || undefined, before: before || undefined });
  return { ...page, filter: { actor, type } };
}

const describe = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

export default function AuditLog() {
  const { items, nextBefore, filter } = useLoaderData<typeof loader>();
  const params = new URLSearchParams({ ...(filter.actor ? { actor: filter.actor } : {}), ...(filter.type ? { type: filter.type } : {}) });
  return (
    <div>
      <section className="hero">
        <h1>Audit log</h1>
        <p>Every action taken by staff: who, in what role, what, on what, before and after. The database refuses to change or delete these rows.</p>
        <p><Link to="/manage/settings">Site settings</Link> · <Link to="/manage/categories">Categories</Link> · <Link to="/manage/tags">Tags</Link> · <Link to="/moderation">Moderation queue</Link></p>
      </section>
      <Form method="get" className="filters">
        <div className="filter">
          <label htmlFor="audit-actor">Staff member (handle)</label>
          <input id="audit-actor" name="actor" defaultValue={filter.actor} placeholder="e.g. sam" />
        </div>
        <div className="filter">
          <label htmlFor="audit-type">Kind of action</label>
          <select id="audit-type" name="type" defaultValue={filter.type}>
            {Object.entries(TYPE_FILTERS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </div>
        <button type="submit" className="button button-secondary">Filter</button>
      </Form>
      {items.length === 0 ? (
        <EmptyState title="No staff actions match" />
      ) : (
        <div className="table-wrap">
          <table className="audit-table">
            <thead>
              <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Before</th><th scope="col">After</th></tr>
            </thead>
            <tbody>
              {items.map((e) => {
                const data = e.data as Record<string, unknown>;
                return (
                  <tr key={e.id}>
                    <td><span title={formatDate(e.created_at)}><TimeAgo iso={e.created_at} /></span></td>
                    <td>
                      {e.actor_handle ? <Link to={`/members/${e.actor_handle}`}>{e.actor_name}</Link> : "Groundswell"}
                      <br /><span className="muted small">{e.actor_role ? ROLE_LABELS[e.actor_role] : ""}</span>
                    </td>
                    <td><code>{e.type}</code>{data.reason ? <><br /><span className="small">{String(data.reason)}</span></> : null}</td>
                    <td>
                      {e.idea_id ? <Link to={`/ideas/${e.idea_id}${e.comment_id ? `#comment-${e.comment_id}` : ""}`}>{e.comment_id ? `Comment on “${e.idea_title}”` : e.idea_title}</Link> : null}
                      {!e.idea_id && e.subject_handle ? <Link to={`/members/${e.subject_handle}`}>{e.subject_name}</Link> : null}
                    </td>
                    <td className="small">{describe(data.before ?? data.from)}</td>
                    <td className="small">{describe(data.after ?? data.to)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore ? (
        <nav aria-label="Pages" className="pager">
          <span />
          <Link to={`/audit?${params.toString() ? `${params}&` : ""}before=${nextBefore}`} rel="next">Older →</Link>
        </nav>
      ) : null}
    </div>
  );
}
