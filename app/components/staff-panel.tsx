import { Form, Link, useFetcher } from "@remix-run/react";
import { useState } from "react";
import type { IdeaStatus } from "../../db/schema";
import { STATUS_LABELS } from "../models/ideas/idea";
import { DECLINE_REASONS, TRANSITIONS } from "../models/pipeline/status";
import { FormMessage, Prose, TextArea, TimeAgo, useHydrated } from "./ui";
import { useT } from "../i18n";

type Errors = { fieldErrors?: Record<string, string | undefined> };

/** A product-team form: a fetcher with JavaScript (errors inline), a plain post without. */
function StaffForm({ ideaId, intent, children, className }: { ideaId: number; intent: string; children: (errors?: Record<string, string | undefined>, busy?: boolean) => React.ReactNode; className?: string }) {
  const fetcher = useFetcher<Errors>();
  return (
    <fetcher.Form method="post" action={`/ideas/${ideaId}/staff`} className={className ?? "staff-form"}>
      <input type="hidden" name="intent" value={intent} />
      <FormMessage message={fetcher.data?.fieldErrors?.form} />
      {children(fetcher.data?.fieldErrors, fetcher.state !== "idle")}
    </fetcher.Form>
  );
}

export interface StaffPanelData {
  status: IdeaStatus;
  categories: { slug: string; name: string }[];
  categorySlug: string | null;
  tags: { slug: string; name: string }[];
  tagSlugs: string[];
  owners: { id: number; display_name: string }[];
  ownerId: number | null;
  notes: { id: number; body_html: string; created_at: string | Date; author_name: string }[];
  similar: { id: number; title: string; status: string; score: number }[];
  activeMergeId: number | null;
}

export function StaffPanel({ ideaId, data }: { ideaId: number; data: StaffPanelData }) {
  const t = useT();
  const moves = TRANSITIONS[data.status];
  const [status, setStatus] = useState<string>("keep");
  // Without JavaScript the decline fields always show (the server ignores them unless declining).
  const hydrated = useHydrated();
  return (
    <section className="staff-panel" aria-labelledby="staff-heading">
      <h2 id="staff-heading">{t("Product team")}{" "}<span className="staff-only">{t("only staff see this")}</span></h2>

      {data.status === "duplicate" ? (
        data.activeMergeId ? (
          <StaffForm ideaId={ideaId} intent="undo-merge">
            {(_errors, busy) => (
              <>
                <input type="hidden" name="mergeId" value={data.activeMergeId!} />
                <p>{t("This idea is merged into another. Undoing the merge restores both ideas as they were.")}</p>
                <button type="submit" className="button button-secondary" disabled={busy}>{t("Undo merge")}</button>
              </>
            )}
          </StaffForm>
        ) : null
      ) : (
        <StaffForm ideaId={ideaId} intent="respond">
          {(errors, busy) => (
            <>
              <h3>{t("Official response")}</h3>
              <div className="field">
                <label htmlFor="respond-status">{t("Status")}</label>
                <select
                  id="respond-status"
                  name="status"
                  value={status}
                  onChange={(e) => setStatus(e.target.value)}
                  aria-invalid={errors?.status ? true : undefined}
                  aria-describedby={errors?.status ? "respond-status-error" : undefined}
                >
                  <option value="keep">{t("Keep “{status}” (answer only)", { status: t(STATUS_LABELS[data.status]) })}</option>
                  {moves.map((s) => (
                    <option key={s} value={s}>{t("Move to “{status}”", { status: t(STATUS_LABELS[s]) })}</option>
                  ))}
                </select>
                {errors?.status ? <p className="field-error" id="respond-status-error">{errors.status}</p> : null}
              </div>
              {moves.includes("declined") || data.status === "declined" ? (
                <fieldset className="decline-fields" hidden={hydrated && status !== "declined"}>
                  <legend>{t("When declining")}</legend>
                  <div className="field">
                    <label htmlFor="respond-reason">{t("Reason")}</label>
                    <select id="respond-reason" name="declineReason" defaultValue="" aria-invalid={errors?.declineReason ? true : undefined} aria-describedby={errors?.declineReason ? "respond-reason-error" : undefined}>
                      <option value="">{t("Choose a reason")}</option>
                      {Object.entries(DECLINE_REASONS).map(([value, label]) => (
                        <option key={value} value={value}>{label}</option>
                      ))}
                    </select>
                    {errors?.declineReason ? <p className="field-error" id="respond-reason-error">{errors.declineReason}</p> : null}
                  </div>
                  <div className="field">
                    <label htmlFor="respond-revisit">{t("Revisit on (optional)")}</label>
                    <input id="respond-revisit" type="date" name="revisitOn" aria-invalid={errors?.revisitOn ? true : undefined} aria-describedby={errors?.revisitOn ? "respond-revisit-error" : "respond-revisit-hint"} />
                    <p className="field-hint" id="respond-revisit-hint">{t("On that day the idea returns to “Under review” and its followers are told.")}</p>
                    {errors?.revisitOn ? <p className="field-error" id="respond-revisit-error">{errors.revisitOn}</p> : null}
                  </div>
                </fieldset>
              ) : null}
              <TextArea id="respond-body" label={t("Public response")} name="body" rows={4} required error={errors?.body}
                hint={t("Shown on the idea and sent to its voters and followers. Markdown works.")} />
              <button type="submit" className="button button-primary" disabled={busy}>{busy ? t("Posting…") : t("Post response")}</button>
            </>
          )}
        </StaffForm>
      )}

      <div className="staff-grid">
        <StaffForm ideaId={ideaId} intent="categorise">
          {(errors, busy) => (
            <div className="field inline-field">
              <label htmlFor="staff-category">{t("Category")}</label>
              <select id="staff-category" name="category" defaultValue={data.categorySlug ?? ""} aria-invalid={errors?.category ? true : undefined}>
                {data.categories.map((c) => <option key={c.slug} value={c.slug}>{c.name}</option>)}
              </select>
              <button type="submit" className="button button-secondary" disabled={busy}>{t("Save")}</button>
              {errors?.category ? <p className="field-error">{errors.category}</p> : null}
            </div>
          )}
        </StaffForm>
        <StaffForm ideaId={ideaId} intent="assign">
          {(errors, busy) => (
            <div className="field inline-field">
              <label htmlFor="staff-owner">{t("Owner")}</label>
              <select id="staff-owner" name="ownerId" defaultValue={data.ownerId ?? ""} aria-invalid={errors?.ownerId ? true : undefined}>
                <option value="">{t("Nobody")}</option>
                {data.owners.map((o) => <option key={o.id} value={o.id}>{o.display_name}</option>)}
              </select>
              <button type="submit" className="button button-secondary" disabled={busy}>{t("Save")}</button>
              {errors?.ownerId ? <p className="field-error">{errors.ownerId}</p> : null}
            </div>
          )}
        </StaffForm>
      </div>

      <StaffForm ideaId={ideaId} intent="tag">
        {(errors, busy) => (
          <fieldset className="tag-picker">
            <legend>{t("Tags")}</legend>
            {data.tags.length === 0 ? <p className="muted">{t("No tags yet.")}{" "}<Link to="/manage/tags">{t("Create tags")}</Link>.</p> : null}
            {data.tags.map((t) => (
              <label key={t.slug} className="checkbox">
                <input type="checkbox" name="tags" value={t.slug} defaultChecked={data.tagSlugs.includes(t.slug)} /> {t.name}
              </label>
            ))}
            {errors?.tags ? <p className="field-error">{errors.tags}</p> : null}
            <div><button type="submit" className="button button-secondary" disabled={busy}>{t("Save tags")}</button></div>
          </fieldset>
        )}
      </StaffForm>

      {data.status !== "duplicate" ? (
        <div className="possible-duplicates" id="possible-duplicates">
          {/* A GET form: the choice opens the confirmation page, which shows both ideas before anything moves. */}
          <Form method="get" action={`/ideas/${ideaId}/merge`}>
            <fieldset className="merge-choices">
              <legend>{t("Merge this idea into another")}</legend>
              {data.similar.length === 0 ? (
                <p className="muted">{t("No possible duplicates found. Enter an idea's number below.")}</p>
              ) : (
                <>
                  <p className="field-hint">{t("Possible duplicates, closest first. Nothing is merged until you confirm.")}</p>
                  <ul className="plain-list merge-candidates">
                    {data.similar.map((s) => (
                      <li key={s.id}>
                        <label className="radio merge-candidate">
                          <input type="radio" name="into" value={s.id} />
                          <span>
                            <span className="merge-candidate-title">{s.title}</span>{" "}
                            <span className="muted">#{s.id} · {STATUS_LABELS[s.status as IdeaStatus]} · {s.score === 1 ? "1 vote" : `${s.score} votes`}</span>
                          </span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <div className="field inline-field">
                <label htmlFor="merge-number">{data.similar.length ? t("Or another idea, by number") : t("Idea number")}</label>
                <input id="merge-number" name="number" inputMode="numeric" size={8} pattern="#?[0-9]{1,10}" aria-describedby="merge-number-hint" />
                <button type="submit" className="button button-secondary">{t("Review merge…")}</button>
                <p className="field-hint" id="merge-number-hint">{t("Its voters and followers move there; its author is credited. You can undo it.")}</p>
              </div>
            </fieldset>
          </Form>
        </div>
      ) : null}

      <div id="staff-notes" className="staff-notes">
        <h3>{t("Private notes")}</h3>
        <StaffForm ideaId={ideaId} intent="add-note">
          {(errors, busy) => (
            <>
              <TextArea id="note-body" label={t("Add a note (staff only)")} name="body" rows={2} required error={errors?.body} />
              <button type="submit" className="button button-secondary" disabled={busy}>{t("Add note")}</button>
            </>
          )}
        </StaffForm>
        <ul className="plain-list">
          {data.notes.map((n) => (
            <li key={n.id}>
              <p className="meta">{n.author_name} · <TimeAgo iso={n.created_at} /></p>
              <Prose html={n.body_html} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
