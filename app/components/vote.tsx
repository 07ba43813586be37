import { useFetcher } from "@remix-run/react";
import { useRootData } from "./root-data";
import { useHydrated } from "./ui";

type Vote = -1 | 0 | 1;

interface VoteControlProps {
  ideaId: number;
  /** The idea's title, so each button says which idea it is for. */
  title: string;
  score: number;
  myVote: Vote;
  open: boolean;
  /** Where to come back to when the form posts without JavaScript. */
  returnTo: string;
  size?: "sm" | "lg";
}

const fromValue = (v: FormDataEntryValue | null): Vote => (v === "up" ? 1 : v === "down" ? -1 : 0);

/**
 * Up/down voting. Works as a plain form without JavaScript; with it, the
 * vote goes through a fetcher and the score updates at once (optimistic),
 * settling on the server's answer.
 */
export function VoteControl({ ideaId, title, score, myVote, open, returnTo, size = "sm" }: VoteControlProps) {
  const fetcher = useFetcher<{ score?: number; value?: Vote; fieldErrors?: Record<string, string> }>({ key: `vote-${ideaId}` });
  const allowDown = useRootData()?.allowDownVotes ?? true;
  const hydrated = useHydrated();
  const pending = fetcher.formData ? fromValue(fetcher.formData.get("value")) : null;
  const vote: Vote = pending ?? myVote;
  const shownScore = pending !== null ? score - myVote + pending : score;
  const label = `${shownScore} ${Math.abs(shownScore) === 1 ? "vote" : "votes"}`;

  return (
    <fetcher.Form method="post" action={`/ideas/${ideaId}`} className={`vote vote-${size}`} preventScrollReset>
      <input type="hidden" name="intent" value="vote" />
      {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
      <button
        type="submit"
        name="value"
        value={vote === 1 ? "none" : "up"}
        className="vote-button vote-up"
        aria-pressed={vote === 1}
        aria-label={`${vote === 1 ? "Remove your up-vote" : "Vote up"}: ${title}`}
        disabled={!open}
      >
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 4l6 8H4z" /></svg>
      </button>
      <span className="vote-score" aria-live="polite">
        <span aria-hidden="true">{shownScore}</span>
        <span className="visually-hidden">{label}</span>
      </span>
      {allowDown || vote === -1 ? <button
        type="submit"
        name="value"
        value={vote === -1 ? "none" : "down"}
        className="vote-button vote-down"
        aria-pressed={vote === -1}
        aria-label={`${vote === -1 ? "Remove your down-vote" : "Vote down"}: ${title}`}
        disabled={!open}
      >
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 16l6-8H4z" /></svg>
      </button> : null}
      {fetcher.state === "idle" && fetcher.data?.fieldErrors?.form ? (
        <p className="vote-error" role="alert">{fetcher.data.fieldErrors.form}</p>
      ) : null}
    </fetcher.Form>
  );
}

