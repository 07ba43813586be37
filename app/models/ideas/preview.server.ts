import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";
import { applyActionLimit } from "../moderation/limits.server";
import { assertCan, type Actor } from "../policy";
import { DomainError } from "../shared/errors";
import { IDEA_BODY_MAX } from "./idea";

/**
 * Renders a member's Markdown for a preview: no longer than what could be
 * posted, and limited per member like posts, since rendering costs the server
 * more than any other request a member can make. Nothing is stored.
 */
export async function previewMarkdown(db: DB, actor: Actor | null, body: FormDataEntryValue | null): Promise<string> {
  const text = typeof body === "string" ? body.replace(/\r\n?/g, "\n") : "";
  if (text.length > IDEA_BODY_MAX) {
    throw new DomainError(413, `A description can be at most ${IDEA_BODY_MAX.toLocaleString("en")} characters, so the preview stops there too.`, "body");
  }
  await db.transaction().execute(async (trx) => {
    assertCan(actor, "content.preview", null);
    await applyActionLimit(trx, actor, "preview");
  });
  return renderMarkdown(text);
}
