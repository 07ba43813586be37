import { sql } from "kysely";
import type { DB } from "../../app/lib/db.server";

/** `n` verified members who all follow the idea, inserted set-wise (for fan-out tests and the bench). */
export async function addFollowers(db: DB, ideaId: number, n: number, prefix = `f${Date.now().toString(36)}`): Promise<void> {
  await sql`
    with m as (
      insert into members (handle, display_name, email, password_hash, email_verified_at)
      select ${prefix} || '_' || g, 'Follower ' || g, ${prefix} || '.' || g || '@followers.test', null, now()
      from generate_series(1, ${n}::int) g
      returning id
    )
    insert into idea_follows (member_id, idea_id) select id, ${ideaId}::int from m`.execute(db);
}
