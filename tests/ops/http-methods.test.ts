// Methods the Fetch API cannot represent never reach Remix: TRACE and CONNECT
// are answered 405 with Allow, methods Node's parser does not know (TRACK) 501;
// none is a 500.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppProcess } from "../support/app-process";
import { opsDatabase } from "../support/ops";

let app: AppProcess;
let drop: () => Promise<void>;
beforeAll(async () => {
  const database = await opsDatabase();
  drop = database.drop;
  app = await startApp(database.env);
});
afterAll(async () => {
  await app?.kill();
  await drop?.();
});

/** Sends one raw request and returns the whole answer (the server closes or we stop after the headers and body). */
function raw(port: number, requestLine: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.setEncoding("utf8");
    socket.setTimeout(5_000, () => socket.destroy(new Error("timeout")));
    socket.on("connect", () => socket.write(`${requestLine}\r\nHost: localhost\r\nConnection: close\r\n\r\n`));
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("end", () => resolve(answer));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("HTTP methods outside Fetch", () => {
  for (const line of ["TRACE / HTTP/1.1", "TRACE /ideas/1 HTTP/1.1"]) {
    it(`${line.split(" HTTP")[0]} answers 405 with Allow`, async () => {
      const answer = await raw(app.port, line);
      expect(answer).toMatch(/^HTTP\/1\.1 405 /);
      expect(answer).toMatch(/\r\nAllow: GET, HEAD, POST\r\n/i);
      expect(app.alive()).toBe(true);
    });
  }

  it("TRACK and other methods HTTP does not define answer 501", async () => {
    for (const method of ["TRACK", "FOO"]) {
      const answer = await raw(app.port, `${method} / HTTP/1.1`);
      expect(answer, method).toMatch(/^HTTP\/1\.1 501 /);
    }
    expect(app.alive()).toBe(true);
  });

  it("CONNECT answers 405 with Allow and closes the connection", async () => {
    const answer = await raw(app.port, "CONNECT example.com:443 HTTP/1.1");
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer).toMatch(/\r\nAllow: GET, HEAD, POST\r\n/i);
  });

  it("other methods still reach the app and are never a 500", async () => {
    for (const method of ["OPTIONS", "PUT", "DELETE", "PATCH", "PROPFIND"]) {
      const answer = await raw(app.port, `${method} / HTTP/1.1`);
      expect(answer, method).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
    }
    const page = await raw(app.port, "GET / HTTP/1.1");
    expect(page).toMatch(/^HTTP\/1\.1 200 /);
  });
});
