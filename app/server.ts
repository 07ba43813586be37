// The process entry: bundled with the app into build/index.js (remix.config.js `server`).
import * as build from "@remix-run/dev/server-build";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { migrateToLatest } from "../db/migrate";
import { seedDemo } from "../db/seed";
import { buildContext } from "./lib/context.server";
import { openDatabase } from "./lib/db.server";
import { env, isProduction } from "./lib/env.server";
import { MAX_BODY_BYTES, isSameOriginRequest, newNonce, securityHeaders, siteOrigin } from "./lib/security.server";
import { reviveDueIdeas } from "./models/pipeline.server";
import { pruneRateLimits } from "./models/rate-limits.server";

const config = env();
const database = await openDatabase();
const applied = await migrateToLatest(database.db);
if (applied.length) console.log(`migrated: ${applied.join(", ")}`);
if (config.SEED_DEMO === "always" || (config.SEED_DEMO === "auto" && !isProduction())) {
  const seeded = await seedDemo(database.db);
  if (seeded) console.log(`seeded the demo community: ${seeded.members} members, ${seeded.ideas} ideas`);
}
await pruneRateLimits(database.db);

// Declined ideas whose revisit date has come go back to review. Every process
// may run this; each idea is claimed once (SKIP LOCKED).
const revisit = async () => {
  try {
    const revived = await reviveDueIdeas(database.db);
    if (revived) console.log(`revisit: ${revived} declined idea(s) back under review`);
  } catch (error) {
    console.error("revisit failed", error);
  }
};
await revisit();
const revisitTimer = setInterval(revisit, 10 * 60_000);
revisitTimer.unref();

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", config.TRUST_PROXY);
app.use(compression());

app.use((req, res, next) => {
  const nonce = newNonce();
  res.locals.nonce = nonce;
  res.set(securityHeaders(nonce, isProduction()));
  next();
});

// Fingerprinted build assets never change; other public files may.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

app.use((req, res, next) => {
  const site = siteOrigin(
    { encrypted: "encrypted" in req.socket, host: req.get("host"), forwardedProto: req.get("x-forwarded-proto"), forwardedHost: req.get("x-forwarded-host") },
    config.TRUST_PROXY,
  );
  if (!isSameOriginRequest(req.method, { origin: req.get("origin"), siteOrigin: site, secFetchSite: req.get("sec-fetch-site") })) {
    res.status(403).type("text/plain").send("This request came from another site and was refused.");
    return;
  }
  const declared = Number(req.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) {
    res.status(413).type("text/plain").send("That request is too large.");
    return;
  }
  if (req.get("transfer-encoding")) {
    // A body without a declared length is counted as it arrives.
    let received = 0;
    req.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES && !res.headersSent) {
        res.status(413).type("text/plain").send("That request is too large.");
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

app.get("/healthz", (_req, res) => {
  res.type("text/plain").send("ok");
});

const handler = createRequestHandler({
  build,
  mode: build.mode,
  getLoadContext: async (req, res) => {
    const { context, setCookie } = await buildContext(database.db, req.get("cookie") ?? null, {
      client: req.ip ?? "unknown",
      nonce: res.locals.nonce as string,
    });
    if (setCookie) res.append("Set-Cookie", setCookie);
    return context as unknown as AppLoadContext;
  },
});
app.all("*", handler);

const server = app.listen(config.PORT, () => {
  console.log(`Groundswell is listening on http://localhost:${config.PORT} (${database.kind})`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  clearInterval(revisitTimer);
  console.log(`${signal}: closing`);
  const force = setTimeout(() => process.exit(1), 5_000);
  force.unref();
  server.close();
  server.closeIdleConnections();
  setTimeout(() => server.closeAllConnections(), 2_000).unref();
  await database.close().catch((error) => console.error(error));
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
