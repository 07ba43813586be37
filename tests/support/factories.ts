import type { Role } from "../../db/schema";
import type { DB } from "../../app/lib/db.server";
import { postIdea } from "../../app/models/ideas.server";
import { signUp } from "../../app/models/members.server";

let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const PASSWORD = "correct horse battery staple";

/** A member with a known password. */
export async function makeMember(db: DB, options: { role?: Role; displayName?: string; email?: string } = {}) {
  const id = next();
  const email = options.email ?? `member-${id}@example.test`;
  const member = await signUp(db, {
    displayName: options.displayName ?? `Member ${id}`,
    email,
    password: PASSWORD,
    role: options.role ?? "member",
  });
  return { ...member, email, role: options.role ?? ("member" as Role) };
}

export async function ensureCategory(db: DB, slug = "general", name = "General") {
  await db.insertInto("categories").values({ slug, name }).onConflict((oc) => oc.column("slug").doNothing()).execute();
  return slug;
}

export async function makeIdea(
  db: DB,
  authorId: number,
  options: { title?: string; body?: string; category?: string; createdAt?: Date } = {},
) {
  const category = options.category ?? (await ensureCategory(db));
  return postIdea(
    db,
    authorId,
    { title: options.title ?? `An idea worth voting for ${next()}`, body: options.body ?? "Because it would help.", category },
    options.createdAt,
  );
}
