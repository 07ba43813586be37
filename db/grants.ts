// The app role's rights, granted by the migrator (as the owner role) after every
// migration. Not a migration: the role's name belongs to the deployment, and a
// table added by any later migration (or a schema such as pg-boss's) must be
// covered without anyone remembering to. See docs/decisions/012-database-roles.md.
import { sql, type Kysely } from "kysely";

/** Every schema the app reads and writes. A new schema (e.g. `pgboss` for jobs) is added here. */
export const APP_SCHEMAS = ["public", "pgboss"];

/** History: the app may add rows and read them, never change or remove them. */
export const APPEND_ONLY_TABLES = ["public.events", "public.interactions", "public.interaction_ideas"];

/** The migrator's bookkeeping: the app reads it (to see nothing is pending) and never writes it. */
export const READ_ONLY_TABLES = ["public.kysely_migration", "public.kysely_migration_lock"];

// Grants of the same objects from two processes at once can fail with "tuple
// concurrently updated": every migrator takes this lock for the grants.
const GRANTS_LOCK = 4_212_012;

const table = (qualified: string) => {
  const [schema, name] = qualified.split(".") as [string, string];
  return sql`${sql.id(schema)}.${sql.id(name)}`;
};

/**
 * Grants `role` what the app needs and nothing more: USAGE on each schema,
 * SELECT/INSERT/UPDATE/DELETE on its tables, USAGE/SELECT on its sequences;
 * no TRUNCATE, REFERENCES or TRIGGER anywhere, no UPDATE/DELETE on the
 * append-only tables, read-only on the migrator's tables. Refuses a role that
 * could undo all this (a superuser, or a member of a table owner's role).
 * Idempotent; run by the owner role.
 */
export async function grantAppRole(db: Kysely<any>, role: string, schemas: string[] = APP_SCHEMAS): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${GRANTS_LOCK})`.execute(trx);
    const found = await sql<{ rolsuper: boolean; rolbypassrls: boolean }>`
      select rolsuper, rolbypassrls from pg_roles where rolname = ${role}`.execute(trx);
    const attributes = found.rows[0];
    if (!attributes) throw new Error(`The app role "${role}" does not exist: create it first (see the README, Deploying)`);
    if (attributes.rolsuper || attributes.rolbypassrls) {
      throw new Error(`The app role "${role}" is a superuser (or bypasses row security): it could rewrite the audit log. Serve as an unprivileged role`);
    }
    const present = await sql<{ nspname: string }>`
      select nspname from pg_namespace where nspname = any(${schemas})`.execute(trx);
    const existing = present.rows.map((r) => r.nspname);
    // Owning (or inheriting from the owner of) the database, a schema or a table
    // would let the role alter, truncate or disable triggers whatever is granted.
    const owning = await sql<{ name: string; owner: string }>`
      select 'database ' || current_database() as name, pg_get_userbyid(datdba) as owner
        from pg_database where datname = current_database() and pg_has_role(${role}, datdba, 'MEMBER')
      union all
      select 'schema ' || nspname, pg_get_userbyid(nspowner)
        from pg_namespace where nspname = any(${existing}) and pg_has_role(${role}, nspowner, 'MEMBER')
      union all
      select c.relnamespace::regnamespace::text || '.' || c.relname, pg_get_userbyid(c.relowner)
        from pg_class c
        where c.relnamespace::regnamespace::text = any(${existing}) and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and pg_has_role(${role}, c.relowner, 'MEMBER')
      limit 1`.execute(trx);
    if (owning.rows[0]) {
      const { name, owner } = owning.rows[0];
      throw new Error(`The app role "${role}" owns ${name} (or is a member of its owner "${owner}"): the app must run as a role that owns nothing. Migrate as the owner role (MIGRATION_DATABASE_URL)`);
    }

    const r = sql.id(role);
    for (const schema of existing) {
      const s = sql.id(schema);
      await sql`grant usage on schema ${s} to ${r}`.execute(trx);
      await sql`revoke create on schema ${s} from ${r}`.execute(trx);
      await sql`grant select, insert, update, delete on all tables in schema ${s} to ${r}`.execute(trx);
      await sql`revoke truncate, references, trigger on all tables in schema ${s} from ${r}`.execute(trx);
      await sql`grant usage, select on all sequences in schema ${s} to ${r}`.execute(trx);
      await sql`revoke update on all sequences in schema ${s} from ${r}`.execute(trx);
    }
    const inExisting = (qualified: string) => existing.includes(qualified.split(".")[0]!);
    const tableExists = async (qualified: string) =>
      (await sql<{ ok: boolean }>`select to_regclass(${qualified}) is not null as ok`.execute(trx)).rows[0]!.ok;
    for (const name of APPEND_ONLY_TABLES.filter(inExisting)) {
      if (await tableExists(name)) await sql`revoke update, delete, truncate on ${table(name)} from ${r}`.execute(trx);
    }
    for (const name of READ_ONLY_TABLES.filter(inExisting)) {
      if (await tableExists(name)) await sql`revoke insert, update, delete, truncate on ${table(name)} from ${r}`.execute(trx);
    }
  });
}

/** The role the app serves as: DATABASE_APP_ROLE, else the user in the app's DATABASE_URL. */
export function appRoleName(databaseUrl: string | undefined, explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  if (!databaseUrl) return undefined;
  const user = decodeURIComponent(new URL(databaseUrl).username);
  return user || undefined;
}
