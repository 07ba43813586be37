// The process entry: bundled with the app into build/index.js (remix.config.js `server`).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createServer, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import * as serverBuild from "@remix-run/dev/server-build";
import { createRequestHandler } from "@remix-run/express";
import { createRequestHandler as createFetchHandler, type ActionFunction, type AppLoadContext, type LoaderFunction, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type ErrorRequestHandler, type Response } from "express";
import { sql } from "kysely";
import { migrateAsConfigured } from "../db/migrate";
import { seedDemo } from "../db/seed";
import {
  DatabaseAvailability,
  databaseUnavailable,
  unavailableHeaders,
  tooLargePage,
  unavailablePage,
} from "./lib/availability.server";
import { buildContext, type AppContext } from "./lib/context.server";
import { negotiateLocale } from "./i18n/locales";
import { configureQueryBudget } from "./models/shared/query-budget.server";
import { configureSignInClientLimit, configureSignUpLimit } from "./models/members/members.server";
import { describeError, isConnectionError, isPoolWaitTimeout, openDatabase } from "./lib/db.server";
import { env, isProduction } from "./lib/env.server";
import { isSameOriginRequest, maxBodyBytesFor, newNonce, securityHeaders, siteOrigin } from "./lib/security.server";
import { closeMarkdownRenderer, configureMarkdownRenderer, startMarkdownRenderer } from "./lib/markdown.server";
import { startJobQueue } from "./lib/queue.server";
import { closeMail, mailConfig, mailTransportKind } from "./lib/mail.server";
import { JOBS } from "./models/jobs.server";
import { referenceCache, standingKey } from "./lib/reference-cache.server";
import { PageCache, isPersonalRequest, isSharedPage, matchesEtag } from "./lib/page-cache.server";

const config = env();
// Members' Markdown renders in worker threads with a time budget (docs/decisions/010).
await configureMarkdownRenderer({ budgetMs: config.MARKDOWN_BUDGET_MS, workers: config.MARKDOWN_WORKERS });
await startMarkdownRenderer();

// --- The database, and whether it can be reached -----------------------------

const dbAvailability = new DatabaseAvailability(() => database.probe());
const database = await openDatabase({ onConnectionError: (error) => dbAvailability.report(error) });
// Search and similar ideas may hold at most half the pool; the rest is for every other page.
configureQueryBudget({ concurrent: database.poolSize / 2, cancel: database.cancelBackend });
configureSignUpLimit(env().SIGN_UPS_PER_HOUR_PER_CLIENT);
configureSignInClientLimit(env().SIGN_INS_PER_15_MIN_PER_CLIENT);

/**
 * A request or job failed with a connection-class error. A wait for a pooled
 * connection that timed out while every connection is busy is load, not an
 * outage: that request gets its 503, and the others carry on.
 */
function noteConnectionError(error: unknown) {
  if (isPoolWaitTimeout(error) && database.poolIsBusy()) return;
  dbAvailability.report(error);
}

/** Startup work retries while the database cannot be reached (a server started before its database). */
async function untilReachable<T>(what: string, work: () => Promise<T>): Promise<T> {
  const giveUp = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() > giveUp) throw error;
      if (attempt === 1) console.warn(`${what}: database unreachable (${describeError(error)}); retrying every second`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

const { applied, grantedTo } = await untilReachable("migrate", () => migrateAsConfigured(database));
if (applied.length) console.log(`migrated: ${applied.join(", ")}`);
if (grantedTo) console.log(`granted the app role "${grantedTo}" its rights`);
if (config.SEED_DEMO === "always" || (config.SEED_DEMO === "auto" && !isProduction())) {
  const seeded = await seedDemo(database.db);
  if (seeded) console.log(`seeded the demo community: ${seeded.members} members, ${seeded.ideas} ideas`);
}
// Mail (docs/decisions/014): say where it goes, loudly when it goes nowhere.
{
  const kind = mailTransportKind();
  if (kind === "none") console.warn("mail: SMTP_URL is not set in production: no e-mail will be sent (verification, password resets, notifications). Set SMTP_URL and MAIL_FROM.");
  else if (kind === "mailbox") console.log(`mail: no SMTP_URL; mail is kept in the development mailbox at ${mailConfig().siteUrl}/dev/mailbox`);
}
// Background work (revisit dates, pruning, e-mail) runs from the job queue; every process
// works and schedules, and pg-boss sends each scheduled slot once (docs/decisions/008).
let queueWarnedAt = 0;
const jobs = await untilReachable("job queue", () =>
  startJobQueue(database, JOBS, {
    work: true,
    schedule: true,
    onError: (error) => {
      if (isConnectionError(error)) {
        noteConnectionError(error);
        // pg-boss keeps polling through an outage and reports every poll: say it once a minute.
        if (Date.now() - queueWarnedAt > 60_000) console.warn(`job queue: database unreachable (${describeError(error)})`);
        queueWarnedAt = Date.now();
        return;
      }
      console.error("job queue:", error);
    },
  }),
);

// --- Every loader and action: a lost database is a 503, in one place ---------

// Contexts built while the database was unreachable: their routes answer 503 without running.
const unreachableContexts = new WeakSet<object>();

function guard<F extends LoaderFunction | ActionFunction>(fn: F): F {
  return (async (args: Parameters<F>[0]) => {
    if (unreachableContexts.has(args.context) || !dbAvailability.up) throw databaseUnavailable();
    try {
      return await fn(args);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      noteConnectionError(error);
      throw databaseUnavailable();
    }
  }) as F;
}

function guardRoutes(original: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(original.routes)) {
    const module = { ...route.module };
    if (module.loader) module.loader = guard(module.loader);
    if (module.action) module.action = guard(module.action);
    routes[id] = { ...route, module };
  }
  return { ...original, routes };
}

const build = guardRoutes(serverBuild as ServerBuild);

// --- HTTP ---------------------------------------------------------------------

// Methods the Fetch API (and so Remix) can represent; TRACE, TRACK and CONNECT are not among them.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const ALLOW = "GET, HEAD, POST";

let draining = false;

const sendUnavailable = (res: Response) => {
  res.status(503).set(unavailableHeaders).send(unavailablePage());
};

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", config.TRUST_PROXY);

// Level 4: most of level 6's ratio for half its CPU (pages are small; cached pages come pre-compressed).
app.use(compression({ level: 4, threshold: 1024 }));

app.use((req, res, next) => {
  const nonce = newNonce();
  res.locals.nonce = nonce;
  res.set(securityHeaders(nonce, isProduction()));
  next();
});

app.use((req, res, next) => {
  if (METHODS.has(req.method)) return next();
  res.status(405).set("Allow", ALLOW).type("text/plain").send("That method is not allowed here.");
});

// Fingerprinted build assets never change; other public files may. Only requests for files
// that exist reach the file system: a page request costs no stat() of public/.
// They are compressed once, at the highest level, when the server starts (a few hundred KB).
const buildGzip = precompressBuild("public/build");
app.use("/build", (req, res, next) => {
  const gz = (req.method === "GET" || req.method === "HEAD") && /\bgzip\b/.test(req.get("accept-encoding") ?? "") ? buildGzip.get(req.path) : undefined;
  if (!gz) return next();
  res.set({
    "Content-Type": gz.type,
    "Content-Encoding": "gzip",
    "Content-Length": String(gz.body.length),
    "Cache-Control": "public, max-age=31536000, immutable",
    Vary: "Accept-Encoding",
  });
  res.end(req.method === "HEAD" ? undefined : gz.body);
});
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y", index: false, redirect: false }));
const publicFiles = new Set(
  readdirSync("public").filter((name) => name !== "build" && statSync(`public/${name}`).isFile()).map((name) => `/${name}`),
);
const servePublic = express.static("public", { maxAge: "1h", index: false, redirect: false });
app.use((req, res, next) => (publicFiles.has(req.path) ? servePublic(req, res, next) : next()));

/** A 413 before the body is read: a page with the way back for a browser's form, a sentence for anything else. */
function refuseTooLarge(req: express.Request, res: express.Response, maxBody: number) {
  res.status(413).set("Cache-Control", "no-store");
  if (req.accepts(["text/plain", "text/html"]) === "text/html") res.type("html").send(tooLargePage(req.path, maxBody));
  else res.type("text/plain").send("That request is too large.");
}

app.use((req, res, next) => {
  const site = siteOrigin(
    { encrypted: "encrypted" in req.socket, host: req.get("host"), forwardedProto: req.get("x-forwarded-proto"), forwardedHost: req.get("x-forwarded-host") },
    config.TRUST_PROXY,
  );
  if (!isSameOriginRequest(req.method, { origin: req.get("origin"), siteOrigin: site, secFetchSite: req.get("sec-fetch-site") })) {
    res.status(403).type("text/plain").send("This request came from another site and was refused.");
    return;
  }
  const maxBody = maxBodyBytesFor(req.path);
  const declared = Number(req.get("content-length") ?? 0);
  if (declared > maxBody) {
    refuseTooLarge(req, res, maxBody);
    return;
  }
  if (req.get("transfer-encoding")) {
    // A body without a declared length is counted as it arrives.
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBody && !res.headersSent) {
        refuseTooLarge(req, res, maxBody);
        req.destroy();
      }
    });
  }
  next();
});

// Browsers ask for /favicon.ico on their own; the icon is an SVG.
app.get("/favicon.ico", (_req, res) => {
  res.redirect(301, "/favicon.svg");
});

// Liveness: the process answers. Never touches the database, so a database
// outage does not get healthy processes restarted.
app.get("/healthz", (_req, res) => {
  res.set("Cache-Control", "no-store").type("text/plain").send("ok");
});

// Readiness: send this process traffic? Not while draining, nor while the
// database does not answer `select 1` within 1.5 s.
app.get("/readyz", async (_req, res) => {
  res.set("Cache-Control", "no-store").type("text/plain");
  if (draining) return void res.status(503).send("draining");
  if (!dbAvailability.up) return void res.status(503).send("database unreachable");
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(database.db),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer within 1.5 s")), 1_500);
      }),
    ]);
    res.send("ready");
  } catch (error) {
    if (isConnectionError(error)) noteConnectionError(error);
    res.status(503).send("database unreachable");
  } finally {
    clearTimeout(timer);
  }
});

// While the database is known to be away, pages get the 503 page at once.
// Single-fetch data requests go on to the guarded loaders, which answer a 503
// the client router can show.
app.use((req, res, next) => {
  if (dbAvailability.up || req.path.endsWith(".data")) return next();
  sendUnavailable(res);
});

const handler = createRequestHandler({
  build,
  mode: build.mode,
  getLoadContext: async (req, res) => {
    const extra = { client: req.ip ?? "unknown", nonce: res.locals.nonce as string, acceptLanguage: req.get("accept-language") ?? null, reference: referenceCache };
    const unreachable = (): AppLoadContext => {
      const context: AppContext = {
        db: database.db,
        member: null,
        sessionId: null,
        client: extra.client,
        nonce: extra.nonce,
        locale: negotiateLocale({ cookie: req.get("cookie"), acceptLanguage: extra.acceptLanguage }),
        reference: referenceCache,
      };
      unreachableContexts.add(context);
      return context as unknown as AppLoadContext;
    };
    if (!dbAvailability.up) return unreachable();
    try {
      const { context, setCookie } = await buildContext(database.db, req.get("cookie") ?? null, extra);
      if (setCookie) res.append("Set-Cookie", setCookie);
      // A member's own change (an idea posted, a duplicate proposed) can move their points:
      // the header's standing is read afresh on their next page, not a second later.
      const member = context.member;
      if (member && req.method !== "GET" && req.method !== "HEAD") res.once("finish", () => referenceCache.forget(standingKey(member.id)));
      return context as unknown as AppLoadContext;
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      noteConnectionError(error);
      return unreachable();
    }
  },
});
// --- Shared pages: rendered once for every visitor without a session ----------

const pageCache = new PageCache({ maxEntries: 500, maxBytes: 24 * 1024 * 1024, maxAgeMs: 10_000 });
const renderPage = createFetchHandler(build, build.mode);
// The data version: the newest event's id, read every second. A change that commits anywhere
// (this process or another) makes every cached page stale within a second.
let dataVersion = "";
const readVersion = async () => {
  if (!dbAvailability.up) return;
  try {
    const row = await sql<{ v: string | null }>`select max(id)::text as v from events`.execute(database.db);
    if (row.rows[0]?.v !== dataVersion) {
      dataVersion = row.rows[0]?.v ?? "0";
      pageCache.clear();
      referenceCache.setVersion(dataVersion);
    }
  } catch (error) {
    if (isConnectionError(error)) noteConnectionError(error);
  }
};
await readVersion();
const versionTimer = setInterval(() => void readVersion(), 1_000);
versionTimer.unref();

const CACHE_CONTROL_SHARED = "public, max-age=0, s-maxage=5, stale-while-revalidate=30";

app.use(async (req, res, next) => {
  if ((req.method !== "GET" && req.method !== "HEAD") || !isSharedPage(req.path) || isPersonalRequest(req.get("cookie"))) return next();
  // A request that asks past caches ("no-cache", a reload) still gets a fresh render.
  const fresh = /no-cache/i.test(req.get("cache-control") ?? "") || /no-cache/i.test(req.get("pragma") ?? "");
  // One entry per language: a French visitor must not get the English page, nor the reverse.
  const locale = negotiateLocale({ cookie: req.get("cookie"), acceptLanguage: req.get("accept-language") });
  const key = `${locale} ${req.originalUrl}`;
  const hit = fresh ? null : pageCache.get(key, dataVersion);
  // Asked past caches: render as for anyone else, and keep nothing.
  if (fresh) return next();
  try {
    const entry =
      hit ??
      (await (async () => {
        const url = new URL(req.originalUrl, `http://${req.get("host") ?? "localhost"}`);
        const request = new Request(url, { method: "GET", headers: { Accept: "text/html", "User-Agent": req.get("user-agent") ?? "" } });
        const context: AppContext = { db: database.db, member: null, sessionId: null, client: req.ip ?? "unknown", nonce: res.locals.nonce as string, locale, reference: referenceCache };
        const response = await renderPage(request, context as unknown as AppLoadContext);
        const body = Buffer.from(await response.arrayBuffer());
        const headers: [string, string][] = [...response.headers.entries()].filter(([name]) => name !== "set-cookie");
        // The page's scripts carry this render's nonce: its CSP header travels with it.
        headers.push(["content-security-policy", res.getHeader("Content-Security-Policy") as string]);
        const page = { status: response.status, headers, body, version: dataVersion };
        return response.status === 200 ? pageCache.set(key, page) : { ...page, gzip: null, etag: null, storedAt: 0 };
      })());
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    res.status(entry.status);
    if (!entry.etag) return void res.send(entry.body);
    res.setHeader("ETag", entry.etag);
    res.setHeader("Cache-Control", CACHE_CONTROL_SHARED);
    res.setHeader("Vary", "Cookie, Accept-Language, Accept-Encoding");
    res.setHeader("X-Page-Cache", hit ? "hit" : "miss");
    if (matchesEtag(req.get("if-none-match"), entry.etag)) return void res.status(304).end();
    if (entry.gzip && /\bgzip\b/.test(req.get("accept-encoding") ?? "")) {
      res.setHeader("Content-Encoding", "gzip");
      res.setHeader("Content-Length", String(entry.gzip.length));
      return void res.end(req.method === "HEAD" ? undefined : entry.gzip);
    }
    res.setHeader("Content-Length", String(entry.body.length));
    res.end(req.method === "HEAD" ? undefined : entry.body);
  } catch (error) {
    next(error);
  }
});

app.all("*", handler);

const onError: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent || !isConnectionError(error)) return next(error);
  noteConnectionError(error);
  sendUnavailable(res);
};
app.use(onError);

const server = createServer(app);

// CONNECT never reaches Express: Node hands it over as a raw socket.
server.on("connect", (_req, socket) => {
  const body = "That method is not allowed here.";
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOW}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
});

// A method Node's parser does not know (TRACK, made-up ones) fails before any
// handler: 501 Not Implemented, as RFC 9110 says. Other parse errors keep Node's
// own answers (400, 408, 431).
server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const status =
    error.code === "HPE_INVALID_METHOD"
      ? "501 Not Implemented"
      : error.code === "HPE_HEADER_OVERFLOW"
        ? "431 Request Header Fields Too Large"
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "408 Request Timeout"
          : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
});

// --- Graceful shutdown ----------------------------------------------------------

// Requests being answered. On SIGTERM: stop accepting, let these finish (each
// told `Connection: close`), close idle keep-alive connections, then the pool.
const inFlight = new Set<ServerResponse>();
let drained: (() => void) | undefined;
server.prependListener("request", (_req, res: ServerResponse) => {
  inFlight.add(res);
  if (draining) res.setHeader("Connection", "close");
  res.once("close", () => {
    inFlight.delete(res);
    if (!draining) return;
    setImmediate(() => server.closeIdleConnections());
    if (inFlight.size === 0) drained?.();
  });
});

const cannotListen = (error: NodeJS.ErrnoException) => {
  console.error(`cannot listen on port ${config.PORT}: ${error.code ?? error.message}`);
  process.exit(1);
};
server.once("error", cannotListen);
server.listen(config.PORT, () => {
  server.off("error", cannotListen);
  console.log(`Groundswell is listening on http://localhost:${config.PORT} (${database.kind})`);
});

const DRAIN_MS = 8_000;
const EXIT_MS = 9_500;

async function shutdown(signal: string) {
  if (draining) return;
  draining = true;
  const started = Date.now();
  console.log(`${signal}: draining ${inFlight.size} request(s)`);
  const force = setTimeout(() => {
    console.error(`${signal}: not done after ${EXIT_MS} ms; exiting`);
    process.exit(1);
  }, EXIT_MS);
  force.unref();
  dbAvailability.stop();
  clearInterval(versionTimer);

  server.close();
  for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
  server.closeIdleConnections();
  // A response that finishes leaves its connection idle: close those as they come.
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  let cut = 0;
  if (inFlight.size > 0) {
    await new Promise<void>((resolve) => {
      drained = resolve;
      setTimeout(resolve, DRAIN_MS).unref();
    });
    cut = inFlight.size;
  }
  clearInterval(sweep);
  server.closeAllConnections();
  if (cut) console.error(`${signal}: ${cut} request(s) still open after ${DRAIN_MS} ms were cut`);
  try {
    // In-flight jobs get the rest of the budget to finish; pg-boss retries any it must abandon.
    await jobs.stop();
    closeMail();
  } catch (error) {
    console.error(`${signal}: stopping the job queue failed`, error);
  }
  await closeMarkdownRenderer().catch(() => undefined);
  try {
    await database.close();
  } catch (error) {
    console.error(`${signal}: closing the database failed`, error);
  }
  console.log(`${signal}: closed in ${Date.now() - started} ms`);
  process.exit(cut ? 1 : 0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

/** The build's scripts and styles, gzipped at level 9, by their path under /build. */
function precompressBuild(dir: string): Map<string, { body: Buffer; type: string }> {
  const types: Record<string, string> = { ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".map": "application/json" };
  const files = new Map<string, { body: Buffer; type: string }>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(`${dir}${sub}`, { withFileTypes: true })) {
      const path = `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      const type = types[entry.name.slice(entry.name.lastIndexOf("."))];
      if (entry.isFile() && type) files.set(path, { body: gzipSync(readFileSync(`${dir}${path}`), { level: 9 }), type });
    }
  };
  try {
    walk("");
  } catch {
    // No build folder (not built yet): served uncompressed by express.static, if at all.
  }
  return files;
}
