// Global setup of the ops tier: one private PostgreSQL cluster (the tests
// restart and stop it) with an owner role and an unprivileged app role, a
// migrated and seeded template database on it, and a seeded PGlite folder.
// Test files run one at a time, each on its own copy.
import { cpSync, existsSync, rmSync } from "node:fs";
import { asSuperuser, newRoleNames, startPrivateCluster } from "./pg-cluster";
import { startApp } from "./app-process";
import { PGLITE_TEMPLATE_DIR, TMP_DIR } from "./paths";

export const OPS_TEMPLATE = "ops_template";
export const OPS_PGLITE_TEMPLATE = `${TMP_DIR}ops-pglite-template`;

export default async function setup() {
  const cluster = await startPrivateCluster();
  const roles = newRoleNames("ops");
  try {
    await asSuperuser(cluster.url, async (c) => {
      await c.query(`create role "${roles.owner.name}" login password '${roles.owner.password}'`);
      await c.query(`create role "${roles.app.name}" login password '${roles.app.password}'`);
      await c.query(`create database ${OPS_TEMPLATE} owner "${roles.owner.name}"`);
    });
    // The built server migrates as the owner, grants the app role, and seeds as the app role.
    rmSync(OPS_PGLITE_TEMPLATE, { recursive: true, force: true });
    // PGlite's first start of an empty folder (its initdb) is the slowest part of this setup:
    // start from the integration tier's migrated template when a run left one (the server
    // migrates it forward if it is older).
    if (existsSync(`${PGLITE_TEMPLATE_DIR}/PG_VERSION`)) cpSync(PGLITE_TEMPLATE_DIR, OPS_PGLITE_TEMPLATE, { recursive: true });
    const started = await Promise.allSettled([
      startApp({
        DATABASE_URL: cluster.urlFor(OPS_TEMPLATE, roles.app),
        MIGRATION_DATABASE_URL: cluster.urlFor(OPS_TEMPLATE, roles.owner),
        SEED_DEMO: "always",
      }),
      startApp({ DATA_DIR: OPS_PGLITE_TEMPLATE, SEED_DEMO: "always" }, { timeoutMs: 90_000 }),
    ]);
    const apps = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failed = started.find((r) => r.status === "rejected");
    if (failed) {
      await Promise.all(apps.map((app) => app.kill()));
      throw failed.reason;
    }
    for (const app of apps) {
      app.child.kill("SIGTERM");
      const { code } = await app.exited;
      if (code !== 0) throw new Error(`the template server exited with ${code}:\n${app.output()}`);
    }
  } catch (error) {
    cluster.destroy();
    throw error;
  }
  process.env.OPS_CLUSTER = JSON.stringify({ dir: cluster.dir, port: cluster.port, roles });
  return () => {
    cluster.destroy();
    rmSync(OPS_PGLITE_TEMPLATE, { recursive: true, force: true });
  };
}
