import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { passThroughHeaders } from "../lib/headers";
import { fail } from "../lib/http.server";
import { isProduction } from "../lib/env.server";
import { getMailboxMessage } from "../models/mail/mail.server";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.mail.subject ?? "Mail"} · Development mailbox` }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  if (isProduction()) fail(404, "That page does not exist.");
  const mail = await getMailboxMessage(context.db, params.mailId ?? "");
  if (!mail) fail(404, "That mail does not exist.");
  return { mail };
}

/** The plain-text part with its links clickable (the HTML part opens on its own page). */
function TextWithLinks({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre className="mail-text">
      {parts.map((part, i) => (i % 2 === 1 ? <a key={i} href={part}>{part}</a> : <Fragment key={i}>{part}</Fragment>))}
    </pre>
  );
}

export default function MailboxMessage() {
  const { mail } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-page">
      <p><Link to="/dev/mailbox">← Development mailbox</Link></p>
      <h1>{mail.subject}</h1>
      <dl className="mail-headers">
        <dt>From</dt><dd>{mail.from}</dd>
        <dt>To</dt><dd>{mail.to}</dd>
        {Object.entries(mail.headers).map(([name, value]) => (
          <Fragment key={name}><dt>{name}</dt><dd><code>{value}</code></dd></Fragment>
        ))}
      </dl>
      <p><a href={`/dev/mailbox/${mail.id}/html`}>Open the HTML part</a></p>
      <h2>Plain text</h2>
      <TextWithLinks text={mail.text} />
    </div>
  );
}
