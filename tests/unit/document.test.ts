import { describe, expect, it } from "vitest";
import { compactManifest } from "../../app/lib/document.server";

const manifest = {
  entry: { module: "/build/entry.client-A.js", imports: ["/build/_shared/chunk-B.js"] },
  routes: { root: { id: "root", path: "", module: "/build/root-C.js", hasLoader: true } },
  version: "b798541f",
};

/** The module script as Remix's <Scripts> writes it (the manifest pretty-printed). */
const page = (json: string) =>
  `<html><body><p>Café ☕</p><script nonce="n" type="module" async="">;\nimport * as route0 from "/build/root-C.js";\n` +
  `window.__remixManifest = ${json};\nwindow.__remixRouteModules = {"root":route0};\n\nimport("/build/entry.client-A.js");</script></body></html>`;

describe("compactManifest", () => {
  it("sends the inline route manifest as compact JSON, the same object, and nothing else changes", () => {
    const before = page(JSON.stringify(manifest, null, 2));
    const after = compactManifest(Buffer.from(before)).toString("utf8");
    expect(after).toBe(page(JSON.stringify(manifest)));
    expect(Buffer.byteLength(after)).toBeLessThan(Buffer.byteLength(before));
    const json = /window\.__remixManifest = (.*);\nwindow/.exec(after)![1]!;
    expect(JSON.parse(json)).toEqual(manifest);
  });

  it("leaves a document without the manifest, or with one it cannot read, as it was", () => {
    for (const html of ["<html><body>no scripts</body></html>", page("{not json"), "window.__remixManifest = {}; no end"]) {
      const body = Buffer.from(html);
      expect(compactManifest(body)).toBe(body);
    }
  });
});
