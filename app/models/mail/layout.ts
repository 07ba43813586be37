import { escapeHtml } from "../../lib/escape-html";

/**
 * The one layout of every mail: the site's name, a heading, paragraphs, an
 * optional button, and a footer saying why the member got it with a link to
 * their preferences. Everything is plain text in, escaped on the way out.
 */
export const SITE_NAME = "Harbor Ideas";

export interface MailContent {
  subject: string;
  heading: string;
  paragraphs: string[];
  /** The main link (the idea, the reset page, …). */
  action?: { label: string; url: string };
  /** Why the member gets it (see WHY_PHRASES). */
  why: string;
  preferencesUrl: string;
  /** A one-click unsubscribe link for this kind, when it has one. */
  unsubscribeUrl?: string;
  /** The site's branding (admin settings): its name and accent colour (a #rrggbb checked by the settings). */
  brand?: { siteName: string; accent: string };
}


// Subjects are one line: a member's title with a newline must not add a header.
export const oneLine = (s: string, max = 180) => {
  const line = s.replace(/[\r\n\t\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

export function renderMail(content: MailContent): { subject: string; text: string; html: string } {
  const siteName = content.brand?.siteName ?? SITE_NAME;
  const accent = /^#[0-9a-fA-F]{6}$/.test(content.brand?.accent ?? "") ? content.brand!.accent : "${accent}";
  const text = [
    siteName,
    "",
    content.heading,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    "--",
    content.why,
    `Your e-mail preferences: ${content.preferencesUrl}`,
    ...(content.unsubscribeUrl ? [`Unsubscribe from this kind of mail: ${content.unsubscribeUrl}`] : []),
    "",
  ].join("\n");

  const p = (s: string) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(s)}</p>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(oneLine(content.subject))}</title></head>
<body style="margin:0;padding:0;background:#f6f3ee;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2328">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px">
<tr><td style="padding:20px 24px;border-bottom:1px solid #e6e1d8;font-weight:700;font-size:18px;color:${accent}">${escapeHtml(siteName)}</td></tr>
<tr><td style="padding:24px">
<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${escapeHtml(content.heading)}</h1>
${content.paragraphs.map(p).join("\n")}
${content.action ? `<p style="margin:24px 0"><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:${accent};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:6px;font-weight:600">${escapeHtml(content.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#555">Or open this link: <a href="${escapeHtml(content.action.url)}" style="color:${accent}">${escapeHtml(content.action.url)}</a></p>` : ""}
</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #e6e1d8;font-size:13px;color:#555;line-height:1.5">
${escapeHtml(content.why)}<br>
<a href="${escapeHtml(content.preferencesUrl)}" style="color:${accent}">Your e-mail preferences</a>${content.unsubscribeUrl ? ` · <a href="${escapeHtml(content.unsubscribeUrl)}" style="color:${accent}">Unsubscribe from this kind of mail</a>` : ""}
</td></tr>
</table></td></tr></table>
</body></html>
`;
  return { subject: oneLine(content.subject), text, html };
}
