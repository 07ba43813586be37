// The bare reference app's process: Express 4 + compression + Remix, one pool.
// Bundled with the routes into tests/.tmp/bench-bare/index.js (remix.config.js `server`).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as build from "@remix-run/dev/server-build";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { db } from "./app/db.server";

const here = dirname(fileURLToPath(import.meta.url));
const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use("/build", express.static(join(here, "public/build"), { immutable: true, maxAge: "1y" }));
app.all("*", createRequestHandler({ build, mode: build.mode }));

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`bare reference app listening on http://localhost:${process.env.PORT ?? 3000}`);
});

process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void db.destroy().finally(() => process.exit(0));
});
