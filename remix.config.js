/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: "app",
  // Our own server entry is bundled with the app into build/index.js, so the
  // server and the routes share one database pool (see docs/decisions/002).
  server: "./app/server.ts",
  serverBuildPath: "build/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
