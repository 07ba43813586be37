import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { IdeaStatus } from "../../db/schema";
import type { FieldErrors } from "../models/shared/validation";
import { IDEA_BODY_MAX, IDEA_TITLE_MAX, IDEA_TITLE_MIN, STATUS_LABELS, ideaPath } from "../models/ideas/idea";
import { plural } from "../models/shared/format";
import { Field, FormMessage, Prose, TextArea, useFocusFirstError, useHydrated } from "./ui";
import { useT } from "../i18n";

export interface SimilarIdea {
  id: number;
  title: string;
  status: string;
  score: number;
  comment_count: number;
}

function SimilarList({ ideas, heading }: { ideas: SimilarIdea[]; heading: string }) {
  const t = useT();
  return (
    <section className="similar" aria-live="polite" aria-labelledby="similar-heading">
      <h2 id="similar-heading">{heading}</h2>
      <p className="muted">{t("If one of these is your idea, vote for it instead: votes in one place count for more.")}</p>
      <ul>
        {ideas.map((idea) => (
          <li key={idea.id}>
            <Link to={ideaPath(idea)} target="_blank" rel="noopener">{idea.title}</Link>{" "}
            <span className="muted">
              {STATUS_LABELS[idea.status as IdeaStatus]} · {plural(idea.score, "vote")} · {plural(idea.comment_count, "comment")}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Looks up similar ideas while the title is typed (debounced). A plain fetch of the JSON
 * endpoint, not a Remix fetcher: it is not navigation data, and a fetcher's load of a
 * resource route racing a form's revalidation could surface as the page's error.
 */
function useSimilarIdeas(enabled: boolean) {
  const [similar, setSimilar] = useState<SimilarIdea[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const inFlight = useRef<AbortController>();
  const last = useRef("");
  useEffect(() => () => {
    clearTimeout(timer.current);
    inFlight.current?.abort();
  }, []);
  const onTitleInput = (value: string) => {
    if (!enabled) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const title = value.trim();
      if (title.length < 4 || title === last.current) return;
      last.current = title;
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      fetch(`/ideas/similar?title=${encodeURIComponent(title)}`, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then((res) => (res.ok ? (res.json() as Promise<{ ideas: SimilarIdea[] }>) : { ideas: [] }))
        .then((data) => setSimilar(data.ideas))
        // Offline, aborted or refused: suggestions are a help, not a requirement.
        .catch(() => undefined);
    }, 250);
  };
  return { similar, onTitleInput };
}

interface IdeaFormProps {
  categories: { slug: string; name: string; description: string }[];
  values: { title?: string; body?: string; category?: string };
  errors?: FieldErrors;
  preview?: string | null;
  submitLabel: string;
  /** On a new idea: similar ideas live while typing, and the server's "is it one of these?" on submit. */
  checkSimilar?: boolean;
  similarOnSubmit?: SimilarIdea[];
}

/**
 * The idea form, shared by posting and editing. "Preview" is a real submit
 * button (intent=preview), so previewing works without JavaScript too.
 */
export function IdeaForm({ categories, values, errors, preview, submitLabel, checkSimilar = false, similarOnSubmit }: IdeaFormProps) {
  const t = useT();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const { similar, onTitleInput } = useSimilarIdeas(checkSimilar);
  const busy = navigation.state === "submitting";
  const formRef = useFocusFirstError(errors);
  return (
    <Form method="post" className="idea-form" ref={formRef} noValidate>
      <FormMessage message={errors?.form} />
      <Field
        label={t("Title")}
        name="title"
        defaultValue={values.title}
        error={errors?.title}
        hint={`A short summary of your idea (${IDEA_TITLE_MIN}–${IDEA_TITLE_MAX} characters).`}
        required
        minLength={IDEA_TITLE_MIN}
        maxLength={IDEA_TITLE_MAX}
        autoComplete="off"
        onChange={(e) => onTitleInput(e.currentTarget.value)}
      />
      {similarOnSubmit?.length ? (
        <SimilarList ideas={similarOnSubmit} heading={t("Is it one of these?")} />
      ) : similar.length ? (
        <SimilarList ideas={similar} heading={t("Similar ideas")} />
      ) : null}
      {checkSimilar && (hydrated || similarOnSubmit?.length) ? <input type="hidden" name="confirmed" value="1" /> : null}
      <div className="field">
        <label htmlFor="field-category">{t("Category")}</label>
        <select
          id="field-category"
          name="category"
          defaultValue={values.category ?? ""}
          aria-invalid={errors?.category ? true : undefined}
          aria-describedby={errors?.category ? "field-category-error" : undefined}
          required
        >
          <option value="" disabled>{t("Choose a category")}</option>
          {categories.map((c) => (
            <option key={c.slug} value={c.slug}>{c.name}</option>
          ))}
        </select>
        {errors?.category ? <p className="field-error" id="field-category-error">{errors.category}</p> : null}
      </div>
      <TextArea
        label={t("Description")}
        name="body"
        rows={8}
        defaultValue={values.body}
        error={errors?.body}
        hint={t("Why would it help you? Markdown works: **bold**, _italic_, lists, links.")}
        maxLength={IDEA_BODY_MAX}
      />
      {preview !== undefined && preview !== null ? (
        <section className="preview" aria-label={t("Preview")}>
          <h2 className="preview-label">{t("Preview")}</h2>
          {preview ? <Prose html={preview} /> : <p className="muted">{t("Nothing to preview yet.")}</p>}
        </section>
      ) : null}
      <div className="form-actions">
        <button type="submit" name="intent" value="save" className="button button-primary" disabled={busy}>
          {busy && navigation.formData?.get("intent") === "save" ? "Saving…" : similarOnSubmit?.length ? "Post mine anyway" : submitLabel}
        </button>
        <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
          Preview
        </button>
      </div>
    </Form>
  );
}
