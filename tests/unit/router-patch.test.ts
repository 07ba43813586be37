import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The server's @remix-run/router, as @remix-run/server-runtime loads it (CommonJS).
const require = createRequire(import.meta.url);
const routerPath = require.resolve("@remix-run/router");
const router = require("@remix-run/router") as typeof import("@remix-run/router");

describe("the route-matching patch (docs/decisions/022)", () => {
  it("is applied to the build the server loads", () => {
    const source = readFileSync(routerPath, "utf8");
    expect(source).toContain("rankedBranchesCache");
    expect(source).toContain("compilePathUncached");
  });

  it("matches as before: ranking, params, splats, repeated and changed inputs", () => {
    const routes = [
      {
        id: "root", path: "/",
        children: [
          { id: "index", index: true },
          { id: "idea", path: "ideas/:ideaId" },
          { id: "new", path: "ideas/new" },
          { id: "member", path: "members/:handle" },
          { id: "splat", path: "*" },
        ],
      },
    ];
    const ids = (path: string) => router.matchRoutes(routes, path)?.map((m) => m.route.id);
    for (let round = 0; round < 3; round++) {
      expect(ids("/")).toEqual(["root", "index"]);
      expect(ids("/ideas/new")).toEqual(["root", "new"]); // a static segment outranks a param
      expect(router.matchRoutes(routes, "/ideas/42")?.[1]?.params).toEqual({ ideaId: "42" });
      expect(router.matchRoutes(routes, "/ideas/7")?.[1]?.params).toEqual({ ideaId: "7" });
      expect(router.matchRoutes(routes, "/IDEAS/8")?.[1]?.params).toEqual({ ideaId: "8" }); // case-insensitive
      expect(router.matchRoutes(routes, "/nowhere/at/all")?.[1]?.params).toEqual({ "*": "nowhere/at/all" });
    }
    // Another routes array is ranked on its own, not served from the first one's cache.
    expect(router.matchRoutes([{ id: "only", path: "/ideas/:x" }], "/ideas/1")?.map((m) => m.route.id)).toEqual(["only"]);
    expect(router.matchRoutes([{ id: "only", path: "/ideas/:x" }], "/")).toBeNull();
    // The same pattern with and without `end`, and case-sensitive, are distinct.
    expect(router.matchPath({ path: "/a/:b", end: false }, "/a/1/more")?.params).toEqual({ b: "1" });
    expect(router.matchPath({ path: "/a/:b", end: true }, "/a/1/more")).toBeNull();
    expect(router.matchPath({ path: "/a/:b", caseSensitive: true }, "/A/1")).toBeNull();
    expect(router.matchPath({ path: "/a/:b", caseSensitive: false }, "/A/1")?.params).toEqual({ b: "1" });
  });
});
