// npx tsx tests/tools/bundle-size.ts [--sources] [route id ...] [--url http://localhost:3340/ ...]
//
// The JavaScript a page loads at start, read from the last `npm run build`: entry.client, the
// route modules of root and the page's route, and every chunk they import statically (followed
// through the files themselves, as the browser does; dynamic imports such as the French catalogue
// are not followed, and the manifest script is not counted: under v3_lazyRouteDiscovery it is not
// loaded). Sizes are gzip level 6 and level 9 (what the server sends: app/server.ts precompresses
// public/build at level 9); 1 KB = 1024 bytes.
//
// --sources also lists the source modules that contribute most to each page (build/metafile.js.json).
// Route ids (e.g. routes/login) are measured besides the front page and the idea page.
// --url (repeatable) measures a running server instead: the page's script and modulepreload URLs,
// each fetched with Accept-Encoding: gzip, the bytes on the wire summed.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { get, scriptUrls } from "../bench/http";

const root = new URL("../../", import.meta.url);

interface ManifestEntry {
  module: string;
  imports?: string[];
}
export interface FileSize {
  raw: number;
  gz6: number;
  gz9: number;
}
export interface PageScripts extends FileSize {
  files: string[];
}

const file = (url: string) => readFileSync(new URL(`public${url}`, root));
const sizes = new Map<string, FileSize>();

/** A built file's size, raw and gzipped (by its URL, /build/…). */
export function fileSize(url: string): FileSize {
  let s = sizes.get(url);
  if (!s) {
    const body = file(url);
    s = { raw: body.length, gz6: gzipSync(body, { level: 6 }).length, gz9: gzipSync(body, { level: 9 }).length };
    sizes.set(url, s);
  }
  return s;
}

function readManifest(): { entry: ManifestEntry; routes: Record<string, ManifestEntry> } {
  const version = readFileSync(new URL("build/version.txt", root), "utf8").trim();
  const path = new URL(`public/build/manifest-${version.toUpperCase()}.js`, root);
  if (!existsSync(path)) throw new Error(`no ${fileURLToPath(path)}: run npm run build`);
  return JSON.parse(readFileSync(path, "utf8").replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, ""));
}

/** The files a set of modules pulls in: the modules and their static imports, transitively. */
function closure(starts: string[]): string[] {
  const seen = new Set<string>();
  const visit = (url: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    // Static imports only: `import{a as b}from"/build/…"` and `import"/build/…"`, not `import("…")`.
    for (const m of file(url).toString("utf8").matchAll(/\bimport\s*(?:[\w$*{}\s,]+from\s*)?"([^"]+\.js)"/g)) {
      visit(new URL(m[1]!, new URL(url, "http://x")).pathname);
    }
  };
  for (const s of starts) visit(s);
  return [...seen];
}

/** The scripts a page whose matched routes are `routeIds` (root first) loads at start, and their sizes. */
export function pageScripts(routeIds: string[]): PageScripts {
  const manifest = readManifest();
  const starts = [manifest.entry.module, ...(manifest.entry.imports ?? [])];
  for (const id of routeIds) {
    const r = manifest.routes[id];
    if (!r) throw new Error(`no route ${id} in the manifest`);
    starts.push(r.module, ...(r.imports ?? []));
  }
  const files = closure(starts);
  const total = { files, raw: 0, gz6: 0, gz9: 0 };
  for (const f of files) {
    const s = fileSize(f);
    total.raw += s.raw;
    total.gz6 += s.gz6;
    total.gz9 += s.gz9;
  }
  return total;
}

const kb = (n: number) => (n / 1024).toFixed(1);

function report(name: string, routeIds: string[], sources: boolean) {
  const page = pageScripts(routeIds);
  console.log(`${name} (${routeIds.join(" + ")}): ${page.files.length} files, ${kb(page.gz6)} KB gzip -6, ${kb(page.gz9)} KB gzip -9 as sent, ${kb(page.raw)} KB raw`);
  for (const f of [...page.files].sort((a, b) => fileSize(b).gz6 - fileSize(a).gz6).slice(0, 8)) {
    console.log(`  ${kb(fileSize(f).gz6).padStart(6)} KB  ${f}`);
  }
  const small = page.files.filter((f) => fileSize(f).raw < 200);
  if (small.length) console.log(`  ${small.length} files under 200 bytes: ${small.join(", ")}`);
  if (!sources) return;
  const metafile = JSON.parse(readFileSync(new URL("build/metafile.js.json", root), "utf8")) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const bySource = new Map<string, number>();
  for (const f of page.files) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[`public${f}`]?.inputs ?? {})) {
      const key = input.replace(/^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\/.*/, "node_modules/$1");
      bySource.set(key, (bySource.get(key) ?? 0) + bytesInOutput);
    }
  }
  console.log("  sources, minified bytes before gzip:");
  for (const [src, bytes] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${kb(bytes).padStart(6)} KB  ${src}`);
}

async function measureServer(url: string) {
  const page = await get(url, { "Accept-Encoding": "gzip", "Cache-Control": "no-cache" });
  const scripts = scriptUrls(page.body.toString("utf8"));
  let wire = 0;
  let raw = 0;
  for (const u of scripts) {
    const r = await get(new URL(u, url).toString(), { "Accept-Encoding": "gzip" });
    if (r.status !== 200) throw new Error(`${u}: ${r.status}`);
    wire += r.wire.length;
    raw += r.body.length;
  }
  console.log(`${url} (status ${page.status}): ${scripts.length} files, ${kb(wire)} KB gzip on the wire (${wire} bytes), ${kb(raw)} KB raw`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const urls = args.flatMap((a, i) => (a === "--url" && args[i + 1] ? [args[i + 1]!] : []));
  if (urls.length) {
    for (const url of urls) await measureServer(url);
    process.exit(0);
  }
  const sources = args.includes("--sources");
  report("front page", ["root", "routes/_index"], sources);
  report("idea page", ["root", "routes/ideas.$ideaId"], sources);
  for (const id of args.filter((a) => !a.startsWith("--"))) report(id, ["root", id], sources);
}
