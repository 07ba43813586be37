import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { pageTitle } from "../components/root-data";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortMemberList } from "../components/cohorts";
import { EmptyState, Field, FormMessage, TimeAgo, useFocusFirstError } from "../components/ui";
import { domainError, formError, orFail, readForm, redirectWithFlash, requireMember } from "../lib/http.server";
import { passThroughHeaders } from "../lib/headers";
import { readCategories, readTags } from "../models/catalog/catalog.server";
import { cohortMembers, cohortSize, describeCohortInput, listCohorts, saveCohort } from "../models/listening/cohorts.server";
import { describeCriterion } from "../models/listening/listening";
import { cohortCriteriaSchema, saveCohortSchema } from "../models/listening/schemas.server";
import type { FieldErrors } from "../models/shared/validation";
import { parseForm } from "../models/shared/schemas.server";
import { useT } from "../i18n";

export const headers = passThroughHeaders;

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "Cohorts") }];

const FIELDS = ["tag", "min", "category", "days", "idea", "adopted"] as const;

function criteriaForm(params: URLSearchParams): FormData {
  const form = new FormData();
  for (const f of FIELDS) {
    const v = params.get(f);
    if (v !== null) form.set(f, v);
  }
  return form;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requireMember(context, request);
  const url = new URL(request.url);
  const [tags, categories, saved] = await Promise.all([readTags(context.db, context.reference), readCategories(context.db, context.reference), orFail(listCohorts(context.db, viewer, url.searchParams.get("saved")))]);
  const asked = (["tag", "category", "idea", "adopted"] as const).some((f) => url.searchParams.get(f));
  const values = Object.fromEntries(FIELDS.map((f) => [f, url.searchParams.get(f) ?? ""]));
  const base = { tags, categories, saved: saved.items, savedNext: saved.nextCursor, values, query: "" };
  if (!asked) return { ...base, fieldErrors: null, preview: null };
  const parsed = parseForm(cohortCriteriaSchema, criteriaForm(url.searchParams));
  if (!parsed.ok) return { ...base, fieldErrors: parsed.fieldErrors, preview: null };
  try {
    const criteria = parsed.data;
    const names = await describeCohortInput(context.db, viewer, criteria);
    const [size, page] = await Promise.all([cohortSize(context.db, viewer, criteria), cohortMembers(context.db, viewer, criteria, url.searchParams.get("after"))]);
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString();
    return { ...base, query, fieldErrors: null, preview: { size, description: criteria.map((c) => describeCriterion(c, names)), members: page.items, nextCursor: page.nextCursor } };
  } catch (error) {
    const answer = domainError(error);
    return { ...base, fieldErrors: (answer.data as { fieldErrors: FieldErrors }).fieldErrors, preview: null };
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireMember(context, request);
  const form = await readForm(request);
  const named = parseForm(saveCohortSchema, form);
  const criteria = parseForm(cohortCriteriaSchema, form);
  if (!named.ok || !criteria.ok) return formError(400, { ...(named.ok ? {} : named.fieldErrors), ...(criteria.ok ? {} : criteria.fieldErrors) }, named.ok ? {} : named.values);
  try {
    const saved = await saveCohort(context.db, viewer, { name: named.data.name, criteria: criteria.data });
    return redirectWithFlash(`/cohorts/${saved.id}`, "Cohort saved. Its members are computed afresh each time you open it.");
  } catch (error) {
    return domainError(error);
  }
}

export default function Cohorts() {
  const t = useT();
  const { tags, categories, saved, savedNext, values, fieldErrors, preview, query } = useLoaderData<typeof loader>();
  const saveErrors = useActionData<{ fieldErrors?: FieldErrors }>()?.fieldErrors;
  const ref = useFocusFirstError(fieldErrors ?? undefined);
  const saveRef = useFocusFirstError(saveErrors);
  const e = fieldErrors ?? {};
  return (
    <div className="cohorts-page">
      <section className="hero">
        <h1>{t("Cohorts")}</h1>
        <p className="lead">{t("Find members by what they did, then save, export or message them. Every condition you fill in must hold (AND).")}</p>
      </section>
      <div className="record-layout">
        <section aria-labelledby="builder-heading">
          <h2 id="builder-heading">{t("Build a cohort")}</h2>
          <FormMessage message={e.form} />
          <Form method="get" ref={ref} className="cohort-builder" noValidate>
            <fieldset>
              <legend>{t("Voted for ideas with a tag")}</legend>
              <div className="field">
                <label htmlFor="cohort-tag">{t("Tag")}</label>
                <select id="cohort-tag" name="tag" defaultValue={values.tag} aria-invalid={e.tag ? true : undefined} aria-describedby={e.tag ? "cohort-tag-error" : undefined}>
                  <option value="">{t("(any: no condition)")}</option>
                  {tags.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
                </select>
                {e.tag ? <p className="field-error" id="cohort-tag-error">{e.tag}</p> : null}
              </div>
              <Field id="cohort-min" label={t("At least this many ideas")} name="min" type="number" min={1} max={1000} defaultValue={values.min || "1"} error={e.min} />
            </fieldset>
            <fieldset>
              <legend>{t("Commented on ideas in a category")}</legend>
              <div className="field">
                <label htmlFor="cohort-category">{t("Category")}</label>
                <select id="cohort-category" name="category" defaultValue={values.category} aria-invalid={e.category ? true : undefined} aria-describedby={e.category ? "cohort-category-error" : undefined}>
                  <option value="">{t("(any: no condition)")}</option>
                  {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                </select>
                {e.category ? <p className="field-error" id="cohort-category-error">{e.category}</p> : null}
              </div>
              <Field id="cohort-days" label={t("In the last this many days")} name="days" type="number" min={1} max={3650} defaultValue={values.days || "30"} error={e.days} />
            </fieldset>
            <fieldset>
              <legend>{t("Other conditions")}</legend>
              <Field id="cohort-idea" label={t("Voted for the idea number (supporters)")} name="idea" inputMode="numeric" defaultValue={values.idea} error={e.idea} />
              <div className="field field-check">
                <input type="checkbox" id="cohort-adopted" name="adopted" defaultChecked={values.adopted === "on"} />
                <label htmlFor="cohort-adopted">{t("Has an idea that was adopted")}</label>
              </div>
            </fieldset>
            <button type="submit" className="button button-primary">{t("Show the cohort")}</button>
          </Form>
        </section>

        <section aria-labelledby="preview-heading" aria-live="polite">
          <h2 id="preview-heading">{preview ? t("{count, plural, one {# member} other {# members}}", { count: preview.size }) : t("Members")}</h2>
          {preview ? (
            <>
              <p className="muted">Members who {preview.description.join(", and ")}.</p>
              <Form method="post" ref={saveRef} className="inline-field" noValidate>
                <input type="hidden" name="intent" value="save" />
                {Object.entries(values).filter(([, v]) => v).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
                <Field id="cohort-name" label={t("Save as")} name="name" required maxLength={80} error={saveErrors?.name ?? saveErrors?.form} />
                <button type="submit" className="button button-secondary">{t("Save cohort")}</button>
              </Form>
              <CohortMemberList members={preview.members} nextHref={preview.nextCursor ? `/cohorts?${query}&after=${preview.nextCursor}` : null} />
            </>
          ) : (
            <p className="muted">{t("Choose conditions and show the cohort to see its size and members.")}</p>
          )}
        </section>
      </div>

      <section aria-labelledby="saved-heading">
        <h2 id="saved-heading">{t("Saved cohorts")}</h2>
        {saved.length === 0 ? (
          <EmptyState title={t("No saved cohorts yet")}><p>{t("Build one above and save it with a name.")}</p></EmptyState>
        ) : (
          <ul className="plain-list">
            {saved.map((c) => (
              <li key={c.id}>
                <Link to={`/cohorts/${c.id}`}>{c.name}</Link>
                <span className="meta"> · {t("saved by {name}", { name: c.created_by_name })} <TimeAgo iso={c.created_at} /></span>
              </li>
            ))}
          </ul>
        )}
        {savedNext ? <nav aria-label={t("Saved cohorts pages")} className="pager"><span /><Link to={`/cohorts?saved=${savedNext}`} rel="next">{t("Older cohorts →")}</Link></nav> : null}
      </section>
    </div>
  );
}
