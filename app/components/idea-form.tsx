import { Form, useNavigation } from "@remix-run/react";
import type { FieldErrors } from "../models/validation";
import { IDEA_BODY_MAX, IDEA_TITLE_MAX, IDEA_TITLE_MIN } from "../models/idea";
import { Field, FormMessage, Prose, TextArea, useFocusFirstError } from "./ui";

interface IdeaFormProps {
  categories: { slug: string; name: string; description: string }[];
  values: { title?: string; body?: string; category?: string };
  errors?: FieldErrors;
  preview?: string | null;
  submitLabel: string;
}

/**
 * The idea form, shared by posting and editing. "Preview" is a real submit
 * button (intent=preview), so previewing works without JavaScript too.
 */
export function IdeaForm({ categories, values, errors, preview, submitLabel }: IdeaFormProps) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const formRef = useFocusFirstError(errors);
  return (
    <Form method="post" className="idea-form" ref={formRef} noValidate>
      <FormMessage message={errors?.form} />
      <Field
        label="Title"
        name="title"
        defaultValue={values.title}
        error={errors?.title}
        hint={`A short summary of your idea (${IDEA_TITLE_MIN}–${IDEA_TITLE_MAX} characters).`}
        required
        minLength={IDEA_TITLE_MIN}
        maxLength={IDEA_TITLE_MAX}
        autoComplete="off"
      />
      <div className="field">
        <label htmlFor="field-category">Category</label>
        <select
          id="field-category"
          name="category"
          defaultValue={values.category ?? ""}
          aria-invalid={errors?.category ? true : undefined}
          aria-describedby={errors?.category ? "field-category-error" : undefined}
          required
        >
          <option value="" disabled>Choose a category</option>
          {categories.map((c) => (
            <option key={c.slug} value={c.slug}>{c.name}</option>
          ))}
        </select>
        {errors?.category ? <p className="field-error" id="field-category-error">{errors.category}</p> : null}
      </div>
      <TextArea
        label="Description"
        name="body"
        rows={8}
        defaultValue={values.body}
        error={errors?.body}
        hint="Why would it help you? Markdown works: **bold**, _italic_, lists, links."
        maxLength={IDEA_BODY_MAX}
      />
      {preview !== undefined && preview !== null ? (
        <section className="preview" aria-label="Preview">
          <h2 className="preview-label">Preview</h2>
          {preview ? <Prose html={preview} /> : <p className="muted">Nothing to preview yet.</p>}
        </section>
      ) : null}
      <div className="form-actions">
        <button type="submit" name="intent" value="save" className="button button-primary" disabled={busy}>
          {busy && navigation.formData?.get("intent") === "save" ? "Saving…" : submitLabel}
        </button>
        <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
          Preview
        </button>
      </div>
    </Form>
  );
}
