import type { LoaderFunctionArgs } from "@remix-run/node";
import { isProduction } from "../lib/env.server";
import { getMailboxMessage } from "../models/mail/mail.server";

/** The HTML part as a mail client would show it: no scripts, nothing loaded from elsewhere. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  if (isProduction()) throw new Response("Not found", { status: 404 });
  const mail = await getMailboxMessage(context.db, params.mailId ?? "");
  if (!mail) throw new Response("That mail does not exist.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(mail.html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
    },
  });
}
