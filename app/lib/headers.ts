import type { HeadersFunction } from "@remix-run/node";

/** Response headers a loader or action may set that must reach the client as they are. */
const PASSED = ["Retry-After", "Cache-Control", "ETag", "Last-Modified", "Vary"];

/**
 * Remix sends a route's own headers only through its `headers` export (for
 * document and data requests alike). Every route exports this one, so a 429's
 * `Retry-After` or a page's caching headers are never dropped on the way.
 * A thrown response's headers win, then the action's, then the loader's.
 */
export const passThroughHeaders: HeadersFunction = ({ actionHeaders, loaderHeaders, errorHeaders }) => {
  const headers = new Headers();
  for (const name of PASSED) {
    const value = errorHeaders?.get(name) ?? actionHeaders.get(name) ?? loaderHeaders.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
};
