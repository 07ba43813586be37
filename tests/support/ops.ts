// What an ops test file gets from the tier's global setup (tests/support/ops-setup.ts).
import { cpSync, rmSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { attachPrivateCluster, asSuperuser, type PrivateCluster, type newRoleNames } from "./pg-cluster";
import { OPS_PGLITE_TEMPLATE, OPS_TEMPLATE } from "./ops-setup";
import { TMP_DIR } from "./paths";

type Roles = ReturnType<typeof newRoleNames>;

export function opsCluster(): { cluster: PrivateCluster; roles: Roles } {
  const raw = process.env.OPS_CLUSTER;
  if (!raw) throw new Error("OPS_CLUSTER is not set: run the ops tier through its vitest project (globalSetup)");
  const { dir, port, roles } = JSON.parse(raw) as { dir: string; port: number; roles: Roles };
  return { cluster: attachPrivateCluster(dir, port), roles };
}

/**
 * A seeded database of its own on the private cluster, owned by the owner role;
 * `env` serves it as the app role and migrates as the owner.
 */
export async function opsDatabase() {
  const { cluster, roles } = opsCluster();
  const name = `ops_${randomUUID().replaceAll("-", "").slice(0, 10)}`;
  await asSuperuser(cluster.url, (c) => c.query(`create database ${name} template ${OPS_TEMPLATE} owner "${roles.owner.name}"`));
  return {
    name,
    cluster,
    roles,
    env: {
      DATABASE_URL: cluster.urlFor(name, roles.app),
      MIGRATION_DATABASE_URL: cluster.urlFor(name, roles.owner),
    },
    /** Ends every app connection to this database (as an operator or a failover would). */
    async terminateAppConnections(): Promise<number> {
      const r = await asSuperuser(cluster.url, (c) =>
        c.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and usename = $2", [name, roles.app.name]),
      );
      return r.rowCount ?? 0;
    },
    async drop() {
      await asSuperuser(cluster.url, (c) => c.query(`drop database if exists ${name} with (force)`)).catch(() => {});
    },
  };
}

/** A copy of the seeded PGlite template folder. */
export function opsPgliteDir() {
  const dir = `${TMP_DIR}ops-pglite-${randomUUID().slice(0, 8)}`;
  cpSync(OPS_PGLITE_TEMPLATE, dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
