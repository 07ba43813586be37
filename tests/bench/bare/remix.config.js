// The bare reference app of `npm run bench` (README, "Benchmark"): built by
// `remix build tests/bench/bare` into tests/.tmp/bench-bare.
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: "app",
  server: "./server.ts",
  serverBuildPath: "../../.tmp/bench-bare/index.js",
  assetsBuildDirectory: "../../.tmp/bench-bare/public/build",
  cacheDirectory: "../../.tmp/bench-bare/.cache",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
