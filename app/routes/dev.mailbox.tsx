import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, TimeAgo } from "../components/ui";
import { passThroughHeaders } from "../lib/headers";
import { fail } from "../lib/http.server";
import { mailTransportKind } from "../lib/mail.server";
import { isProduction } from "../lib/env.server";
import { listMailbox } from "../models/mail/mail.server";

export const headers = passThroughHeaders;

export const meta: MetaFunction = () => [{ title: "Development mailbox · Harbor Ideas" }];

/** Every mail the app sent while no SMTP server is configured. Never in production. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (isProduction()) fail(404, "That page does not exist.");
  const page = await listMailbox(context.db, new URL(request.url).searchParams.get("after"));
  return { mails: page.items, nextCursor: page.nextCursor, smtp: mailTransportKind() === "smtp" };
}

export default function Mailbox() {
  const { mails, nextCursor, smtp } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-page">
      <h1>Development mailbox</h1>
      <p className="lead">
        With no <code>SMTP_URL</code> set (and not in production), every mail the app sends lands here instead, links and all.
        {smtp ? " SMTP_URL is set now: new mail goes to that server." : ""}
      </p>
      {mails.length === 0 ? (
        <EmptyState title="No mail yet"><p>Join, ask for a password reset or answer an idea, and the mail shows up here.</p></EmptyState>
      ) : (
        <ul className="notification-list">
          {mails.map((m) => (
            <li key={m.id} className="notification">
              <Link to={`/dev/mailbox/${m.id}`}>{m.subject}</Link>
              <p className="meta">To {m.to} · <TimeAgo iso={m.createdAt} /></p>
            </li>
          ))}
        </ul>
      )}
      {nextCursor ? (
        <nav aria-label="Pages" className="pager"><span /><Link to={`/dev/mailbox?after=${nextCursor}`} rel="next">Older →</Link></nav>
      ) : null}
    </div>
  );
}
