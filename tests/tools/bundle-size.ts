// npx tsx tests/tools/bundle-size.ts [--sources] [route ...]
// The JavaScript a page loads at start, read from the last `npm run build`: entry.client, the
// route modules of root and the page's route, and every chunk they import statically (followed
// through the files themselves, as the browser does; dynamic imports such as the French catalogue
// are not followed, and the manifest script is not counted: under v3_lazyRouteDiscovery it is not
// loaded). Sizes are gzip level 6 (1 KB = 1024 bytes), and level 9, which is what the server sends
// (app/server.ts precompresses public/build at level 9).
// --sources also lists the source modules that contribute most to each page (build/metafile.js.json).
// Extra arguments are route ids (e.g. routes/login) to measure besides the front page and idea page.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("../../", import.meta.url);
const version = readFileSync(new URL("build/version.txt", root), "utf8").trim();
const manifestPath = new URL(`public/build/manifest-${version.toUpperCase()}.js`, root);
if (!existsSync(manifestPath)) throw new Error(`no ${manifestPath.pathname}: run npm run build`);

interface Entry {
  module: string;
  imports?: string[];
}
const manifest = JSON.parse(
  readFileSync(manifestPath, "utf8").replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, ""),
) as { entry: Entry; routes: Record<string, Entry> };

const file = (url: string) => readFileSync(new URL(`public${url}`, root));
const sizes = new Map<string, { raw: number; gz6: number; gz9: number }>();
function size(url: string) {
  let s = sizes.get(url);
  if (!s) {
    const body = file(url);
    s = { raw: body.length, gz6: gzipSync(body, { level: 6 }).length, gz9: gzipSync(body, { level: 9 }).length };
    sizes.set(url, s);
  }
  return s;
}

/** The files a set of modules pulls in: the modules, their manifest imports and their static imports, transitively. */
function closure(starts: string[]): string[] {
  const seen = new Set<string>();
  const visit = (url: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    const text = file(url).toString("utf8");
    // Static imports only: `import{a as b}from"/build/…"` and `import"/build/…"`, not `import("…")`.
    for (const m of text.matchAll(/\bimport\s*(?:[\w$*{}\s,]+from\s*)?"([^"]+\.js)"/g)) {
      visit(new URL(m[1]!, new URL(url, "http://x")).pathname);
    }
  };
  for (const s of starts) visit(s);
  return [...seen];
}

function pageFiles(routeIds: string[]): string[] {
  const starts = [manifest.entry.module, ...(manifest.entry.imports ?? [])];
  for (const id of routeIds) {
    const r = manifest.routes[id];
    if (!r) throw new Error(`no route ${id} in the manifest`);
    starts.push(r.module, ...(r.imports ?? []));
  }
  return closure(starts);
}

const kb = (n: number) => (n / 1024).toFixed(1);
const metafile = process.argv.includes("--sources")
  ? (JSON.parse(readFileSync(new URL("build/metafile.js.json", root), "utf8")) as {
      outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
    })
  : undefined;

function report(name: string, routeIds: string[]) {
  const files = pageFiles(routeIds);
  const total = { raw: 0, gz6: 0, gz9: 0 };
  for (const f of files) {
    const s = size(f);
    total.raw += s.raw;
    total.gz6 += s.gz6;
    total.gz9 += s.gz9;
  }
  console.log(
    `${name} (${["root", ...routeIds.filter((r) => r !== "root")].join(" + ")}): ${files.length} files, ` +
      `${kb(total.gz6)} KB gzip -6, ${kb(total.gz9)} KB gzip -9 as sent, ${kb(total.raw)} KB raw`,
  );
  const largest = [...files].sort((a, b) => size(b).gz6 - size(a).gz6);
  for (const f of largest.slice(0, 8)) console.log(`  ${kb(size(f).gz6).padStart(6)} KB  ${f}`);
  const small = files.filter((f) => size(f).raw < 200);
  if (small.length) console.log(`  ${small.length} files under 200 bytes: ${small.join(", ")}`);
  if (metafile) {
    const bySource = new Map<string, number>();
    for (const f of files) {
      for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[`public${f}`]?.inputs ?? {})) {
        const key = input.replace(/^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/.*/, "node_modules/$1");
        bySource.set(key, (bySource.get(key) ?? 0) + bytesInOutput);
      }
    }
    console.log("  sources, minified bytes before gzip:");
    for (const [src, bytes] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
      console.log(`  ${kb(bytes).padStart(6)} KB  ${src}`);
    }
  }
}

report("front page", ["root", "routes/_index"]);
report("idea page", ["root", "routes/ideas.$ideaId"]);
for (const id of process.argv.slice(2).filter((a) => !a.startsWith("--"))) report(id, ["root", id]);
