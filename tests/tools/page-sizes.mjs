// node tests/tools/page-sizes.mjs http://localhost:3320/ [accept-language]
// The page's HTML (raw and gzip -9) and the JavaScript it loads (module scripts and
// modulepreloads, plus the French catalogue chunk when the page is French), gzip -9.
import { gzipSync } from "node:zlib";

const [url, lang = "en"] = process.argv.slice(2);
const html = await (await fetch(url, { headers: { "Accept-Language": lang, "Cache-Control": "no-cache" } })).text();
const srcs = new Set([...html.matchAll(/(?:src|href)="(\/build\/[^"]+\.js)"/g)].map((m) => m[1]));
// entry.client's dynamic import: the chunk it names, if this page is not English.
const htmlLang = /<html lang="([a-z]+)"/.exec(html)?.[1];
let js = 0, jsRaw = 0;
const seen = new Set();
async function add(src) {
  if (seen.has(src)) return;
  seen.add(src);
  const body = Buffer.from(await (await fetch(new URL(src, url))).arrayBuffer());
  jsRaw += body.length;
  js += gzipSync(body, { level: 9 }).length;
  if (htmlLang !== "en" && /entry\.client/.test(src)) {
    for (const m of body.toString().matchAll(/import\("([^"]+\.js)"\)/g)) await add(new URL(m[1], new URL(src, url)).pathname);
  }
}
for (const src of srcs) await add(src);
if (process.env.LIST) console.error([...seen].join("\n"));
console.log(JSON.stringify({ url, lang: htmlLang, htmlRaw: Buffer.byteLength(html), htmlGzip: gzipSync(html, { level: 9 }).length, jsFiles: seen.size, jsRaw, jsGzip: js }));
