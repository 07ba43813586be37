import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { MAIL_STATES, type MailState } from "../../db/schema";
import { EmptyState, TimeAgo } from "../components/ui";
import { passThroughHeaders } from "../lib/headers";
import { fail, requireMember } from "../lib/http.server";
import { mailTransportKind } from "../lib/mail.server";
import { listDeliveries } from "../models/mail/mail.server";
import { assertCan } from "../models/policy";
import { DomainError } from "../models/shared/errors";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Mail deliveries") }];

const TRANSPORT_TEXT = {
  smtp: "Mail goes to the SMTP server in SMTP_URL.",
  mailbox: "No SMTP_URL is set: mail is kept in the development mailbox (/dev/mailbox).",
  none: "No SMTP_URL is set in production: no mail is sent. Set SMTP_URL and MAIL_FROM.",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const member = requireMember(context, request);
  try {
    assertCan(member, "mail.read_deliveries", null);
  } catch (error) {
    if (error instanceof DomainError) fail(error.status, error.message);
    throw error;
  }
  const url = new URL(request.url);
  const state = url.searchParams.get("state") ?? "";
  if (state && !(MAIL_STATES as readonly string[]).includes(state)) fail(400, "Filter by queued, sent or failed.");
  const page = await listDeliveries(context.db, { state: (state || null) as MailState | null, cursor: url.searchParams.get("after") });
  return { ...page, state, transport: TRANSPORT_TEXT[mailTransportKind()] };
}

export default function MailDeliveries() {
  const t = useT();
  const { items, nextCursor, state, transport } = useLoaderData<typeof loader>();
  return (
    <div>
      <section className="hero">
        <h1>{t("Mail deliveries")}</h1>
        <p>Every mail the site sends, newest first: queued, sent (with the server's answer) or failed (with why; failed mail is retried with backoff). {transport}</p>
      </section>
      <Form method="get" className="filters">
        <div className="filter">
          <label htmlFor="mail-state">{t("State")}</label>
          <select id="mail-state" name="state" defaultValue={state}>
            <option value="">{t("All")}</option>
            {MAIL_STATES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button type="submit" className="button button-secondary">{t("Filter")}</button>
      </Form>
      {items.length === 0 ? (
        <EmptyState title={t("No mail")}><p>Nothing has been sent{state ? ` in the state ${state}` : ""} yet.</p></EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="audit-table">
            <caption className="visually-hidden">{t("Mail deliveries")}</caption>
            <thead><tr><th scope="col">{t("Queued")}</th><th scope="col">{t("To")}</th><th scope="col">{t("Kind")}</th><th scope="col">{t("Subject")}</th><th scope="col">{t("State")}</th><th scope="col">{t("Attempts")}</th><th scope="col">{t("Server's answer")}</th></tr></thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td><TimeAgo iso={d.createdAt} /></td>
                  <td className="small">{d.member ? <Link to={`/members/${d.member.handle}`}>{d.member.displayName}</Link> : null} {d.to}</td>
                  <td>{d.kind}</td>
                  <td className="small">{d.subject}</td>
                  <td><span className={`mail-state mail-state-${d.state}`}>{d.state}</span></td>
                  <td>{d.attempts}</td>
                  <td className="small">{d.response ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <nav aria-label={t("Pages")} className="pager"><span /><Link to={`/manage/mail?${new URLSearchParams({ ...(state ? { state } : {}), after: nextCursor })}`} rel="next">{t("Older →")}</Link></nav>
      ) : null}
    </div>
  );
}
