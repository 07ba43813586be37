import type { Role } from "../../db/schema";
import { resolveSession, startSession, type CurrentMember } from "../../app/lib/auth.server";
import type { DB } from "../../app/lib/db.server";
import { postIdea } from "../../app/models/ideas/ideas.server";
import { loadActor, signUp } from "../../app/models/members/members.server";
import type { Actor } from "../../app/models/policy";

let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const PASSWORD = "correct horse battery staple";

export type TestMember = Actor & { handle: string; email: string };

/** A member with a known password, usable as the actor of any command. */
export async function makeMember(
  db: DB,
  options: { role?: Role; displayName?: string; email?: string; createdAt?: Date; emailVerified?: boolean } = {},
): Promise<TestMember> {
  const id = next();
  const email = options.email ?? `member-${id}@example.test`;
  const member = await signUp(db, {
    displayName: options.displayName ?? `Member ${id}`,
    email,
    password: PASSWORD,
    role: options.role ?? "member",
    createdAt: options.createdAt,
    emailVerified: options.emailVerified ?? true,
  });
  return { ...(await loadActor(db, member.id)), handle: member.handle, email };
}

/** The member as commands see them now (after a suspension or a role change in the test). */
export async function actorFor(db: DB, memberId: number): Promise<Actor> {
  return loadActor(db, memberId);
}

export async function ensureCategory(db: DB, slug = "general", name = "General") {
  await db.insertInto("categories").values({ slug, name }).onConflict((oc) => oc.column("slug").doNothing()).execute();
  return slug;
}

export async function makeIdea(
  db: DB,
  author: Actor,
  options: { title?: string; body?: string; category?: string; createdAt?: Date } = {},
) {
  const category = options.category ?? (await ensureCategory(db));
  return postIdea(
    db,
    author,
    { title: options.title ?? `An idea worth voting for ${next()}`, body: options.body ?? "Because it would help.", category },
    { at: options.createdAt },
  );
}

/** The member as a request's context sees them: resolved through a real session, like the server does. */
export async function currentMember(db: DB, memberId: number): Promise<CurrentMember> {
  const cookie = (await startSession(db, memberId)).split(";")[0]!;
  const { member } = await resolveSession(db, cookie);
  if (!member) throw new Error(`no session for member ${memberId}`);
  return member;
}

/** A member whose account is `days` old and who has posted `posts` comments on the given idea. */
export async function agedMember(db: DB, input: { days: number; posts: number; ideaId: number; displayName?: string }) {
  const m = await makeMember(db, input.displayName ? { displayName: input.displayName } : {});
  await db.updateTable("members").set({ created_at: new Date(Date.now() - input.days * 86_400_000) }).where("id", "=", m.id).execute();
  if (input.posts > 0) {
    await db
      .insertInto("comments")
      .values(Array.from({ length: input.posts }, (_, i) => ({ idea_id: input.ideaId, author_id: m.id, body: `Regular post ${i}`, body_html: `<p>Regular post ${i}</p>` })))
      .execute();
  }
  return { ...m, createdAt: new Date(Date.now() - input.days * 86_400_000) };
}
