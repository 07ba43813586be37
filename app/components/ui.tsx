import { useEffect, useRef, useState, type InputHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { IdeaStatus } from "../../db/schema";
import { STATUS_LABELS } from "../models/ideas/idea";
import { formatDate, isoSeconds, relativeTime } from "../models/shared/format";
import { useRootData } from "./root-data";
import { useLocale, useT } from "../i18n";

/** True once React has hydrated: forms then submit through fetchers. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

export function StatusBadge({ status }: { status: IdeaStatus }) {
  const t = useT();
  return <span className={`status status-${status}`}>{t(STATUS_LABELS[status])}</span>;
}

/** "3 days ago", with the exact date as a tooltip (left out in long lists, where it costs bytes per row). */
export function TimeAgo({ iso, tooltip = true }: { iso: string | Date; tooltip?: boolean }) {
  const now = useRootData()?.now ?? new Date().toISOString();
  const locale = useLocale();
  const date = new Date(iso);
  return (
    <time dateTime={isoSeconds(date)} title={tooltip ? formatDate(date, locale) : undefined}>
      {relativeTime(date, now, locale)}
    </time>
  );
}

/** Sanitised HTML rendered on the server from a member's Markdown. */
export function Prose({ html }: { html: string }) {
  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function StaffMark({ role }: { role: string }) {
  const t = useT();
  if (role === "member") return null;
  const label = role === "product_manager" ? t("Product team") : role === "admin" ? t("Harbor staff") : t("Moderator");
  return <span className="staff-mark">{label}</span>;
}

/** A form-level message (errors the fields do not own). */
export function FormMessage({ message, id }: { message?: string; id?: string }) {
  const t = useT();
  if (!message) return null;
  return (
    <div className="form-message" role="alert" id={id}>
      {t(message)}
    </div>
  );
}

/** Focuses the first invalid field after a failed submission. */
export function useFocusFirstError(errors: Record<string, string | undefined> | undefined) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!errors || !ref.current) return;
    const invalid = ref.current.querySelector<HTMLElement>("[aria-invalid='true']");
    invalid?.focus();
  }, [errors]);
  return ref;
}

type Labelled = { label: string; name: string; error?: string; hint?: string; id?: string };

/** Label, hint and error around one control, wired with aria-invalid and aria-describedby. */
function FieldFrame({ label, name, error, hint, id, children }: Labelled & {
  children: (control: { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const fieldId = id ?? `field-${name}`;
  const t = useT();
  const described = [hint ? `${fieldId}-hint` : null, error ? `${fieldId}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={fieldId}>{label}</label>
      {hint ? <p className="field-hint" id={`${fieldId}-hint`}>{hint}</p> : null}
      {children({ id: fieldId, name, "aria-invalid": error ? true : undefined, "aria-describedby": described || undefined })}
      {error ? <p className="field-error" id={`${fieldId}-error`}>{t(error)}</p> : null}
    </div>
  );
}

export function Field({ label, name, error, hint, id, ...input }: Labelled & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} id={id}>
      {(control) => <input {...control} {...input} />}
    </FieldFrame>
  );
}

export function TextArea({ label, name, error, hint, id, ...textarea }: Labelled & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldFrame label={label} name={name} error={error} hint={hint} id={id}>
      {(control) => <textarea {...control} {...textarea} />}
    </FieldFrame>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
