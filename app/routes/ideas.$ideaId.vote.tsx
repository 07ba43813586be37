import type { ActionFunctionArgs } from "@remix-run/node";
import { parseForm } from "../models/shared/schemas.server";
import { DomainError } from "../models/shared/errors";
import { voteValue } from "../models/ideas/idea";
import { voteSchema } from "../models/ideas/schemas.server";
import { castVote } from "../models/votes/votes.server";
import { idParam, readForm } from "../lib/http.server";

/**
 * POST /ideas/:id/vote, the vote buttons' request when JavaScript runs: JSON in and out,
 * and no page data reloaded after it (a list of twenty ideas does not re-render for one
 * vote). Without JavaScript the same buttons post to the idea's page action, which goes
 * back to the page they were on. Both call castVote.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const answer = (status: number, body: Record<string, unknown>, headers?: HeadersInit) =>
    Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
  try {
    const ideaId = idParam(params.ideaId, "That idea");
    if (!context.member) return answer(401, { error: "Sign in to vote.", signIn: `/login?redirectTo=${encodeURIComponent(`/ideas/${ideaId}`)}` });
    const parsed = parseForm(voteSchema, await readForm(request));
    if (!parsed.ok) return answer(400, { error: Object.values(parsed.fieldErrors)[0] ?? "That vote is not valid." });
    const result = await castVote(context.db, context.member, { ideaId, value: voteValue(parsed.data.value) });
    return answer(200, { score: result.score, value: result.value });
  } catch (error) {
    if (error instanceof DomainError) {
      return answer(error.status, { error: error.message }, error.retryAfter ? { "Retry-After": String(error.retryAfter) } : undefined);
    }
    // idParam and readForm refuse with a thrown 4xx response.
    if (error instanceof Response) return answer(error.status, { error: "That vote is not valid." });
    const thrown = error as { type?: string; init?: { status?: number }; data?: { message?: string } };
    if (thrown?.type === "DataWithResponseInit" && thrown.init?.status && thrown.init.status < 500) {
      return answer(thrown.init.status, { error: thrown.data?.message ?? "That vote is not valid." });
    }
    throw error;
  }
}

export async function loader() {
  return new Response("Votes are posted.", { status: 405, headers: { Allow: "POST", "Content-Type": "text/plain" } });
}
