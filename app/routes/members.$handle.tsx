import { Avatar } from "../components/avatar";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { FlagControl, ModerateControl } from "../components/moderation";
import { Field, FormMessage, Prose, StaffMark, StatusBadge, TimeAgo } from "../components/ui";
import { domainError, fail, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { placeholderText } from "../models/moderation/moderation";
import { memberPageIntents, suspendSchema } from "../models/moderation/schemas.server";
import { myOpenFlags } from "../models/moderation/flags.server";
import { suspendMember, unsuspendMember } from "../models/moderation/suspensions.server";
import { allowed, viewerData } from "../models/policy";
import { ROLE_LABELS, isModerator } from "../models/members/roles";
import { listSharedInteractions } from "../models/listening/record.server";
import { CHANNEL_LABELS } from "../models/listening/listening";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { formatDate, formatNumber } from "../models/shared/format";
import { useLocale } from "../i18n";
import { ideaPath, STATUS_LABELS } from "../models/ideas/idea";
import type { IdeaStatus } from "../../db/schema";
import { badgeName } from "../models/engagement/badges";
import { IMPACT_FIRST_SUPPORTERS } from "../models/engagement/impact";
import { changeRole, getMemberProfile } from "../models/members/members.server";
import { passThroughHeaders } from "../lib/headers";
import { followMemberSchema } from "../models/engagement/schemas.server";
import { memberFollowState, setMemberFollowing } from "../models/following/members.server";
import { POINTS_REASON_LABELS, type PointsReason } from "../models/engagement/points";
import { useT } from "../i18n";


export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: pageTitle(matches, data ? data.member.display_name : "Member not found") },
];

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const handle = params.handle ?? "";
  if (!/^[a-z0-9_]{3,30}$/.test(handle)) fail(404, "That member does not exist.");
  const before = new URL(request.url).searchParams.get("before");
  if (before !== null && !/^\d{1,18}$/.test(before)) fail(400, "That page link is not valid. Start again from the first page.");
  const viewer = context.member;
  const profile = await orFail(getMemberProfile(context.db, viewer, handle, { timelineBefore: before }));
  const [myFlags, shared, follow] = await Promise.all([
    viewer && viewer.id !== profile.member.id ? myOpenFlags(context.db, viewer.id, { member: [profile.member.id] }) : Promise.resolve([]),
    listSharedInteractions(context.db, viewer, profile.member.id),
    memberFollowState(context.db, viewer?.id ?? null, profile.member.id),
  ]);
  return {
    ...profile,
    viewer: viewerData(viewer),
    myFlagId: myFlags[0]?.id ?? null,
    follow,
    canReadRecord: allowed(viewer, "member_record.read", null),
    shared: shared.map((i) => ({ id: i.id, channel: i.channel, happenedAt: new Date(i.happened_at).toISOString(), summaryHtml: i.summary_html, staffName: i.staff_name })),
  };
}


export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = requireMember(context, request);
  const form = await readForm(request);
  const back = `/members/${params.handle}`;
  const intent = form.get("intent");
  if (intent === "follow-member" || intent === "unfollow-member") {
    const follow = parseForm(followMemberSchema, form);
    if (!follow.ok) return formError(400, follow.fieldErrors, follow.values);
    try {
      const { changed } = await setMemberFollowing(context.db, actor, { memberId: follow.data.memberId, follow: follow.data.intent === "follow-member" });
      const done = follow.data.intent === "follow-member" ? "You follow this member: their new ideas appear in Following and in your notifications." : "You no longer follow this member.";
      return redirectWithFlash(back, changed ? done : follow.data.intent === "follow-member" ? "You already follow this member." : "You did not follow this member.");
    } catch (error) {
      return domainError(error);
    }
  }
  const parsed = parseForm(form.get("intent") === "suspend" ? suspendSchema : memberPageIntents, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  const input = parsed.data;
  try {
    if (input.intent === "suspend") {
      await suspendMember(context.db, actor, {
        memberId: input.memberId,
        until: input.until ? new Date(`${input.until}T00:00:00Z`) : null,
        reason: input.reason,
      });
      return redirectWithFlash(back, "Member suspended. Their sessions obey at once.");
    }
    if (input.intent === "unsuspend") {
      await unsuspendMember(context.db, actor, input.memberId);
      return redirectWithFlash(back, "Suspension lifted.");
    }
    await changeRole(context.db, actor, { memberId: input.memberId, role: input.role });
    return redirectWithFlash(back, `Role changed to ${ROLE_LABELS[input.role]}.`);
  } catch (error) {
    return domainError(error);
  }
}

function MemberAdmin({ member, viewer }: { member: { id: number; role: keyof typeof ROLE_LABELS; suspended_until: string | Date | null }; viewer: { id: number; role: string } }) {
  const t = useT();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const errors = actionData?.fieldErrors;
  return (
    <section className="staff-panel" aria-labelledby="member-admin-heading">
      <h2 id="member-admin-heading">{t("Moderation")}{" "}<span className="staff-only">{t("only staff see this")}</span></h2>
      <FormMessage message={errors?.form} />
      {member.suspended_until ? (
        <Form method="post">
          <input type="hidden" name="intent" value="unsuspend" />
          <input type="hidden" name="memberId" value={member.id} />
          <button type="submit" className="button button-secondary">{t("Lift suspension")}</button>
        </Form>
      ) : (
        <Form method="post" className="suspend-form" noValidate>
          <input type="hidden" name="intent" value="suspend" />
          <input type="hidden" name="memberId" value={member.id} />
          <Field id="suspend-until" label={t("Suspend until (leave empty for indefinitely)")} name="until" type="date" error={errors?.until} defaultValue={actionData?.values?.until} />
          <Field id="suspend-reason" label={t("Reason (the member sees it)")} name="reason" required maxLength={500} error={errors?.reason} defaultValue={actionData?.values?.reason} />
          <button type="submit" className="button button-secondary">{t("Suspend")}</button>
        </Form>
      )}
      {viewer.role === "admin" && viewer.id !== member.id ? (
        <Form method="post" className="inline-field field">
          <input type="hidden" name="intent" value="set-role" />
          <input type="hidden" name="memberId" value={member.id} />
          <label htmlFor="member-role">{t("Role")}</label>
          <select id="member-role" name="role" defaultValue={member.role}>
            {Object.entries(ROLE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
          <button type="submit" className="button button-secondary">{t("Change role")}</button>
          {errors?.role ? <p className="field-error">{errors.role}</p> : null}
        </Form>
      ) : null}
    </section>
  );
}

function TimelineText({ entry }: { entry: { type: string; ideaId: number | null; ideaTitle: string | null; commentId: number | null; to: string | null; badge: string | null } }) {
  const t = useT();
  const idea = entry.ideaId && entry.ideaTitle ? <Link to={ideaPath({ id: entry.ideaId, title: entry.ideaTitle })}>{entry.ideaTitle}</Link> : null;
  switch (entry.type) {
    case "idea.posted":
      return <>{t("Posted")} {idea}</>;
    case "comment.added":
      return <>{t("Commented on")} {entry.ideaId && entry.ideaTitle ? <Link to={`${ideaPath({ id: entry.ideaId, title: entry.ideaTitle })}#comment-${entry.commentId}`}>{entry.ideaTitle}</Link> : null}</>;
    case "vote.cast":
      return <>{t("Supported")} {idea}</>;
    case "idea.status_changed":
      return <>{idea} {t("is now {status}", { status: t(STATUS_LABELS[entry.to as IdeaStatus] ?? entry.to ?? "") })}</>;
    default:
      return <>{t("Earned the badge")}{" "}<Link to={`/badges/${entry.badge}`}>{badgeName(entry.badge ?? "")}</Link></>;
  }
}

export default function MemberPage() {
  const t = useT();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const { member, ideas, comments, counts, profileHidden, viewer, myFlagId, canReadRecord, shared, standings, breakdown, badges, impact, timeline, follow } = useLoaderData<typeof loader>();
  const location = useLocation();
  const moderator = !!viewer && isModerator(viewer.role);
  return (
    <div className="member-page">
      <header className="member-header">
        <Avatar name={member.display_name} handle={member.handle} version={member.avatar_version} size="lg" />
        <div>
          <h1>
            {member.display_name} <StaffMark role={member.role} />
          </h1>
          <p className="muted">@{member.handle} · {t("member since {date}", { date: formatDate(member.created_at, locale) })}</p>
          {member.bio ? <p className="member-bio">{member.bio}</p> : null}
          {profileHidden || member.moderation !== "visible" ? (
            <p className="moderation-notice" role="note">{placeholderText("member", member.moderation, member.moderation_reason)}</p>
          ) : null}
          {member.suspended_until ? (
            <p className="moderation-notice" role="note">
              Suspended {new Date(member.suspended_until).getUTCFullYear() >= 9999 ? "indefinitely" : `until ${formatDate(member.suspended_until)}`}
              {member.suspension_reason ? `: ${member.suspension_reason}` : ""}
            </p>
          ) : null}
          <div className="idea-actions">
            {canReadRecord ? <Link to={`/members/${member.handle}/record`} className="button button-secondary">{t("Member record")}</Link> : null}
            {viewer && viewer.id !== member.id ? (
              <Form method="post">
                <input type="hidden" name="intent" value={follow.following ? "unfollow-member" : "follow-member"} />
                <input type="hidden" name="memberId" value={member.id} />
                <button type="submit" className="button button-secondary">
                  {follow.following ? t("Unfollow") : t("Follow")}<span className="visually-hidden"> {member.display_name}</span>
                </button>
              </Form>
            ) : null}
            <span className="muted">{t("{count, plural, one {# follower} other {# followers}}", { count: follow.followers })}</span>
            {moderator && viewer.id !== member.id ? (
              <ModerateControl kind="member" targetId={member.id} state={member.moderation} returnTo={location.pathname} />
            ) : viewer && viewer.id !== member.id ? (
              <FlagControl kind="member" targetId={member.id} myFlagId={myFlagId} returnTo={location.pathname} />
            ) : null}
            {viewer && viewer.id === member.id ? <Link to="/account" className="button button-secondary">{t("Edit your account")}</Link> : null}
          </div>
        </div>
      </header>
      <p className="standing">
        {t("#{rank, number} of {of, number} members all time · #{month, number} this month", { rank: standings.all.rank, of: standings.all.of, month: standings.month.rank })}
        {" "}<Link to="/leaderboard">{t("Leaderboard")}</Link>
      </p>
      <dl className="stats">
        <div><dt>{t("Points")}</dt><dd>{n(standings.all.points)}</dd></div>
        <div><dt>{t("This month")}</dt><dd>{n(standings.month.points)}</dd></div>
        <div><dt>{t("Ideas")}</dt><dd>{counts.ideas}</dd></div>
        <div><dt>{t("Comments")}</dt><dd>{counts.comments}</dd></div>
        <div><dt>{t("Votes")}</dt><dd>{counts.votes}</dd></div>
      </dl>
      <section aria-labelledby="member-badges">
        <h2 id="member-badges">{t("Badges")}</h2>
        {badges.length === 0 ? (
          <p className="muted">{t("No badges yet.")}{" "}<Link to="/badges">{t("How to earn them")}</Link></p>
        ) : (
          <ul className="badge-list">
            {badges.map((b) => (
              <li key={b.slug}>
                <Link to={`/badges/${b.slug}`} className={`badge-chip badge-${b.level}`} title={b.description}>
                  {b.name}<span className="visually-hidden"> ({b.level})</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="member-impact">
        <h2 id="member-impact">{t("Impact")}</h2>
        {impact.length === 0 ? (
          <p className="muted">{t("No idea {name} backs has been planned or adopted yet.", { name: member.display_name })}</p>
        ) : (
          <ul className="plain-list">
            {impact.map((i) => (
              <li key={i.id}>
                <Link to={ideaPath(i)}>{i.title}</Link>{" "}
                <StatusBadge status={i.status as IdeaStatus} />{" "}
                <span className="muted">{i.place <= IMPACT_FIRST_SUPPORTERS ? `supporter #${i.place}, among the first ${IMPACT_FIRST_SUPPORTERS}` : `supporter #${n(i.place)}`}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="member-activity">
        <h2 id="member-activity">{t("Activity")}</h2>
        {timeline.entries.length === 0 ? (
          <p className="muted">{t("Nothing yet.")}</p>
        ) : (
          <ol className="plain-list timeline">
            {timeline.entries.map((e) => (
              <li key={e.id}>
                <TimelineText entry={e} />{" "}
                <span className="muted"><TimeAgo iso={e.at} /></span>
              </li>
            ))}
          </ol>
        )}
        {timeline.next ? <nav className="pager" aria-label={t("Older activity")}><Link to={`?before=${timeline.next}`} rel="next">{t("Older activity")}</Link></nav> : null}
      </section>
      {breakdown.length ? (
        <details className="points-breakdown">
          <summary>{t("Where the points come from")}</summary>
          <ul className="plain-list">
            {breakdown.map((b) => (
              <li key={b.reason}>{POINTS_REASON_LABELS[b.reason as PointsReason] ?? b.reason}: {n(b.points)}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {moderator && viewer.id !== member.id ? <MemberAdmin member={member} viewer={viewer} /> : null}
      {shared.length ? (
        <section aria-labelledby="shared-heading" className="aside-box">
          <h2 id="shared-heading">{t("What you told Harbor staff")}</h2>
          <p className="muted small">{t("Only you and staff see this.")}</p>
          <ul className="plain-list">
            {shared.map((i) => (
              <li key={i.id}>
                <p className="meta">{CHANNEL_LABELS[i.channel]} · {formatDate(i.happenedAt)} · logged by {i.staffName}</p>
                <Prose html={i.summaryHtml} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="member-columns">
        <section aria-labelledby="member-ideas">
          <h2 id="member-ideas">{t("Ideas")}</h2>
          {ideas.length === 0 ? (
            <p className="muted">{t("No ideas yet.")}</p>
          ) : (
            <ul className="plain-list">
              {ideas.map((idea) => (
                <li key={idea.id}>
                  <Link to={ideaPath(idea)}>{idea.title}</Link>
                  <p className="meta">
                    {idea.status !== "new" ? <StatusBadge status={idea.status} /> : null}
                    <span>{t("{count, plural, one {# vote} other {# votes}}", { count: idea.score })}</span>
                    <span aria-hidden="true">·</span>
                    <span>{t("{count, plural, one {# comment} other {# comments}}", { count: idea.comment_count })}</span>
                    <span aria-hidden="true">·</span>
                    <TimeAgo iso={idea.created_at} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="member-comments">
          <h2 id="member-comments">{t("Comments")}</h2>
          {comments.length === 0 ? (
            <p className="muted">{t("No comments yet.")}</p>
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
