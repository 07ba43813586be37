import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CohortMemberList } from "../components/cohorts";
import { Field, FormMessage, TextArea, TimeAgo, useFocusFirstError } from "../components/ui";
import { domainError, formError, idParam, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { passThroughHeaders } from "../lib/headers";
import { cohortMembers, cohortSize, criteriaNames, getCohort, messageCohort } from "../models/listening/cohorts.server";
import { describeCriterion } from "../models/listening/listening";
import { criteriaToFields, messageCohortSchema } from "../models/listening/schemas.server";
import { plural } from "../models/shared/format";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: data ? `${data.cohort.name} · ${pageTitle(matches, "Cohorts")}` : pageTitle(matches, "Cohort") }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = requireMember(context, request);
  const cohortId = idParam(params.cohortId, "That cohort");
  const cohort = await orFail(getCohort(context.db, viewer, cohortId));
  const [size, page, names] = await Promise.all([
    cohortSize(context.db, viewer, cohort.criteria),
    orFail(cohortMembers(context.db, viewer, cohort.criteria, new URL(request.url).searchParams.get("after"))),
    criteriaNames(context.db, cohort.criteria),
  ]);
  return {
    cohort: { id: cohort.id, name: cohort.name, createdAt: cohort.created_at, createdBy: cohort.created_by_name, messages: cohort.messages },
    description: cohort.criteria.map((c) => describeCriterion(c, names)),
    builderQuery: new URLSearchParams(criteriaToFields(cohort.criteria)).toString(),
    size,
    members: page.items,
    nextCursor: page.nextCursor,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = requireMember(context, request);
  const cohortId = idParam(params.cohortId, "That cohort");
  const form = await readForm(request);
  const parsed = parseForm(messageCohortSchema, form);
  if (!parsed.ok) return formError(400, parsed.fieldErrors, parsed.values);
  try {
    await messageCohort(context.db, viewer, { cohortId, subject: parsed.data.subject, body: parsed.data.body });
    return redirectWithFlash(`/cohorts/${cohortId}`, "Message queued. Members of the cohort receive it in their notifications in a moment.");
  } catch (error) {
    return domainError(error, parsed.ok ? { subject: parsed.data.subject, body: parsed.data.body } : {});
  }
}

export default function CohortPage() {
  const t = useT();
  const { cohort, description, builderQuery, size, members, nextCursor } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ fieldErrors?: FieldErrors; values?: Record<string, string> }>();
  const errors = actionData?.fieldErrors;
  const ref = useFocusFirstError(errors);
  const busy = useNavigation().state === "submitting";
  return (
    <div className="cohort-page">
      <p className="breadcrumb"><Link to="/cohorts">{t("← Cohorts")}</Link></p>
      <h1>{cohort.name}</h1>
      <p className="lead">Members who {description.join(", and ")}.</p>
      <p className="muted">{t("Saved by {name}", { name: cohort.createdBy })} <TimeAgo iso={cohort.createdAt} />. {t("Computed afresh now: {count, plural, one {# member} other {# members}}.", { count: size })}</p>
      <p className="form-actions">
        <a className="button button-secondary" href={`/cohorts/${cohort.id}/export.csv`} download>{t("Export as CSV")}</a>
        <Link className="button button-quiet" to={`/cohorts?${builderQuery}`}>{t("Open in the builder")}</Link>
      </p>
      <div className="record-layout">
        <section aria-labelledby="members-heading">
          <h2 id="members-heading">{t("Members")}</h2>
          <CohortMemberList members={members} nextHref={nextCursor ? `/cohorts/${cohort.id}?after=${nextCursor}` : null} />
        </section>
        <aside aria-label={t("Message the cohort")}>
          <section className="staff-panel" aria-labelledby="message-heading">
            <h2 id="message-heading">{t("Message this cohort")}</h2>
            <p className="muted small">{t("Each member gets it once, as a notification, unless they refuse messages from staff. Sent in the background.")}</p>
            <FormMessage message={errors?.form ?? errors?.intent} />
            <Form method="post" ref={ref} noValidate>
              <input type="hidden" name="intent" value="message" />
              <Field id="message-subject" label={t("Subject")} name="subject" required maxLength={120} defaultValue={actionData?.values?.subject} error={errors?.subject} />
              <TextArea id="message-body" label={t("Message")} name="body" rows={6} required maxLength={10000} hint={t("Markdown works.")} defaultValue={actionData?.values?.body} error={errors?.body} />
              <button type="submit" className="button button-primary" disabled={busy}>{t("Send to {count, plural, one {# member} other {# members}}", { count: size })}</button>
            </Form>
          </section>
          <section aria-labelledby="sent-heading">
            <h2 id="sent-heading">{t("Sent")}</h2>
            {cohort.messages.length === 0 ? <p className="muted">{t("No message sent to this cohort yet.")}</p> : (
              <ul className="plain-list">
                {cohort.messages.map((m) => (
                  <li key={m.id}>
                    <Link to={`/messages/${m.id}`}>{m.subject}</Link>
                    <span className="meta"> · {m.sent_by_name} <TimeAgo iso={m.created_at} /> · {m.finished_at ? `delivered to ${plural(m.delivered_count, "member")}` : `delivering (${m.delivered_count} so far)`}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}
