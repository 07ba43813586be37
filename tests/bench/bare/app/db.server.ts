import { Kysely, PostgresDialect, type ColumnType } from "kysely";
import pg from "pg";

// Only the columns this app touches, of Groundswell's own tables (db/migrations).
interface Database {
  ideas: {
    id: ColumnType<number, never, never>;
    title: string;
    author_id: number;
    status: string;
    moderation: string;
    score: number;
    up_count: number;
    down_count: number;
    comment_count: number;
    trending: number;
    created_at: ColumnType<Date, never, never>;
  };
  members: { id: ColumnType<number, never, never>; display_name: string };
  votes: { idea_id: number; member_id: number; value: number; updated_at: ColumnType<Date, never, Date> };
  sessions: { id: string; member_id: number; expires_at: Date };
}

export const db = new Kysely<Database>({
  dialect: new PostgresDialect({
    pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
  }),
});

/** The signed-in member's id from the session cookie (Groundswell's `gs_session`, lucia ids in `sessions`). */
export async function viewerId(request: Request): Promise<number | null> {
  const match = /(?:^|;\s*)gs_session=([^;]+)/.exec(request.headers.get("Cookie") ?? "");
  if (!match?.[1]) return null;
  const session = await db
    .selectFrom("sessions")
    .select("member_id")
    .where("id", "=", match[1])
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
  return session?.member_id ?? null;
}
