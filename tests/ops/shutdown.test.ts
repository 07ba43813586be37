// SIGTERM with requests in flight: stop accepting, answer what was accepted,
// close idle keep-alive connections, then close the database and exit 0 in 10 s.
import { connect, type Socket } from "node:net";
import { Agent } from "node:http";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { get, sleep, startApp, tallyStatuses, waitFor, type AppProcess } from "../support/app-process";
import { opsDatabase, opsPgliteDir } from "../support/ops";

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

const figure = (line: string) => console.log(`ops: ${line}`);

/** A raw connection, to hold a connection idle or send a request in pieces. */
function rawConnection(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  let received = "";
  let error: string | undefined;
  let closedAt: number | undefined;
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (received += chunk));
  socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  socket.on("close", () => (closedAt = Date.now()));
  const connected = new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return {
    socket,
    connected,
    received: () => received,
    error: () => error,
    closedAt: () => closedAt,
  };
}

/** Whether a fresh TCP connection is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", () => resolve(true));
  });
}

/** Opens `n` keep-alive connections on an agent (so later requests on it are on accepted connections). */
async function warmAgent(app: AppProcess, n: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: n });
  await Promise.all(Array.from({ length: n }, () => get(app.base, "/healthz", { agent })));
  const free = Object.values(agent.freeSockets).flat().length;
  expect(free).toBe(n);
  return agent;
}

async function idleConnections(app: AppProcess, n: number) {
  const idle = Array.from({ length: n }, () => rawConnection(app.port));
  for (const c of idle) {
    await c.connected;
    c.socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }
  await waitFor(() => idle.every((c) => c.received().includes("\r\n\r\nok")), 5_000, "the idle connections' first answers");
  return idle;
}

describe("graceful shutdown", () => {
  it("on PostgreSQL: SIGTERM with 20 requests in flight answers every one, closes idle connections, exits 0 within 10 s", async () => {
    const database = await opsDatabase();
    cleanup.push(database.drop);
    // A pool large enough that every page holds a connection while it waits (no wait for the pool itself).
    const app = await startApp({ ...database.env, DATABASE_POOL_SIZE: "40" });
    cleanup.push(app.kill);

    const idle = await idleConnections(app, 5);
    const agent = await warmAgent(app, 20);
    cleanup.push(() => agent.destroy());
    // A request whose headers are half sent when the signal comes: it was accepted, so it is answered.
    const partial = rawConnection(app.port);
    await partial.connected;
    partial.socket.write("GET /readyz HTTP/1.1\r\nHost: localhost\r\n");

    // Make the pages slow: every one of these pages reads the ideas, which an operator's transaction
    // now locks (not the settings: the process keeps those, reference-cache.server.ts).
    const locker = new pg.Client({ connectionString: database.cluster.urlFor(database.name) });
    const observer = new pg.Client({ connectionString: database.cluster.urlFor(database.name) });
    await Promise.all([locker.connect(), observer.connect()]);
    cleanup.push(() => locker.end(), () => observer.end());
    await locker.query("begin");
    await locker.query("lock table ideas in access exclusive mode");

    const pages = ["/", "/roadmap", "/?sort=new", "/in-action"];
    const inFlight = Array.from({ length: 20 }, (_, i) => get(app.base, pages[i % pages.length]!, { agent, timeoutMs: 15_000 }));
    await waitFor(
      async () =>
        (await observer.query("select count(*)::int as n from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'", [database.name]))
          .rows[0].n >= 20,
      10_000,
      "the pages to wait on the lock",
    );
    await sleep(200);

    const signalled = Date.now();
    app.child.kill("SIGTERM");
    await sleep(200);
    expect(await refused(app.port)).toBe(true);
    partial.socket.write("\r\n");
    await waitFor(() => partial.received().includes("\r\n\r\n"), 3_000, "the half-sent request's answer");
    await sleep(300);
    const idleClosedBy = idle.map((c) => c.closedAt());
    await sleep(1_000);
    await locker.query("commit");
    const released = Date.now();

    const answers = await Promise.all(inFlight);
    const { code, at } = await app.exited;

    expect(tallyStatuses(answers)).toEqual({ 200: 20 });
    for (const a of answers) {
      expect(a.body).toContain("</html>");
      expect(a.body).toContain("streamController.close()"); // the end of the streamed document
      expect(a.headers.connection).toBe("close");
    }
    expect(partial.received()).toMatch(/^HTTP\/1\.1 503 /);
    expect(partial.received()).toMatch(/\r\nConnection: close\r\n/i);
    expect(partial.received()).toMatch(/draining$/);
    // Idle keep-alive connections were closed at once, not reset later.
    expect(idleClosedBy.every((t) => t !== undefined && t - signalled < 1_000)).toBe(true);
    expect(idle.map((c) => c.error())).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
    expect(app.output()).not.toMatch(/driver has already been destroyed|Error:/);
    figure(`shutdown (PostgreSQL): 20 pages held by a lock 1.5 s past SIGTERM all answered 200; exited 0 ${at - signalled} ms after SIGTERM (${at - released} ms after the lock was released)`);
  });

  it("on PGlite: SIGTERM during 20 concurrent page loads answers every one and exits 0 within 10 s", async () => {
    const data = opsPgliteDir();
    cleanup.push(data.remove);
    const app = await startApp({ DATA_DIR: data.dir });
    cleanup.push(app.kill);
    const agent = await warmAgent(app, 20);
    cleanup.push(() => agent.destroy());

    const pages = ["/", "/?sort=top", "/?sort=new", "/roadmap", "/in-action", "/?sort=discussed"];
    const inFlight = Array.from({ length: 20 }, (_, i) => get(app.base, pages[i % pages.length]!, { agent, timeoutMs: 15_000 }));
    await sleep(100);
    const signalled = Date.now();
    app.child.kill("SIGTERM");
    const answers = await Promise.all(inFlight);
    const { code, at } = await app.exited;

    expect(tallyStatuses(answers)).toEqual({ 200: 20 });
    for (const a of answers) expect(a.body).toContain("streamController.close()");
    // The signal really came while pages were being served.
    const finishedAfter = answers.filter((a) => a.started + a.ms > signalled).length;
    expect(finishedAfter).toBeGreaterThanOrEqual(5);
    expect(await refused(app.port)).toBe(true);
    expect(code).toBe(0);
    expect(at - signalled).toBeLessThan(10_000);
    figure(`shutdown (PGlite): ${finishedAfter} of 20 pages finished after SIGTERM, all 200; exited 0 ${at - signalled} ms after SIGTERM`);
  });
});
