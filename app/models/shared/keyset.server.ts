import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import { decodeCursor, encodeCursor, type KeyType, type Page } from "./keyset";

export interface KeysetSpec {
  /** The sort key (an SQL expression and its type), or null to page by the id alone. */
  key: { expr: RawBuilder<unknown>; type: KeyType } | null;
  /** The unique tie-breaker column, e.g. "ideas.id". */
  id: string;
  idType?: "int" | "bigint";
  direction: "asc" | "desc";
  /** The cursor from the previous page's last row, if any. */
  cursor?: string | null;
  limit: number;
}

/**
 * One page of a keyset-paginated query: rows after the cursor in (key, id)
 * order, and the cursor of the next page. The query's own WHERE clauses must
 * be served by an index on (filters..., key, id) for this to stay flat as the
 * table grows. The one paginator every list uses.
 */
export async function keysetPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  spec: KeysetSpec,
): Promise<Page<O>> {
  const idType = spec.idType ?? "int";
  const cursor = spec.cursor ? decodeCursor(spec.cursor, spec.key?.type ?? null, idType) : null;
  const id = sql.ref(spec.id);
  const before = spec.direction === "desc" ? sql.raw("<") : sql.raw(">");
  const keyText = spec.key
    ? spec.key.type === "timestamptz"
      ? sql<string>`to_char((${spec.key.expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
      : sql<string>`(${spec.key.expr})::text`
    : null;

  let q = query as unknown as SelectQueryBuilder<any, any, any>;
  q = q.select(sql<number>`${id}`.as("_keyset_id"));
  if (keyText) q = q.select(keyText.as("_keyset_key"));
  if (cursor) {
    const idParam = sql`${cursor.id}::${sql.raw(idType === "int" ? "int" : "bigint")}`;
    q = spec.key
      ? q.where(sql<boolean>`(${spec.key.expr}, ${id}) ${before} (${cursor.key}::${sql.raw(spec.key.type)}, ${idParam})`)
      : q.where(sql<boolean>`${id} ${before} ${idParam}`);
  }
  if (spec.key) q = q.orderBy(spec.key.expr, spec.direction);
  q = q.orderBy(id, spec.direction).limit(spec.limit + 1);

  const rows = (await q.execute()) as (O & { _keyset_id: number | string; _keyset_key?: string })[];
  const more = rows.length > spec.limit;
  const page = more ? rows.slice(0, spec.limit) : rows;
  const last = page[page.length - 1];
  const items = page.map(({ _keyset_id: _id, _keyset_key: _key, ...row }) => row as O);
  return {
    items,
    nextCursor: more && last ? encodeCursor({ key: last._keyset_key ?? null, id: Number(last._keyset_id) }) : null,
  };
}
