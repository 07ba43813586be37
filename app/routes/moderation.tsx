import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { ModerateControl } from "../components/moderation";
import { EmptyState, Prose, TimeAgo } from "../components/ui";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember, safeRedirectPath } from "../lib/http.server";
import { formatDate, plural } from "../models/shared/format";
import { FLAG_REASON_LABELS, MODERATION_LABELS } from "../models/moderation/moderation";
import { approvalSchema, moderateSchema } from "../models/moderation/schemas.server";
import { moderate } from "../models/moderation/decisions.server";
import { listModerationQueue } from "../models/moderation/queue.server";
import { parseForm } from "../models/shared/schemas.server";
import { decideHeldPost, listAwaitingApproval } from "../models/moderation/approval.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Moderation") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const [queue, awaiting] = await orFail(Promise.all([listModerationQueue(context.db, member), listAwaitingApproval(context.db, member)]));
  return { queue, awaiting };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  if (form.get("intent") === "approve" || form.get("intent") === "reject") {
    const decision = parseForm(approvalSchema, form);
    if (!decision.ok) return formError(400, decision.fieldErrors, decision.values);
    try {
      const { intent, kind, targetId, reason } = decision.data;
      await decideHeldPost(context.db, member, { kind, id: targetId, approve: intent === "approve", reason: reason.trim() });
      return redirectWithFlash("/moderation", intent === "approve" ? "Approved: it is public now, and its author is told." : "Removed. Its author is told why.");
    } catch (error) {
      return domainError(error);
    }
  }
  const parsed = parseForm(moderateSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    const result = await moderate(context.db, member, parsed.data);
    const message =
      result.after === "visible" ? (parsed.data.action === "dismiss" ? "Flags dismissed; it stays visible." : "Restored.")
      : result.after === "hidden" ? "Hidden. The author has been told why."
      : "Deleted. The author has been told why.";
    const returnTo = form.get("returnTo");
    return returnTo ? redirectWithFlash(safeRedirectPath(returnTo), message) : { ok: true, message };
  } catch (error) {
    return domainError(error);
  }
}

export default function ModerationQueue() {
  const t = useT();
  const { queue, awaiting } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div>
      <section className="hero">
        <h1>{t("Moderation")}</h1>
        <p>{t("Flagged posts and members, most weight first. Keep, hide, delete or restore, and say why: the author sees your reason.")}{" "}<Link to="/audit">{t("Audit log")}</Link></p>
      </section>
      {awaiting.length ? (
        <section className="awaiting" aria-labelledby="awaiting-heading">
          <h2 id="awaiting-heading">{t("Waiting for approval")}{" "}<span className="count">{awaiting.length}</span></h2>
          <p className="muted">{t("New members' first posts, oldest first. Approving makes a post public and tells the people it concerns.")}</p>
          <ol className="queue">
            {awaiting.map((item) => (
              <li key={`${item.kind}-${item.id}`} className="queue-item queue-item-pending">
                <header className="queue-header">
                  <span className="queue-kind">{item.kind === "idea" ? "First idea" : "First comment"}</span>
                  <span>by <Link to={`/members/${item.authorHandle}`}>{item.authorName}</Link>, <TimeAgo iso={item.since} /></span>
                </header>
                <h3>
                  <Link to={item.kind === "idea" ? `/ideas/${item.ideaId}` : `/ideas/${item.ideaId}#comment-${item.id}`}>
                    {item.kind === "idea" ? item.title : `On “${item.title}”`}
                  </Link>
                </h3>
                <div className="queue-content"><Prose html={item.bodyHtml} /></div>
                <Form method="post" className="approval-form">
                  <input type="hidden" name="kind" value={item.kind} />
                  <input type="hidden" name="targetId" value={item.id} />
                  <button type="submit" name="intent" value="approve" className="button button-primary">
                    Approve<span className="visually-hidden"> {item.kind} by {item.authorName}</span>
                  </button>
                  <label htmlFor={`reject-${item.kind}-${item.id}`} className="visually-hidden">{t("Reason for removing (the author sees it)")}</label>
                  <input id={`reject-${item.kind}-${item.id}`} name="reason" maxLength={500} placeholder={t("Reason for removing (optional)")} />
                  <button type="submit" name="intent" value="reject" className="button button-secondary">
                    Remove<span className="visually-hidden"> {item.kind} by {item.authorName}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {awaiting.length ? <h2>{t("Flagged")}</h2> : null}
      {queue.length === 0 ? (
        <EmptyState title={t("No open flags")}>
          <p>{t("The community is behaving. Nothing needs a look right now.")}</p>
        </EmptyState>
      ) : (
        <ol className="queue">
          {queue.map((item) => (
            <li key={`${item.kind}-${item.targetId}`} className="queue-item">
              <header className="queue-header">
                <span className="queue-kind">{item.kind}</span>
                <span>{t("{count, plural, one {# flag} other {# flags}} · weight {weight}", { count: item.count, weight: item.weight.toFixed(2) })}</span>
                {item.idea ? <span className="muted">{MODERATION_LABELS[item.idea.moderation]}</span> : null}
                {item.comment ? <span className="muted">{MODERATION_LABELS[item.comment.moderation]}</span> : null}
              </header>
              {item.idea ? (
                <div>
                  <h2><Link to={`/ideas/${item.idea.id}`}>{item.idea.title}</Link></h2>
                  <p className="meta">by <Link to={`/members/${item.idea.author_handle}`}>{item.idea.author_name}</Link></p>
                  <div className="queue-content"><Prose html={item.idea.body_html} /></div>
                </div>
              ) : null}
              {item.comment ? (
                <div>
                  <p className="meta">
                    Comment by <Link to={`/members/${item.comment.author_handle}`}>{item.comment.author_name}</Link> on{" "}
                    <Link to={`/ideas/${item.comment.idea_id}#comment-${item.comment.id}`}>{item.comment.idea_title}</Link>
                  </p>
                  <div className="queue-content"><Prose html={item.comment.body_html} /></div>
                </div>
              ) : null}
              {item.member ? (
                <div>
                  <h2><Link to={`/members/${item.member.handle}`}>{item.member.display_name}</Link></h2>
                  <p className="queue-content">{item.member.bio || <span className="muted">{t("No bio.")}</span>}</p>
                </div>
              ) : null}
              {item.author ? (
                <p className="muted small">
                  Author: member since {formatDate(item.author.created_at)}, {plural(item.author.ideas, "idea")},{" "}
                  {plural(item.author.comments, "comment")}, {plural(item.author.upheld_against, "post")} hidden or removed before
                  {item.author.suspended_until ? " · currently suspended" : ""}.
                </p>
              ) : null}
              <ul className="flag-list" aria-label={t("Flags")}>
                {item.flags.map((f) => (
                  <li key={f.id}>
                    <strong>{FLAG_REASON_LABELS[f.reason]}</strong>
                    {f.note ? <> “{f.note}”</> : null} — <Link to={`/members/${f.flagger_handle}`}>{f.flagger_name}</Link> (weight {Number(f.weight).toFixed(2)}{f.established ? "" : ", new account: cannot hide on its own"}), <TimeAgo iso={f.created_at} />
                  </li>
                ))}
              </ul>
              <ModerateControl
                kind={item.kind}
                targetId={item.targetId}
                state={item.idea?.moderation ?? item.comment?.moderation ?? item.member?.moderation ?? "visible"}
                returnTo={`${location.pathname}`}
                open
              />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
