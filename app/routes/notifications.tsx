import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, TimeAgo } from "../components/ui";
import { fail, redirectWithFlash, requireMember } from "../lib/http.server";
import { describeNotification } from "../models/notification";
import { listNotifications, markAllRead } from "../models/notifications.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Harbor Ideas" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const before = new URL(request.url).searchParams.get("before");
  if (before !== null && !/^\d{1,18}$/.test(before)) fail(400, "That page link is not valid.");
  const page = await listNotifications(context.db, member.id, before ?? undefined);
  return {
    notifications: page.items.map((n) => ({
      id: n.id,
      text: describeNotification(n),
      created_at: n.created_at,
      unread: n.read_at === null,
    })),
    nextBefore: page.nextBefore,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  await markAllRead(context.db, member.id);
  return redirectWithFlash("/notifications", "All notifications marked as read.");
}

export default function Notifications() {
  const { notifications, nextBefore } = useLoaderData<typeof loader>();
  const anyUnread = notifications.some((n) => n.unread);
  return (
    <div className="narrow-page">
      <div className="page-title-row">
        <h1>Notifications</h1>
        {anyUnread ? (
          <Form method="post">
            <button type="submit" className="button button-secondary">Mark all as read</button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? (
        <EmptyState title="Nothing yet">
          <p>When someone answers an idea you voted for or follow, or replies to you, you will hear it here.</p>
        </EmptyState>
      ) : (
        <ul className="notification-list">
          {notifications.map((n) => (
            <li key={n.id} className={n.unread ? "notification unread" : "notification"}>
              <Link to={`/notifications/${n.id}`}>
                {n.unread ? <span className="visually-hidden">Unread: </span> : null}
                {n.text}
              </Link>
              <p className="meta"><TimeAgo iso={n.created_at} /></p>
            </li>
          ))}
        </ul>
      )}
      {nextBefore ? (
        <nav aria-label="Pages" className="pager">
          <span />
          <Link to={`/notifications?before=${nextBefore}`} rel="next">Older →</Link>
        </nav>
      ) : null}
    </div>
  );
}
