// The only module that imports nodemailer: how a finished message leaves the process.
import nodemailer, { type Transporter } from "nodemailer";
import { env, isProduction } from "./env.server";

/** A message ready to go: both parts, and any extra headers (List-Unsubscribe, …). */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/**
 * Where mail goes: an SMTP server; the development mailbox (kept in the
 * database, read at /dev/mailbox); or nowhere (production without SMTP_URL:
 * the delivery fails with that reason, and the server says so at start).
 */
export type MailTransportKind = "smtp" | "mailbox" | "none";

export interface MailConfig {
  smtpUrl: string | null;
  from: string;
  siteUrl: string;
  production: boolean;
}

let override: Partial<MailConfig> = {};
let transporter: { url: string; t: Transporter } | null = null;

/** The mail settings: the environment, unless a test or script set its own. */
export function mailConfig(): MailConfig {
  const e = env();
  return {
    smtpUrl: e.SMTP_URL ?? null,
    from: e.MAIL_FROM,
    siteUrl: (e.SITE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    production: isProduction(),
    ...override,
  };
}

/** Changes the mail settings of this process (tests point it at their own SMTP server); undefined goes back to the environment's. */
export function configureMail(settings: { [K in keyof MailConfig]?: MailConfig[K] | undefined }): void {
  const next: Record<string, unknown> = { ...override };
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  override = next as Partial<MailConfig>;
  transporter?.t.close();
  transporter = null;
}

export function mailTransportKind(config = mailConfig()): MailTransportKind {
  if (config.smtpUrl) return "smtp";
  return config.production ? "none" : "mailbox";
}

export interface SendResult {
  messageId: string;
  /** The SMTP server's answer ("250 OK: queued as …"). */
  response: string;
}

function withDefaults(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  const defaults = { pool: "true", maxConnections: "4", connectionTimeout: "10000", greetingTimeout: "10000", socketTimeout: "30000" };
  for (const [name, value] of Object.entries(defaults)) if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  return url.toString();
}

/** Hands a message to the SMTP server; throws with the server's answer when it refuses. */
export async function sendBySmtp(mail: OutgoingMail, config = mailConfig()): Promise<SendResult> {
  if (!config.smtpUrl) throw new Error("no SMTP_URL is configured");
  if (!transporter || transporter.url !== config.smtpUrl) {
    transporter?.t.close();
    transporter = {
      url: config.smtpUrl,
      // Pooled connections (nodemailer reads options from the URL's query).
      t: nodemailer.createTransport(withDefaults(config.smtpUrl)),
    };
  }
  const info = await transporter.t.sendMail({
    from: config.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers,
    textEncoding: "quoted-printable",
  });
  return { messageId: String(info.messageId ?? ""), response: String(info.response ?? "") };
}

/** Closes pooled SMTP connections (shutdown, the end of a test). */
export function closeMail(): void {
  transporter?.t.close();
  transporter = null;
}
