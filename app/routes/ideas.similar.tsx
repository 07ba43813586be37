import type { LoaderFunctionArgs } from "@remix-run/node";
import { findSimilarIdeas } from "../models/pipeline/merges.server";

/** GET /ideas/similar?title=…: ideas resembling a title being typed (JSON, for the new-idea form). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const title = (new URL(request.url).searchParams.get("title") ?? "").slice(0, 200);
  const ideas = await findSimilarIdeas(context.db, { text: title, limit: 5 }, { signal: request.signal });
  return Response.json(
    { ideas: ideas.map((i) => ({ id: i.id, title: i.title, status: i.status, score: i.score, comment_count: i.comment_count })) },
    { headers: { "Cache-Control": "private, max-age=30" } },
  );
}
