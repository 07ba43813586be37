import { useRef, useState, type FormEvent } from "react";
import { useRootData } from "./root-data";
import { useT } from "../i18n";

type Vote = -1 | 0 | 1;

interface VoteControlProps {
  ideaId: number;
  /** The id of the element holding the idea's title: each button's name ends with it ("Vote up: …"). */
  titleId: string;
  score: number;
  myVote: Vote;
  open: boolean;
  size?: "sm" | "lg";
}

const fromValue = (v: FormDataEntryValue | null): Vote => (v === "up" ? 1 : v === "down" ? -1 : 0);

/**
 * The hidden words every vote button's name starts with, rendered once per page (the root layout):
 * a button's accessible name is "Vote up: <the idea's title>" through aria-labelledby, without
 * repeating the title in every button's markup.
 */
export function VoteLabels() {
  const t = useT();
  return (
    <div hidden>
      <span id="l-up">{t("Vote up:")}</span>
      <span id="l-unup">{t("Remove your up-vote:")}</span>
      <span id="l-down">{t("Vote down:")}</span>
      <span id="l-undown">{t("Remove your down-vote:")}</span>
    </div>
  );
}

/**
 * Up/down voting. A plain form without JavaScript (it posts to the idea's page, which
 * comes back to where the vote was cast); with it, the vote is posted to
 * /ideas/:id/vote and the score changes at once (optimistic), settling on the server's
 * answer, without reloading the page's data. No router hooks: a list renders twenty.
 */
export function VoteControl({ ideaId, titleId, score, myVote, open, size = "sm" }: VoteControlProps) {
  const root = useRootData();
  const t = useT();
  const allowDown = root?.allowDownVotes ?? true;
  const signedIn = !!root?.member;
  // What the page's data said, and what the member did since (kept only while that data stands).
  const basis = `${score}:${myVote}`;
  const [local, setLocal] = useState<{ basis: string; score: number; vote: Vote; error?: string } | null>(null);
  const latest = useRef(0);
  // Votes are sent one after another: two in flight at once could reach the database in either
  // order, and the score shown (the last click's answer) would not be what was stored.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const current = local && local.basis === basis ? local : null;
  const vote: Vote = current ? current.vote : myVote;
  const shownScore = current ? current.score : score;

  async function submit(event: FormEvent<HTMLFormElement>) {
    const button = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    // Signed out, the plain form post is the way: the idea's page sends them to sign in and back.
    if (!button || !signedIn || typeof fetch !== "function") return;
    event.preventDefault();
    const value = button.value;
    const next = fromValue(value);
    const before = { score: shownScore, vote };
    const ticket = ++latest.current;
    setLocal({ basis, score: before.score - before.vote + next, vote: next });
    let answer: { score?: number; value?: Vote; error?: string; signIn?: string } = {};
    let status = 0;
    const sent = queue.current.then(async () => {
      try {
        const res = await fetch(`/ideas/${ideaId}/vote`, {
          method: "POST",
          headers: { Accept: "application/json" },
          body: new URLSearchParams({ intent: "vote", value }),
        });
        status = res.status;
        answer = await res.json().catch(() => ({}));
      } catch {
        answer = { error: t("Your vote did not reach us. Check your connection and try again.") };
      }
    });
    queue.current = sent;
    await sent;
    if (ticket !== latest.current) return; // a later click has its own answer coming
    if (status === 401 && answer.signIn?.startsWith("/login?")) {
      // Signed out (or the session ended): sign in, then come back to the idea.
      window.location.assign(answer.signIn);
      return;
    }
    if (status === 200 && typeof answer.score === "number") {
      setLocal({ basis, score: answer.score, vote: (answer.value ?? next) as Vote });
    } else {
      setLocal({ basis, ...before, error: answer.error ? t(answer.error) : t("That vote did not count; please try again.") });
    }
  }

  return (
    <form method="post" action={`/ideas/${ideaId}`} className={size === "lg" ? "vote vote-lg" : "vote"} onSubmit={submit}>
      <input type="hidden" name="intent" value="vote" />
      <button name="value" value={vote === 1 ? "none" : "up"} className="vote-up"
        aria-pressed={vote === 1} aria-labelledby={`${vote === 1 ? "l-unup" : "l-up"} ${titleId}`} disabled={!open} />
      <span className="vote-score" aria-live="polite">
        <span className="n">{shownScore}</span><span className="visually-hidden">{Math.abs(shownScore) === 1 ? t(" vote") : t(" votes")}</span>
      </span>
      {allowDown || vote === -1 ? (
        <button name="value" value={vote === -1 ? "none" : "down"} className="vote-down"
          aria-pressed={vote === -1} aria-labelledby={`${vote === -1 ? "l-undown" : "l-down"} ${titleId}`} disabled={!open} />
      ) : null}
      {current?.error ? <p className="vote-error" role="alert">{current.error}</p> : null}
    </form>
  );
}
