import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CHANNELS, type Channel } from "../../db/schema";
import { EmptyState, Field, FormMessage, Prose, StaffMark, TextArea, TimeAgo, useFocusFirstError } from "../components/ui";
import { domainError, fail, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { passThroughHeaders } from "../lib/headers";
import { ideaPath } from "../models/ideas/idea";
import { STATUS_LABELS } from "../models/ideas/idea";
import { CHANNEL_LABELS, CHANNEL_PHRASES, RECORD_KIND_NAMES, RECORD_KINDS, type RecordKind } from "../models/listening/listening";
import { commentOnBehalf, getMemberRecord, logInteraction, memberIdByHandle, voteOnBehalf, type RecordEntry } from "../models/listening/record.server";
import { memberRecordIntents } from "../models/listening/schemas.server";
import { isProductTeam, ROLE_LABELS } from "../models/members/roles";
import { formatDate } from "../models/shared/format";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import type { IdeaStatus } from "../../db/schema";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Record of ${data.member.displayName} · Harbor Ideas` : "Member record · Harbor Ideas" },
];

const HANDLE = /^[a-z0-9_]{3,30}$/;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = requireMember(context, request);
  const handle = params.handle ?? "";
  if (!HANDLE.test(handle)) fail(404, "That member does not exist.");
  const url = new URL(request.url);
  const kindParam = url.searchParams.get("kind") ?? "";
  if (kindParam && !(RECORD_KIND_NAMES as string[]).includes(kindParam)) fail(400, "That filter does not exist.");
  const record = await orFail(getMemberRecord(context.db, viewer, handle, { kind: (kindParam || null) as RecordKind | null, cursor: url.searchParams.get("after") }));
  return { ...record, canLog: isProductTeam(viewer.role), today: new Date().toISOString().slice(0, 16) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = requireMember(context, request);
  const handle = params.handle ?? "";
  if (!HANDLE.test(handle)) fail(404, "That member does not exist.");
  const form = await readForm(request);
  const parsed = parseForm(memberRecordIntents, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  const input = parsed.data;
  const back = `/members/${handle}/record`;
  try {
    const memberId = await memberIdByHandle(context.db, handle);
    if (input.intent === "log-interaction") {
      await logInteraction(context.db, staff, {
        memberId, channel: input.channel, happenedAt: input.happenedAt, summary: input.summary,
        ideaIds: input.ideas, shared: input.shared, correctsId: input.correctsId,
      });
      return redirectWithFlash(back, input.correctsId ? "Correction logged. The original entry stays on the record." : "Interaction logged.");
    }
    if (input.intent === "vote-on-behalf") {
      await voteOnBehalf(context.db, staff, { memberId, ideaId: input.ideaId, value: input.value, channel: input.channel, happenedAt: input.happenedAt, note: input.note });
      return redirectWithFlash(back, "Vote recorded on the member's behalf. They have been told.");
    }
    await commentOnBehalf(context.db, staff, { memberId, ideaId: input.ideaId, body: input.body, channel: input.channel, happenedAt: input.happenedAt });
    return redirectWithFlash(back, "Comment posted on the member's behalf. They have been told.");
  } catch (error) {
    const values: Record<string, string> = {};
    for (const [key, value] of form.entries()) if (typeof value === "string") values[key] = value;
    return domainError(error, values);
  }
}

function ChannelSelect({ id, error, defaultValue }: { id: string; error?: string; defaultValue?: string }) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={id}>{t("Channel")}</label>
      <select id={id} name="channel" defaultValue={defaultValue ?? "phone"} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {CHANNELS.map((c) => (
          <option key={c} value={c}>{CHANNEL_LABELS[c]}</option>
        ))}
      </select>
      {error ? <p className="field-error" id={`${id}-error`}>{error}</p> : null}
    </div>
  );
}

const idea = (e: RecordEntry) =>
  e.idea ? <Link to={e.commentId ? `${ideaPath(e.idea)}#comment-${e.commentId}` : ideaPath(e.idea)}>{e.idea.title}</Link> : <span>an idea that no longer exists</span>;

/** The sentence one entry of the record reads as. */
function EntryText({ e, name }: { e: RecordEntry; name: string }) {
  const t = useT();
  const by = e.actor && !e.own ? <> by <Link to={`/members/${e.actor.handle}`}>{e.actor.name}</Link></> : null;
  const onBehalf = e.data.onBehalf as { staffId: number; channel: Channel } | undefined;
  const behalf = onBehalf ? <span className="logged-on-behalf"> (logged by staff on their behalf, {CHANNEL_PHRASES[onBehalf.channel]})</span> : null;
  const to = (v: unknown) => (v === 1 ? "for" : "against");
  switch (e.type) {
    case "idea.posted": return <>{name} posted {idea(e)}</>;
    case "idea.edited": return <>{e.own ? name : "Staff"} edited {idea(e)}{by}</>;
    case "vote.cast": return <>{name} voted {to(e.data.to)} {idea(e)}{behalf}</>;
    case "vote.changed": return <>{name} changed their vote to {to(e.data.to)} {idea(e)}{behalf}</>;
    case "vote.retracted": return <>{name} took back their vote on {idea(e)}{behalf}</>;
    case "vote.moved": return <>{name}'s vote moved to {idea(e)} by a merge</>;
    case "vote.move_undone": return <>{name}'s vote on {idea(e)} was taken back when a merge was undone</>;
    case "comment.added": return <>{name} commented on {idea(e)}{behalf}</>;
    case "comment.edited": return <>{e.own ? name : "A moderator"} edited a comment on {idea(e)}{by}</>;
    case "comment.deleted": return <>{e.own ? name : "A moderator"} deleted a comment on {idea(e)}{by}</>;
    case "idea.followed": return <>{name} followed {idea(e)}</>;
    case "idea.unfollowed": return <>{name} stopped following {idea(e)}</>;
    case "flag.raised": return e.own ? <>{name} flagged a {String(e.data.kind)}{e.idea ? <> on {idea(e)}</> : null}</> : <>{name}'s profile was flagged</>;
    case "flag.withdrawn": return <>{name} withdrew a flag</>;
    case "idea.status_changed": return <>{idea(e)} moved to {STATUS_LABELS[e.data.to as IdeaStatus] ?? String(e.data.to)}{by}</>;
    case "idea.responded": return <>Official response on {idea(e)}{by}</>;
    case "idea.revisited": return <>{idea(e)} came back under review (revisit date)</>;
    case "idea.merged": return <>{idea(e)} was merged into another idea{by}</>;
    case "idea.unmerged": return <>The merge of {idea(e)} was undone{by}</>;
    case "member.suspended": return <>{name} was suspended{by}</>;
    case "member.unsuspended": return <>{name}'s suspension was lifted{by}</>;
    case "interaction.logged": {
      const i = e.interaction;
      return <>{i ? CHANNEL_LABELS[i.channel] : "Interaction"}{i?.correctsId ? " (correction)" : ""} logged{by}</>;
    }
    default: {
      if (e.type.startsWith("moderation.")) {
        const what = e.data.kind === "comment" ? <>{t("a comment on")} {idea(e)}</> : e.data.kind === "member" ? <>{t("the profile")}</> : idea(e);
        const verb = e.decision?.after === "pending" ? "was hidden pending review" : e.decision?.after === "hidden" ? "was hidden" : e.decision?.after === "deleted" ? "was removed" : e.decision?.action === "dismiss" ? "was kept (flags dismissed)" : "was restored";
        return <>Moderation: {what} {verb}{by}{e.decision?.reason ? <>: “{e.decision.reason}”</> : null}</>;
      }
      return <>{e.type}</>;
    }
  }
}

export default function MemberRecord() {
  const t = useT();
  const { member, kinds, kind, entries, nextCursor, canLog, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const navigation = useNavigation();
  const errors = actionData?.fieldErrors;
  const values = actionData?.values ?? {};
  const intent = values.intent;
  const err = (form: string, field: string) => (intent === form ? errors?.[field] : undefined);
  const logRef = useFocusFirstError(intent === "log-interaction" ? errors : undefined);
  const voteRef = useFocusFirstError(intent === "vote-on-behalf" ? errors : undefined);
  const commentRef = useFocusFirstError(intent === "comment-on-behalf" ? errors : undefined);
  const busy = navigation.state === "submitting";
  const filterLink = (k: RecordKind | null) => `/members/${member.handle}/record${k ? `?kind=${k}` : ""}`;
  return (
    <div className="record-page">
      <p className="breadcrumb"><Link to={`/members/${member.handle}`}>← {member.displayName}'s public page</Link></p>
      <h1>Record of {member.displayName} <StaffMark role={member.role} /></h1>
      <p className="muted">
        @{member.handle} · {ROLE_LABELS[member.role]} · joined {formatDate(member.createdAt)}
        {member.email ? <> · <a href={`mailto:${member.email}`}>{member.email}</a></> : null}
        {canLog && !member.staffMessages ? " · does not accept messages from staff" : ""}
      </p>
      <p className="muted small"><span className="staff-only">{t("only staff see this")}</span>{canLog ? "" : " As a moderator you see what moderation needs: posts, flags and moderation history."}</p>

      <div className="record-layout">
        <section aria-labelledby="timeline-heading" className="record-timeline">
          <h2 id="timeline-heading">{t("History")}</h2>
          <nav aria-label={t("Filter the record")} className="tabs">
            <Link to={filterLink(null)} className="tab" aria-current={kind === null ? "page" : undefined}>{t("Everything")}</Link>
            {kinds.map((k) => (
              <Link key={k} to={filterLink(k)} className="tab" aria-current={kind === k ? "page" : undefined}>{RECORD_KINDS[k].label}</Link>
            ))}
          </nav>
          {entries.length === 0 ? (
            <EmptyState title={t("Nothing here yet")}>
              <p>{kind ? "Nothing of this kind on the record." : "This member has not done anything yet, and nothing has been logged."}</p>
            </EmptyState>
          ) : (
            <ol className="record-list">
              {entries.map((e) => (
                <li key={e.id} className={`record-entry record-${e.kind}`} id={`entry-${e.id}`}>
                  <p className="record-sentence"><EntryText e={e} name={member.displayName} /></p>
                  <p className="meta">
                    <span className="record-kind">{RECORD_KINDS[e.kind].label}</span>
                    <span aria-hidden="true">·</span>
                    <TimeAgo iso={e.createdAt} />
                    {e.interaction ? (
                      <>
                        <span aria-hidden="true">·</span>
                        <span>happened {formatDate(e.interaction.happenedAt)}</span>
                        <span aria-hidden="true">·</span>
                        <span>{e.interaction.shared ? "shared with the member" : "private to staff"}</span>
                        <span aria-hidden="true">·</span>
                        <span>entry #{e.interaction.id}{e.interaction.correctsId ? `, corrects #${e.interaction.correctsId}` : ""}</span>
                      </>
                    ) : null}
                  </p>
                  {e.interaction ? (
                    <div className="record-interaction">
                      <Prose html={e.interaction.summaryHtml} />
                      {e.interaction.ideas.length ? (
                        <p className="meta">Ideas: {e.interaction.ideas.map((i, n) => <span key={i.id}>{n ? ", " : ""}<Link to={ideaPath(i)}>{i.title}</Link></span>)}</p>
                      ) : null}
                    </div>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
          {nextCursor ? (
            <nav aria-label={t("Pages")} className="pager">
              <span />
              <Link to={`${filterLink(kind)}${kind ? "&" : "?"}after=${nextCursor}`} rel="next">{t("Older →")}</Link>
            </nav>
          ) : null}
        </section>

        {canLog ? (
          <aside className="record-forms" aria-label={t("Log from other channels")}>
            <section className="staff-panel" aria-labelledby="log-heading">
              <h2 id="log-heading">{t("Log an interaction")}</h2>
              <p className="muted small">{t("What the member told you on the phone, by e-mail, in a store, at an event or in a support ticket. Entries are never edited: to correct one, log a new entry that names it.")}</p>
              {intent === "log-interaction" ? <FormMessage message={errors?.form} /> : null}
              <Form method="post" ref={logRef} noValidate>
                <input type="hidden" name="intent" value="log-interaction" />
                <ChannelSelect id="log-channel" error={err("log-interaction", "channel")} defaultValue={intent === "log-interaction" ? values.channel : undefined} />
                <Field id="log-when" label={t("When")} name="happenedAt" type="datetime-local" required max={today} defaultValue={intent === "log-interaction" ? values.happenedAt : today} error={err("log-interaction", "happenedAt")} hint={t("UTC")} />
                <TextArea id="log-summary" label={t("Summary")} name="summary" rows={5} required maxLength={5000} hint={t("Markdown works.")} defaultValue={intent === "log-interaction" ? values.summary : undefined} error={err("log-interaction", "summary")} />
                <Field id="log-ideas" label={t("Linked ideas (numbers, optional)")} name="ideas" inputMode="numeric" hint={t("e.g. 12, 40")} defaultValue={intent === "log-interaction" ? values.ideas : undefined} error={err("log-interaction", "ideas")} />
                <Field id="log-corrects" label={t("Corrects entry # (optional)")} name="correctsId" inputMode="numeric" defaultValue={intent === "log-interaction" ? values.correctsId : undefined} error={err("log-interaction", "correctsId")} />
                <div className="field field-check">
                  <input type="checkbox" id="log-shared" name="shared" defaultChecked={intent === "log-interaction" && values.shared === "on"} />
                  <label htmlFor="log-shared">{t("Share with the member (they see it on their own page)")}</label>
                </div>
                <button type="submit" className="button button-primary" disabled={busy}>{t("Log interaction")}</button>
              </Form>
            </section>

            <section className="staff-panel" aria-labelledby="vote-heading">
              <h2 id="vote-heading">{t("Record a vote on their behalf")}</h2>
              <p className="muted small">{t("It counts as their vote (one per idea), is marked on the idea as logged by staff, and they are told.")}</p>
              {intent === "vote-on-behalf" ? <FormMessage message={errors?.form} /> : null}
              <Form method="post" ref={voteRef} noValidate>
                <input type="hidden" name="intent" value="vote-on-behalf" />
                <Field id="vote-idea" label={t("Idea number")} name="ideaId" inputMode="numeric" required defaultValue={intent === "vote-on-behalf" ? values.ideaId : undefined} error={err("vote-on-behalf", "ideaId")} />
                <div className="field">
                  <label htmlFor="vote-value">{t("Vote")}</label>
                  <select id="vote-value" name="value" defaultValue={intent === "vote-on-behalf" ? values.value : "up"}>
                    <option value="up">{t("For (up)")}</option>
                    <option value="down">{t("Against (down)")}</option>
                    <option value="none">{t("Take back their vote")}</option>
                  </select>
                </div>
                <ChannelSelect id="vote-channel" error={err("vote-on-behalf", "channel")} defaultValue={intent === "vote-on-behalf" ? values.channel : undefined} />
                <Field id="vote-when" label={t("When")} name="happenedAt" type="datetime-local" required max={today} defaultValue={intent === "vote-on-behalf" ? values.happenedAt : today} error={err("vote-on-behalf", "happenedAt")} hint={t("UTC")} />
                <TextArea id="vote-note" label={t("Note (optional)")} name="note" rows={2} maxLength={5000} defaultValue={intent === "vote-on-behalf" ? values.note : undefined} error={err("vote-on-behalf", "note")} />
                <button type="submit" className="button button-secondary" disabled={busy}>{t("Record vote")}</button>
              </Form>
            </section>

            <section className="staff-panel" aria-labelledby="comment-heading">
              <h2 id="comment-heading">{t("Post a comment on their behalf")}</h2>
              <p className="muted small">{t("Shown as theirs, marked as logged by you and where it came from. They are told.")}</p>
              {intent === "comment-on-behalf" ? <FormMessage message={errors?.form} /> : null}
              <Form method="post" ref={commentRef} noValidate>
                <input type="hidden" name="intent" value="comment-on-behalf" />
                <Field id="comment-idea" label={t("Idea number")} name="ideaId" inputMode="numeric" required defaultValue={intent === "comment-on-behalf" ? values.ideaId : undefined} error={err("comment-on-behalf", "ideaId")} />
                <TextArea id="comment-body" label={t("Their comment")} name="body" rows={4} required maxLength={5000} hint={t("Their words, in Markdown.")} defaultValue={intent === "comment-on-behalf" ? values.body : undefined} error={err("comment-on-behalf", "body")} />
                <ChannelSelect id="comment-channel" error={err("comment-on-behalf", "channel")} defaultValue={intent === "comment-on-behalf" ? values.channel : undefined} />
                <Field id="comment-when" label={t("When")} name="happenedAt" type="datetime-local" required max={today} defaultValue={intent === "comment-on-behalf" ? values.happenedAt : today} error={err("comment-on-behalf", "happenedAt")} hint={t("UTC")} />
                <button type="submit" className="button button-secondary" disabled={busy}>{t("Post comment")}</button>
              </Form>
            </section>
          </aside>
        ) : null}
      </div>
    </div>
  );
}
