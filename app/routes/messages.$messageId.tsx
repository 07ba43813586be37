import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Link, useLoaderData } from "@remix-run/react";
import { Prose, StaffMark, TimeAgo } from "../components/ui";
import { idParam, orFail, requireMember } from "../lib/http.server";
import { passThroughHeaders } from "../lib/headers";
import { getCohortMessage } from "../models/listening/cohorts.server";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data ? `${data.message.subject} · ${pageTitle(matches)}` : pageTitle(matches, "Message") }];

/** A message staff sent to a cohort, for its recipients (and the product team). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = requireMember(context, request);
  const message = await orFail(getCohortMessage(context.db, viewer, idParam(params.messageId, "That message")));
  return { message };
}

export default function MessagePage() {
  const t = useT();
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="narrow-page">
      <p className="breadcrumb"><Link to="/notifications">{t("← Notifications")}</Link></p>
      <h1>{message.subject}</h1>
      <p className="meta">{t("From {name}", { name: message.sent_by_name })} <StaffMark role={message.sent_by_role} /> · <TimeAgo iso={message.created_at} /></p>
      <Prose html={message.body_html} />
      <p className="muted small">{t("You get messages like this because of what you did on Harbor Ideas. You can turn them off on your")}{" "}<Link to="/notifications">{t("notifications page")}</Link>.</p>
    </div>
  );
}
