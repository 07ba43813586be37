import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { msg, translate, useLocale, type Locale } from "../i18n";
import { formatLongDate } from "../models/shared/format";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, StatusBadge, TimeAgo } from "../components/ui";
import { pageTitle, useRootData } from "../components/root-data";
import type { IdeaStatus } from "../../db/schema";
import { formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { setStaffMessages, staffMessagesAccepted } from "../models/listening/record.server";
import { staffMessagesSchema } from "../models/listening/schemas.server";
import { parseForm } from "../models/shared/schemas.server";
import { listNotifications, markAllRead } from "../models/notifications/notifications.server";
import { passThroughHeaders } from "../lib/headers";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Notifications") }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const [page, staffMessages] = await Promise.all([
    orFail(listNotifications(context.db, member.id, new URL(request.url).searchParams.get("after"))),
    staffMessagesAccepted(context.db, member.id),
  ]);
  // Newest first by when it happened (ids follow time in use; imported or seeded history may not).
  const notifications = [...page.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return { notifications, nextCursor: page.nextCursor, staffMessages };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  const form = await readForm(request);
  if (form.get("intent") === "staff-messages") {
    const parsed = parseForm(staffMessagesSchema, form);
    if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
    await setStaffMessages(context.db, member, parsed.data.accept);
    return redirectWithFlash("/notifications", parsed.data.accept ? msg("You will get messages from Harbor staff again.") : msg("You will no longer get messages Harbor staff send to groups of members."));
  }
  await markAllRead(context.db, member.id);
  return redirectWithFlash("/notifications", msg("All notifications marked as read."));
}

type Kind = "answer" | "comment" | "merge" | "moderation" | "other";
const KIND_LABELS: Record<Kind, string> = { answer: "Official response", comment: "Discussion", merge: "Merge", moderation: "Moderation", other: "Update" };
function kindOf(type: string): Kind {
  if (type === "idea.status_changed" || type === "idea.responded" || type === "idea.revisited") return "answer";
  if (type === "comment.added") return "comment";
  if (type === "idea.merged" || type === "idea.unmerged") return "merge";
  if (type.startsWith("moderation.")) return "moderation";
  return "other";
}

/** Today, Yesterday, then each day by its date (UTC, as the server writes dates). */
function groupByDay<T extends { createdAt: string }>(items: T[], nowIso: string, locale: Locale) {
  const day = (iso: string) => iso.slice(0, 10);
  const today = day(nowIso);
  const yesterday = day(new Date(new Date(nowIso).getTime() - 86_400_000).toISOString());
  const groups: { key: string; label: string; items: T[] }[] = [];
  for (const item of items) {
    const key = day(item.createdAt);
    const label = key === today ? translate(locale, "Today") : key === yesterday ? translate(locale, "Yesterday")
      : formatLongDate(item.createdAt, locale);
    const last = groups.at(-1);
    if (last && last.key === key) last.items.push(item);
    else groups.push({ key, label, items: [item] });
  }
  return groups;
}

export default function Notifications() {
  const t = useT();
  const locale = useLocale();
  const { notifications, nextCursor, staffMessages } = useLoaderData<typeof loader>();
  const root = useRootData();
  const anyUnread = notifications.some((n) => n.unread);
  return (
    <div className="narrow-page">
      <div className="page-title-row">
        <h1>{t("Notifications")}</h1>
        {anyUnread ? (
          <Form method="post">
            <button type="submit" className="button button-secondary">{t("Mark all as read")}</button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <EmptyState title={t("Nothing yet")}>
          <p>{t("When someone answers an idea you voted for or follow, or replies to you, you will hear it here.")}</p>
        </EmptyState>
      ) : (
        groupByDay(notifications, root?.now ?? new Date().toISOString(), locale).map((group) => (
          <section key={group.label} className="notification-group" aria-labelledby={`day-${group.key}`}>
            <h2 id={`day-${group.key}`} className="notification-day">{group.label}</h2>
            <ul className="notification-list">
              {group.items.map((n) => (
                <li key={n.id} className={n.unread ? "notification unread" : "notification"}>
                  <p className="notification-kind">
                    <span className={`kind kind-${kindOf(n.type)}`}>{t(KIND_LABELS[kindOf(n.type)])}</span>
                    {n.ideaStatus ? <StatusBadge status={n.ideaStatus as IdeaStatus} /> : null}
                  </p>
                  <Link to={`/notifications/${n.id}`}>
                    {n.unread ? <span className="visually-hidden">{t("Unread:")}{" "}</span> : null}
                    {n.text}
                  </Link>
                  <p className="meta"><TimeAgo iso={n.createdAt} /></p>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {nextCursor ? (
        <nav aria-label={t("Pages")} className="pager">
          <span />
          <Link to={`/notifications?after=${nextCursor}`} rel="next">{t("Older →")}</Link>
        </nav>
      ) : null}
      <section aria-labelledby="staff-messages-heading" className="aside-box staff-messages">
        <h2 id="staff-messages-heading">{t("Messages from Harbor staff")}</h2>
        <p className="muted">
          {staffMessages
            ? t("Staff sometimes write to members who took part in something (for example everyone who backed an idea). You get these messages.")
            : t("You have turned off messages staff send to groups of members.")}
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="staff-messages" />
          <input type="hidden" name="accept" value={staffMessages ? "no" : "yes"} />
          <button type="submit" className="button button-secondary">{staffMessages ? t("Turn off messages from staff") : t("Turn messages from staff back on")}</button>
        </Form>
      </section>
    </div>
  );
}
