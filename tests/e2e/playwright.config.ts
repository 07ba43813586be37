import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const databaseUrl = process.env.E2E_DATABASE_URL;
// With it, the server migrates as this (owner) role and serves as E2E_DATABASE_URL's app role.
const migrationUrl = process.env.E2E_MIGRATION_DATABASE_URL;

/**
 * Drives Debian's Chromium against the built server (node build/index.js)
 * on a fresh database seeded with the demo community: PGlite by default,
 * PostgreSQL when E2E_DATABASE_URL is set (tests/run.mjs prepares both, on
 * PostgreSQL as an unprivileged app role with E2E_MIGRATION_DATABASE_URL as owner).
 */
export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts/,
  outputDir: "../.tmp/e2e-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  // tests/run.mjs reads the JSON report (PLAYWRIGHT_JSON_OUTPUT_NAME) to count tests.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node build/index.js",
    cwd: "../..",
    url: `http://localhost:${PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      SEED_DEMO: "always",
      // Every test signs up and signs in from 127.0.0.1: more than the defaults allow one address.
      SIGN_UPS_PER_HOUR_PER_CLIENT: "1000",
      SIGN_INS_PER_15_MIN_PER_CLIENT: "10000",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: "tests/.tmp/e2e-pglite" }),
      ...(databaseUrl && migrationUrl ? { MIGRATION_DATABASE_URL: migrationUrl } : {}),
    },
  },
});
