const MANIFEST_START = Buffer.from("window.__remixManifest = ");
const MANIFEST_END = Buffer.from(";\nwindow.__remixRouteModules");

/**
 * Remix inlines the page's part of the route manifest pretty-printed (`JSON.stringify(…, null, 2)`
 * in its <Scripts>): on an idea page a quarter of that inline script is indentation. This sends
 * the same JSON without it. A document that does not look as expected is returned unchanged.
 */
export function compactManifest(html: Buffer<ArrayBuffer>): Buffer<ArrayBuffer> {
  const start = html.indexOf(MANIFEST_START);
  if (start < 0) return html;
  const from = start + MANIFEST_START.length;
  const end = html.indexOf(MANIFEST_END, from);
  if (end < 0) return html;
  let json: string;
  try {
    json = JSON.stringify(JSON.parse(html.toString("utf8", from, end)));
  } catch {
    return html;
  }
  return Buffer.concat([html.subarray(0, from), Buffer.from(json), html.subarray(end)]);
}
