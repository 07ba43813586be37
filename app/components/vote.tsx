import { useFetcher } from "@remix-run/react";
import { useRootData } from "./root-data";
import { useHydrated } from "./ui";

type Vote = -1 | 0 | 1;

interface VoteControlProps {
  ideaId: number;
  /** The id of the element holding the idea's title: each button's name ends with it ("Vote up: …"). */
  titleId: string;
  score: number;
  myVote: Vote;
  open: boolean;
  /** Where to come back to when the form posts without JavaScript. */
  returnTo: string;
  size?: "sm" | "lg";
}

const fromValue = (v: FormDataEntryValue | null): Vote => (v === "up" ? 1 : v === "down" ? -1 : 0);

/**
 * The hidden words every vote button's name starts with, rendered once per page (the root layout):
 * a button's accessible name is "Vote up: <the idea's title>" through aria-labelledby, without
 * repeating the title in every button's markup.
 */
export function VoteLabels() {
  return (
    <div hidden>
      <span id="l-up">Vote up:</span>
      <span id="l-unup">Remove your up-vote:</span>
      <span id="l-down">Vote down:</span>
      <span id="l-undown">Remove your down-vote:</span>
    </div>
  );
}

/**
 * Up/down voting. Works as a plain form without JavaScript; with it, the
 * vote goes through a fetcher and the score updates at once (optimistic),
 * settling on the server's answer.
 */
export function VoteControl({ ideaId, titleId, score, myVote, open, returnTo, size = "sm" }: VoteControlProps) {
  const fetcher = useFetcher<{ score?: number; value?: Vote; fieldErrors?: Record<string, string> }>({ key: `vote-${ideaId}` });
  const allowDown = useRootData()?.allowDownVotes ?? true;
  const hydrated = useHydrated();
  const pending = fetcher.formData ? fromValue(fetcher.formData.get("value")) : null;
  const vote: Vote = pending ?? myVote;
  const shownScore = pending !== null ? score - myVote + pending : score;

  return (
    <fetcher.Form method="post" action={`/ideas/${ideaId}`} className={size === "lg" ? "vote vote-lg" : "vote"} preventScrollReset>
      <input type="hidden" name="intent" value="vote" />
      {hydrated ? null : <input type="hidden" name="returnTo" value={returnTo} />}
      <button name="value" value={vote === 1 ? "none" : "up"} className="vote-button vote-up"
        aria-pressed={vote === 1} aria-labelledby={`${vote === 1 ? "l-unup" : "l-up"} ${titleId}`} disabled={!open} />
      <span className="vote-score" aria-live="polite">
        <span className="n">{shownScore}</span><span className="visually-hidden">{Math.abs(shownScore) === 1 ? " vote" : " votes"}</span>
      </span>
      {allowDown || vote === -1 ? (
        <button name="value" value={vote === -1 ? "none" : "down"} className="vote-button vote-down"
          aria-pressed={vote === -1} aria-labelledby={`${vote === -1 ? "l-undown" : "l-down"} ${titleId}`} disabled={!open} />
      ) : null}
      {fetcher.state === "idle" && fetcher.data?.fieldErrors?.form ? (
        <p className="vote-error" role="alert">{fetcher.data.fieldErrors.form}</p>
      ) : null}
    </fetcher.Form>
  );
}
