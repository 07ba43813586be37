import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { db, viewerId } from "../db.server";

export const meta: MetaFunction = () => [{ title: "Ideas" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await viewerId(request);
  const ideas = await db
    .selectFrom("ideas")
    .innerJoin("members", "members.id", "ideas.author_id")
    .leftJoin("votes", (join) => join.onRef("votes.idea_id", "=", "ideas.id").on("votes.member_id", "=", viewer ?? 0))
    .select(["ideas.id", "ideas.title", "ideas.score", "ideas.comment_count", "members.display_name as author", "votes.value as my_vote"])
    .where("ideas.moderation", "=", "visible")
    .where("ideas.status", "<>", "duplicate")
    .orderBy("ideas.trending", "desc")
    .orderBy("ideas.id", "desc")
    .limit(20)
    .execute();
  return { ideas, signedIn: viewer !== null };
}

export default function Index() {
  const { ideas, signedIn } = useLoaderData<typeof loader>();
  return (
    <main>
      <h1>Top ideas</h1>
      <p>{signedIn ? "Signed in." : "Sign in to vote."}</p>
      <ol>
        {ideas.map((idea) => (
          <li key={idea.id}>
            <Form method="post" action={`/ideas/${idea.id}`}>
              <input type="hidden" name="intent" value="vote" />
              <input type="hidden" name="returnTo" value="/" />
              <button type="submit" name="value" value={idea.my_vote === 1 ? "none" : "up"} aria-pressed={idea.my_vote === 1}>▲</button>
              <span>{idea.score}</span>
              <button type="submit" name="value" value={idea.my_vote === -1 ? "none" : "down"} aria-pressed={idea.my_vote === -1}>▼</button>
            </Form>
            <a href={`/ideas/${idea.id}`}>{idea.title}</a> by {idea.author} · {idea.comment_count} comments
          </li>
        ))}
      </ol>
    </main>
  );
}
