import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "../lib/auth.server";
import { redirectWithFlash } from "../lib/http.server";

export async function loader() {
  return redirect("/");
}

export async function action({ context }: ActionFunctionArgs) {
  const setCookie = await endSession(context.db, context.sessionId);
  return redirectWithFlash("/", "You are signed out.", { setCookie });
}
