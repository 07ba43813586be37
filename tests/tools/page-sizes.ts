// npx tsx tests/tools/page-sizes.ts <origin> [cookie] [ideaPath]
// Raw and gzip -9 sizes of the front page (anonymous and, with a cookie, signed in) and of the
// idea page (signed in with the cookie), with a breakdown: the HTML without scripts, the loader
// data (the streamController.enqueue(...) scripts) and the other inline scripts. 1 KB = 1024 bytes.
// The idea path defaults to the benchmark's 50-comment idea on the 10k dataset (/ideas/5001).
// SHOW=1 prints the HTML without scripts of each page to stderr (to see what repeats).
import { gzipSync } from "node:zlib";
import { pageSize } from "../bench/http";

const [origin, cookie, ideaPath = "/ideas/5001"] = process.argv.slice(2);
if (!origin) {
  console.error("usage: npx tsx tests/tools/page-sizes.ts <origin> [cookie] [ideaPath]");
  process.exit(2);
}

const kb = (n: number) => (n / 1024).toFixed(1);
const gz = (s: string) => gzipSync(s, { level: 9 }).length;

/** Splits a page's HTML into markup, loader data and other inline scripts (external script tags count as markup). */
export function breakdown(html: string) {
  let data = 0;
  let inline = 0;
  const markup = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/g, (tag, attrs: string, body: string) => {
    if (/\bsrc=/.test(attrs) || body.length === 0) return tag;
    if (body.includes("streamController.enqueue") || body.includes("streamController.close")) data += Buffer.byteLength(tag);
    else inline += Buffer.byteLength(tag);
    return "";
  });
  return { markup, markupBytes: Buffer.byteLength(markup), data, inline };
}

const pages: [string, string, string | undefined][] = [
  ["/ anonymous", "/", undefined],
  ...(cookie ? ([["/ signed in", "/", cookie], [`${ideaPath} signed in`, ideaPath, cookie]] as [string, string, string][]) : []),
];

console.log("page".padEnd(26), "raw KB".padStart(7), "gzip KB".padStart(8), "markup".padStart(7), "data".padStart(6), "inline".padStart(7));
for (const [name, path, c] of pages) {
  const p = await pageSize(new URL(path, origin).toString(), c);
  if (p.status !== 200) throw new Error(`${path}: status ${p.status}`);
  const b = breakdown(p.html);
  console.log(
    name.padEnd(26),
    kb(p.raw).padStart(7),
    kb(p.gzipBest).padStart(8),
    kb(b.markupBytes).padStart(7),
    kb(b.data).padStart(6),
    kb(b.inline).padStart(7),
  );
  if (process.env.SHOW) console.error(`\n===== ${name} (markup ${gz(b.markup)} B gzip)\n${b.markup}`);
}
