import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "./components/nonce";
import { registerServerLocales } from "./i18n/catalogues.server";
import { compactManifest } from "./lib/document.server";
import { RETRY_AFTER_SECONDS, isDatabaseUnavailable, unavailableHeaders, unavailablePage } from "./lib/availability.server";

registerServerLocales();

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // A loader or action could not reach the database: the small 503 page, not the app's shell
  // (which would need the root loader's data).
  const errors = Object.values(remixContext.staticHandlerContext.errors ?? {});
  if (errors.some(isDatabaseUnavailable)) {
    return new Response(request.method === "HEAD" ? null : unavailablePage(), { status: 503, headers: unavailableHeaders });
  }
  const nonce = loadContext.nonce;
  // The whole document is rendered before anything is sent: no loader defers data, so
  // streaming would only cut the page into chunks that compress worse and cost more writes.
  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    const chunks: Buffer[] = [];
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          const sink = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              const body = compactManifest(Buffer.concat(chunks));
              responseHeaders.set("Content-Length", String(body.length));
              resolve(new Response(body, { headers: responseHeaders, status: failed ? 500 : responseStatusCode }));
              done();
            },
          });
          pipe(sink);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          failed = true;
          console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY + 1_000).unref();
  });
}

/** Client-side navigations (single fetch) that hit a lost database carry Retry-After like the page does. */
export function handleDataRequest(response: Response) {
  if (response.status === 503 && !response.headers.has("Retry-After")) {
    response.headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
  }
  return response;
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests and deliberate 4xx answers (thrown responses) are not errors to log.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  console.error(error);
}
