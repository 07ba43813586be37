import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  root,
  test: {
    projects: [
      {
        test: {
          name: "unit",
          root,
          include: ["tests/unit/**/*.test.ts"],
          setupFiles: ["tests/support/fail-on-console-error.ts"],
        },
      },
      {
        test: {
          name: "integration",
          root,
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: ["tests/support/fail-on-console-error.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: two files at a time, each on its own copy of the database.
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
      {
        test: {
          // Real server processes (node build/index.js, built first) on a private
          // PostgreSQL cluster the tests restart, and on PGlite: tests/support/ops-setup.ts.
          name: "ops",
          root,
          include: ["tests/ops/**/*.test.ts"],
          globalSetup: ["tests/support/ops-setup.ts"],
          setupFiles: ["tests/support/fail-on-console-error.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One file at a time: they time outages of one shared cluster.
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
