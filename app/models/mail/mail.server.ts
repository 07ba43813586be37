import { sql } from "kysely";
import { getBranding } from "../settings/settings.server";
import type { MailChoice, MailState } from "../../../db/schema";
import type { DB } from "../../lib/db.server";
import { mailConfig, mailTransportKind, sendBySmtp } from "../../lib/mail.server";
import { jobQueue } from "../../lib/queue.server";
import { keysetPage } from "../shared/keyset.server";
import { DEFAULT_CHOICES, WHY_PHRASES, type PreferenceKind } from "./kinds";
import { renderMail, type MailContent } from "./layout";
import { unsubscribeToken } from "./tokens.server";

/**
 * The mail channel. Every mail is a row of `mail_deliveries`, keyed (what x
 * who x why) so a retried job, a replayed event or a double click never mails
 * twice, and is sent by the `send-mail` job after the change commits. See
 * docs/decisions/014-email.md.
 */

export const SEND_MAIL_JOB = "send-mail";

/** A link on this site, absolute (mail is read elsewhere). */
export const siteLink = (path: string) => `${mailConfig().siteUrl}${path}`;

export interface NewDelivery {
  /** Unique across all mail: e.g. `notify:<event>:<member>`, `reset:<token id>`. */
  key: string;
  kind: string;
  memberId: number | null;
  eventId?: string | null;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/**
 * Records deliveries and enqueues the job that sends them, in the caller's
 * transaction: nothing goes out unless the change commits. A key already
 * used is skipped. Returns how many were new.
 */
export async function queueDeliveries(trx: DB, deliveries: NewDelivery[], options: { chunk?: number } = {}): Promise<number> {
  if (!deliveries.length) return 0;
  const ids: string[] = [];
  for (let i = 0; i < deliveries.length; i += 500) {
    const rows = await trx
      .insertInto("mail_deliveries")
      .values(
        deliveries.slice(i, i + 500).map((d) => ({
          key: d.key,
          kind: d.kind,
          member_id: d.memberId,
          event_id: d.eventId ?? null,
          to_address: d.to,
          subject: d.subject,
          text_body: d.text,
          html_body: d.html,
          headers: JSON.stringify(d.headers ?? {}),
        })),
      )
      .onConflict((oc) => oc.column("key").doNothing())
      .returning("id")
      .execute();
    ids.push(...rows.map((r) => String(r.id)));
  }
  const chunk = options.chunk ?? 25;
  for (let i = 0; i < ids.length; i += chunk) {
    await jobQueue().enqueue(trx, SEND_MAIL_JOB, { ids: ids.slice(i, i + chunk) });
  }
  return ids.length;
}

/** A member's choice for a kind (their row, or the kind's default). */
export async function choiceFor(db: DB, memberId: number, kind: PreferenceKind): Promise<MailChoice> {
  const row = await db.selectFrom("mail_preferences").select("choice").where("member_id", "=", memberId).where("kind", "=", kind).executeTakeFirst();
  return row?.choice ?? DEFAULT_CHOICES[kind];
}

/** The headers and footer links of a mail of a preference kind (RFC 8058 one-click unsubscribe). */
export function unsubscribeParts(token: string) {
  const url = siteLink(`/unsubscribe/${token}`);
  return {
    url,
    headers: { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

/**
 * Sends a member a mail of a preference kind, if they want it: a verified
 * address, not deleted, and "e-mail at once" chosen for the kind. The way any
 * feature mails a member from a reactor or a job (e.g. a monthly impact mail):
 *
 *   await mailMember(trx, { memberId, kind: "idea_update", key: `impact:2026-12:${memberId}`, content });
 *
 * `content` is the mail's words (see MailContent; the footer, preferences and
 * unsubscribe links are added here). Runs in the caller's transaction.
 * Returns whether a mail was queued.
 */
export async function mailMember(
  trx: DB,
  input: { memberId: number; kind: PreferenceKind; key: string; eventId?: string | null; content: MemberMailContent },
): Promise<boolean> {
  const queued = await mailMembers(trx, { memberIds: [input.memberId], kind: input.kind, key: () => input.key, eventId: input.eventId, content: input.content });
  return queued > 0;
}

type MemberMailContent = Omit<MailContent, "why" | "preferencesUrl" | "unsubscribeUrl"> & { why?: string };

/**
 * The same mail to many members at once (a cohort message, a batch of a fan-out): one
 * query for who wants it, then the deliveries queued together, several per send job, so a
 * thousand recipients are a few dozen jobs rather than a thousand in the queue.
 */
export async function mailMembers(
  trx: DB,
  input: { memberIds: number[]; kind: PreferenceKind; key: (memberId: number) => string; eventId?: string | null; content: MemberMailContent },
): Promise<number> {
  if (!input.memberIds.length) return 0;
  const members = await trx
    .selectFrom("members")
    .leftJoin("mail_preferences as pref", (join) => join.onRef("pref.member_id", "=", "members.id").on("pref.kind", "=", input.kind))
    .select(["members.id", "members.email", "members.email_verified_at", "pref.choice"])
    .where("members.id", "in", input.memberIds)
    .where("members.deleted_at", "is", null)
    .execute();
  const wanting = members.filter((m) => m.email_verified_at && (m.choice ?? DEFAULT_CHOICES[input.kind]) === "email");
  if (!wanting.length) return 0;
  const brand = await mailBrand(trx);
  const deliveries: NewDelivery[] = [];
  for (const m of wanting) {
    const unsubscribe = unsubscribeParts(await unsubscribeToken(trx, m.id, input.kind));
    const mail = renderMail({
      brand,
      ...input.content,
      why: input.content.why ?? WHY_PHRASES[input.kind],
      preferencesUrl: siteLink("/account#preferences"),
      unsubscribeUrl: unsubscribe.url,
    });
    deliveries.push({ key: input.key(m.id), kind: input.kind, memberId: m.id, eventId: input.eventId, to: m.email, ...mail, headers: unsubscribe.headers });
  }
  return queueDeliveries(trx, deliveries);
}

/** The site's name and accent colour for a mail (Settings → Branding). */
export async function mailBrand(db: DB): Promise<{ siteName: string; accent: string }> {
  const brand = await getBranding(db);
  return { siteName: brand.siteName, accent: brand.accentStrong };
}

/** Account mail (verification, password reset): always sent, to the given address, never unsubscribable. */
export async function mailAccount(
  trx: DB,
  input: { memberId: number; kind: "verify_email" | "reset_password" | "email_changed" | "sign_up_exists"; key: string; to: string; content: Omit<MailContent, "why" | "preferencesUrl" | "unsubscribeUrl"> },
): Promise<void> {
  const mail = renderMail({ brand: await mailBrand(trx), ...input.content, why: WHY_PHRASES.account, preferencesUrl: siteLink("/account") });
  await queueDeliveries(trx, [{ key: input.key, kind: input.kind, memberId: input.memberId, to: input.to, ...mail }]);
}

const SEND_PARALLEL = 4;

const clip = (s: string, max = 500) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The `send-mail` job: sends each delivery not yet sent. A failure is kept on
 * the row (state failed, the SMTP answer) and the job throws, so pg-boss
 * retries it with backoff; what was sent before the failure is not sent again.
 */
export async function sendDeliveries(db: DB, ids: string[]): Promise<{ sent: number; failed: number }> {
  const config = mailConfig();
  const transport = mailTransportKind(config);
  const rows = await db
    .selectFrom("mail_deliveries")
    .select(["id", "to_address", "subject", "text_body", "html_body", "headers"])
    .where("id", "in", ids.length ? ids : ["0"])
    .where("state", "!=", "sent")
    .orderBy("id")
    .execute();
  let sent = 0;
  let failed = 0;
  let lastError = "";
  const sendOne = async (row: (typeof rows)[number]) => {
    if (transport === "mailbox") {
      await db
        .updateTable("mail_deliveries")
        .set({ state: "sent", transport, smtp_response: "kept in the development mailbox", sent_at: new Date(), updated_at: new Date(), attempts: sql`attempts + 1` })
        .where("id", "=", row.id)
        .execute();
      sent++;
      return;
    }
    if (transport === "none") {
      await db
        .updateTable("mail_deliveries")
        .set({ state: "failed", transport, smtp_response: "not sent: no SMTP_URL is configured", updated_at: new Date(), attempts: sql`attempts + 1` })
        .where("id", "=", row.id)
        .execute();
      failed++;
      return;
    }
    try {
      const result = await sendBySmtp(
        { to: row.to_address, subject: row.subject, text: row.text_body ?? "", html: row.html_body ?? "", headers: row.headers ?? {} },
        config,
      );
      // The body (which may hold a sign-in link) is not kept once it has left.
      await db
        .updateTable("mail_deliveries")
        .set({ state: "sent", transport, smtp_response: clip(result.response), sent_at: new Date(), updated_at: new Date(), text_body: null, html_body: null, attempts: sql`attempts + 1` })
        .where("id", "=", row.id)
        .execute();
      sent++;
    } catch (error) {
      const e = error as { response?: string; message?: string };
      lastError = clip(e.response ?? e.message ?? String(error));
      await db
        .updateTable("mail_deliveries")
        .set({ state: "failed", transport, smtp_response: lastError, updated_at: new Date(), attempts: sql`attempts + 1` })
        .where("id", "=", row.id)
        .execute();
      failed++;
    }
  };
  // A few at once over the pooled SMTP connections.
  for (let i = 0; i < rows.length; i += SEND_PARALLEL) await Promise.all(rows.slice(i, i + SEND_PARALLEL).map(sendOne));
  if (failed && transport === "smtp") throw new Error(`${failed} of ${rows.length} mail(s) not sent: ${lastError}`);
  return { sent, failed };
}

export const DELIVERIES_PAGE = 50;

/** Recent deliveries for admins, newest first, optionally by state; keyset-paginated. */
export async function listDeliveries(db: DB, options: { state?: MailState | null; cursor?: string | null }) {
  let q = db
    .selectFrom("mail_deliveries")
    .leftJoin("members", "members.id", "mail_deliveries.member_id")
    .select([
      "mail_deliveries.id", "mail_deliveries.kind", "mail_deliveries.to_address", "mail_deliveries.subject",
      "mail_deliveries.state", "mail_deliveries.attempts", "mail_deliveries.transport", "mail_deliveries.smtp_response",
      "mail_deliveries.created_at", "mail_deliveries.sent_at", "members.handle", "members.display_name",
    ]);
  if (options.state) q = q.where("mail_deliveries.state", "=", options.state);
  const page = await keysetPage(q, { key: null, id: "mail_deliveries.id", idType: "bigint", direction: "desc", cursor: options.cursor, limit: DELIVERIES_PAGE });
  return {
    items: page.items.map((d) => ({
      id: String(d.id),
      kind: d.kind,
      to: d.to_address,
      subject: d.subject,
      state: d.state,
      attempts: d.attempts,
      transport: d.transport,
      response: d.smtp_response,
      createdAt: new Date(d.created_at).toISOString(),
      sentAt: d.sent_at ? new Date(d.sent_at).toISOString() : null,
      member: d.handle ? { handle: d.handle, displayName: d.display_name! } : null,
    })),
    nextCursor: page.nextCursor,
  };
}

/** The development mailbox: every mail kept there, newest first. */
export async function listMailbox(db: DB, cursor?: string | null) {
  const q = db
    .selectFrom("mail_deliveries")
    .select(["id", "to_address", "subject", "kind", "created_at", "state"])
    .where("transport", "=", "mailbox");
  const page = await keysetPage(q, { key: null, id: "mail_deliveries.id", idType: "bigint", direction: "desc", cursor, limit: DELIVERIES_PAGE });
  return {
    items: page.items.map((m) => ({ id: String(m.id), to: m.to_address, subject: m.subject, kind: m.kind, createdAt: new Date(m.created_at).toISOString() })),
    nextCursor: page.nextCursor,
  };
}

/** One mail of the development mailbox, with both parts and its headers. */
export async function getMailboxMessage(db: DB, id: string) {
  if (!/^\d{1,18}$/.test(id)) return null;
  const row = await db
    .selectFrom("mail_deliveries")
    .select(["id", "to_address", "subject", "kind", "created_at", "text_body", "html_body", "headers"])
    .where("id", "=", id)
    .where("transport", "=", "mailbox")
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: String(row.id),
    to: row.to_address,
    from: mailConfig().from,
    subject: row.subject,
    kind: row.kind,
    createdAt: new Date(row.created_at).toISOString(),
    text: row.text_body ?? "",
    html: row.html_body ?? "",
    headers: row.headers ?? {},
  };
}
