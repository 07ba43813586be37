import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { EmptyState, TimeAgo } from "../components/ui";
import { orFail, redirectWithFlash, requireMember } from "../lib/http.server";
import { listNotifications, markAllRead } from "../models/notifications/notifications.server";
import { passThroughHeaders } from "../lib/headers";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Notifications · Harbor Ideas" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  const page = await orFail(listNotifications(context.db, member.id, new URL(request.url).searchParams.get("after")));
  return { notifications: page.items, nextCursor: page.nextCursor };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const member = requireMember(context, request);
  await markAllRead(context.db, member.id);
  return redirectWithFlash("/notifications", "All notifications marked as read.");
}

export default function Notifications() {
  const { notifications, nextCursor } = useLoaderData<typeof loader>();
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
              <p className="meta"><TimeAgo iso={n.createdAt} /></p>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <nav aria-label="Pages" className="pager">
          <span />
          <Link to={`/notifications?after=${nextCursor}`} rel="next">Older →</Link>
        </nav>
      ) : null}
    </div>
  );
}
