import { useFetcher } from "@remix-run/react";
import type { FlagTargetKind } from "../../db/schema";
import { FLAG_REASON_LABELS, MODERATION_ACTIONS } from "../models/moderation/moderation";
import { FormMessage, useHydrated } from "./ui";
import { useT } from "../i18n";

type Result = { ok?: boolean; message?: string; fieldErrors?: Record<string, string | undefined> };

/** "Flag" for members: a reason and an optional note, or "withdraw" if they already flagged it. */
export function FlagControl({ kind, targetId, myFlagId, returnTo, open = false }: { kind: FlagTargetKind; targetId: number; myFlagId: number | null; returnTo: string; open?: boolean }) {
  const t = useT();
  const fetcher = useFetcher<Result>();
  const hydrated = useHydrated();
  const id = `flag-${kind}-${targetId}`;
  if (fetcher.data?.ok && fetcher.data.message) return <p className="muted small" role="status">{fetcher.data.message}</p>;
  if (myFlagId && !fetcher.data?.ok) {
    return (
      <fetcher.Form method="post" action="/flags" className="inline-form">
        <input type="hidden" name="intent" value="withdraw-flag" />
        <input type="hidden" name="flagId" value={myFlagId} />
        {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
        <span className="muted small">{t("You flagged this.")}</span>{" "}
        <button type="submit" className="link-button">{t("Withdraw flag")}</button>
      </fetcher.Form>
    );
  }
  const form = (
      <fetcher.Form method="post" action="/flags" className="flag-form">
        <input type="hidden" name="intent" value="flag" />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="targetId" value={targetId} />
        {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
        <FormMessage message={fetcher.data?.fieldErrors?.form} />
        <fieldset>
          <legend>What is wrong with this {kind}?</legend>
          {Object.entries(FLAG_REASON_LABELS).map(([value, label]) => (
            <label key={value} className="radio">
              <input type="radio" name="reason" value={value} required /> {label}
            </label>
          ))}
          {fetcher.data?.fieldErrors?.reason ? <p className="field-error">{fetcher.data.fieldErrors.reason}</p> : null}
        </fieldset>
        <label htmlFor={`${id}-note`}>{t("Note for moderators (optional)")}</label>
        <input id={`${id}-note`} name="note" maxLength={500} aria-invalid={fetcher.data?.fieldErrors?.note ? true : undefined} />
        {fetcher.data?.fieldErrors?.note ? <p className="field-error">{fetcher.data.fieldErrors.note}</p> : null}
        <button type="submit" className="button button-secondary" disabled={fetcher.state !== "idle"}>{t("Send flag")}</button>
      </fetcher.Form>
  );
  // Opened from a link (a comment's "Flag"): just the form; otherwise its own disclosure.
  return open ? (
    <div className="flag-control">{form}</div>
  ) : (
    <details className="flag-control">
      <summary>{t("Flag")}</summary>
      {form}
    </details>
  );
}

const ACTION_LABELS = { dismiss: "Keep (dismiss flags)", hide: "Hide", delete: "Delete", restore: "Restore" } as const;

/** A moderator's controls on an item: where it appears, and in the queue. */
export function ModerateControl({ kind, targetId, state, returnTo, open = false }: { kind: FlagTargetKind; targetId: number; state: string; returnTo: string; open?: boolean }) {
  const t = useT();
  const fetcher = useFetcher<Result>();
  const id = `mod-${kind}-${targetId}`;
  const actions = MODERATION_ACTIONS.filter((a) => (kind === "member" ? a !== "delete" : true)).filter((a) =>
    state === "visible" ? a !== "restore" : a !== "dismiss" || state === "pending",
  );
  return (
    <Disclosure open={open} className="moderate-control" summary="Moderate">
      <fetcher.Form method="post" action="/moderation" className="moderate-form">
        <input type="hidden" name="intent" value="moderate" />
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="targetId" value={targetId} />
        {/* Success always comes back as a page with a flash: the item may leave the queue at once. */}
        <input type="hidden" name="returnTo" value={returnTo} data-always="" />
        <FormMessage message={fetcher.data?.fieldErrors?.form ?? fetcher.data?.fieldErrors?.action} />
        <label htmlFor={`${id}-action`}>{t("Action")}</label>
        <select id={`${id}-action`} name="action" defaultValue={actions[0]}>
          {actions.map((a) => (
            <option key={a} value={a}>{t(ACTION_LABELS[a])}</option>
          ))}
        </select>
        <label htmlFor={`${id}-reason`}>{t("Reason (the author sees it)")}</label>
        <input id={`${id}-reason`} name="reason" maxLength={500}
          aria-invalid={fetcher.data?.fieldErrors?.reason ? true : undefined}
          aria-describedby={fetcher.data?.fieldErrors?.reason ? `${id}-reason-error` : undefined} />
        {fetcher.data?.fieldErrors?.reason ? <p className="field-error" id={`${id}-reason-error`}>{fetcher.data.fieldErrors.reason}</p> : null}
        <button type="submit" className="button button-secondary" disabled={fetcher.state !== "idle"}>{t("Apply")}</button>
      </fetcher.Form>
    </Disclosure>
  );
}

/** Opened on request (from a link, or in the queue): just the content; otherwise a disclosure. */
function Disclosure({ open, className, summary, children }: { open: boolean; className: string; summary: string; children: React.ReactNode }) {
  return open ? <div className={className}>{children}</div> : (
    <details className={className}>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}
