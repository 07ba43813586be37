// Flat config, kept out of the top level (see docs/decisions/001-repository-layout.md).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", ".cache/**", "node_modules/**", "tests/.tmp/**", "data/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The classic compiler silently empties *.server modules in the browser
    // bundle; a component importing one would break at run time, not build time.
    files: ["app/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/*.server", "**/*.server.*"], message: "Components must not import server modules." }] }],
    },
  },
  {
    // Requests render members' Markdown in worker threads with a time budget (docs/decisions/010).
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/lib/markdown.server.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/markdown.server"], importNames: ["renderMarkdownSync"], message: "Render with renderMarkdown (worker threads, time budget), never in the request thread." }] }],
    },
  },
  {
    // Routes are HTTP adapters: SQL belongs in app/models.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      // (A later block replaces the rule for its files, so the Markdown pattern is repeated here.)
      "no-restricted-imports": ["error", {
        paths: [{ name: "kysely", message: "Routes call domain functions in app/models; no SQL here." }],
        patterns: [{ group: ["**/markdown.server"], importNames: ["renderMarkdownSync"], message: "Render with renderMarkdown (worker threads, time budget), never in the request thread." }],
      }],
    },
  },
);
