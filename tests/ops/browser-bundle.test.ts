// The browser bundle of the last build (npm test builds before this tier): the front page's
// JavaScript stays within its goal (README, Performance), and no page ships zod (form schemas
// live in *.server.ts modules, which the compiler empties in the browser bundle).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pageScripts } from "../tools/bundle-size";

const GOAL_BYTES = 100 * 1024;

describe("the browser bundle", () => {
  it("gives the front page at most 100 KB of JavaScript, gzipped as the server sends it", () => {
    const front = pageScripts(["root", "routes/_index"]);
    expect(front.gz9).toBeLessThanOrEqual(GOAL_BYTES);
  });

  it("has no zod in any script", () => {
    const withZod = readdirSync("public/build", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".js"))
      .filter((f) => /\bZod(?:Object|Error|Type)\b/.test(readFileSync(`public/build/${f}`, "utf8")));
    expect(withZod).toEqual([]);
  });
});
