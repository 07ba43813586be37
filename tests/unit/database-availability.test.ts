import { describe, expect, it } from "vitest";
import { DatabaseAvailability, databaseUnavailable, isDatabaseUnavailable, tooLargePage, unavailablePage } from "../../app/lib/availability.server";
import { isConnectionError, isPoolWaitTimeout } from "../../app/lib/db.server";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits (up to 2 s, for a loaded machine) until `check` holds. */
async function until(check: () => boolean) {
  for (let waited = 0; !check(); waited += 5) {
    if (waited > 2_000) throw new Error("condition never held");
    await sleep(5);
  }
}

describe("isConnectionError", () => {
  it("knows the ways a database goes away", () => {
    for (const error of [
      withCode("57P01", "terminating connection due to administrator command"),
      withCode("57P02", "terminating connection due to crash of another server process"),
      withCode("57P03", "the database system is starting up"),
      withCode("08006", "connection failure"),
      withCode("08001"),
      withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"),
      withCode("ECONNRESET", "read ECONNRESET"),
      new Error("Connection terminated unexpectedly"),
      new Error("Connection terminated due to connection timeout"),
      new Error("timeout exceeded when trying to connect"),
      new Error("Client has encountered a connection error and is not queryable"),
      new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], ""),
      new Error("while loading the page", { cause: withCode("57P01") }),
    ]) {
      expect(isConnectionError(error), String(error)).toBe(true);
    }
  });

  it("leaves failing statements alone: constraints, permissions, timeouts, bugs", () => {
    for (const error of [
      withCode("23505", "duplicate key value violates unique constraint"),
      withCode("42501", "permission denied for table events"),
      withCode("57014", "canceling statement due to statement timeout"),
      withCode("40P01", "deadlock detected"),
      new TypeError("Cannot read properties of undefined"),
      null,
      "Connection terminated",
      { status: 404 },
    ]) {
      expect(isConnectionError(error), String(error)).toBe(false);
    }
  });

  it("tells the pool's own queue timing out from a server that does not answer", () => {
    expect(isPoolWaitTimeout(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isPoolWaitTimeout(new Error("Connection terminated due to connection timeout"))).toBe(false);
  });
});

function probeThat(results: ("ok" | "fail" | "hang")[]) {
  let calls = 0;
  const probe = async () => {
    const result = results[Math.min(calls++, results.length - 1)];
    if (result === "fail") throw withCode("ECONNREFUSED");
    if (result === "hang") await new Promise(() => {});
  };
  return { probe, calls: () => calls };
}

describe("DatabaseAvailability", () => {
  it("stays up when one connection dropped but the server still answers", async () => {
    const lines: string[] = [];
    const { probe, calls } = probeThat(["ok"]);
    const availability = new DatabaseAvailability(probe, { intervalMs: 10, log: (l) => lines.push(l) });
    availability.report(withCode("57P01"));
    expect(availability.up).toBe(true);
    await until(() => calls() === 1);
    await sleep(30);
    expect(availability.up).toBe(true);
    expect(calls()).toBe(1);
    expect(lines).toEqual([]);
  });

  it("goes down when the probe fails too, probes until it answers, then comes back up", async () => {
    const lines: string[] = [];
    const { probe, calls } = probeThat(["fail", "fail", "fail", "ok"]);
    const availability = new DatabaseAvailability(probe, { intervalMs: 10, log: (l) => lines.push(l) });
    availability.report(withCode("57P03", "the database system is shutting down"));
    await until(() => !availability.up);
    // More reports while down change nothing and start no extra probes.
    availability.report(withCode("ECONNREFUSED"));
    await until(() => availability.up);
    expect(calls()).toBe(4);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/unreachable .*ECONNREFUSED/);
    expect(lines[1]).toMatch(/reachable again after/);
  });

  it("counts a probe that does not answer in time as a failure", async () => {
    const { probe } = probeThat(["hang"]);
    const availability = new DatabaseAvailability(probe, { intervalMs: 10, timeoutMs: 20, log: () => {} });
    availability.report(new Error("Connection terminated unexpectedly"));
    await until(() => !availability.up);
    availability.stop();
  });

  it("stops probing when stopped (shutdown)", async () => {
    const { probe, calls } = probeThat(["fail"]);
    const availability = new DatabaseAvailability(probe, { intervalMs: 10, log: () => {} });
    availability.report(withCode("ECONNREFUSED"));
    await until(() => calls() >= 2);
    availability.stop();
    const seen = calls();
    await sleep(40);
    expect(calls()).toBe(seen);
  });
});

describe("the 503 answer", () => {
  it("is a small page that says what happened and when to come back, with no script", () => {
    const page = unavailablePage();
    expect(page).toContain("can&#39;t reach its database right now; try again in a few seconds");
    expect(page).not.toContain("<script");
    const thrown = databaseUnavailable();
    expect(isDatabaseUnavailable({ status: thrown.init?.status, data: thrown.data })).toBe(true);
    expect(isDatabaseUnavailable({ status: 503, data: { message: "other" } })).toBe(false);
  });
});

describe("the 413 page a browser's form gets", () => {
  it("says the limit and links back to the form", () => {
    const photo = tooLargePage("/account", 2 * 1024 * 1024 + 64 * 1024);
    expect(photo).toContain("<h1>That photo is too large</h1>");
    expect(photo).toContain("at most 2 MB");
    expect(photo).toContain('<a href="/account">Back to your account</a>');
    const form = tooLargePage("/ideas/new", 256 * 1024);
    expect(form).toContain("at most 256 KB");
    expect(form).toContain('<a href="/ideas/new">Go back to the form</a>');
    expect(form).not.toContain("<script");
  });

  it("escapes the address it links back to", () => {
    const page = tooLargePage('/x"><script>alert(1)</script>', 1024);
    expect(page).not.toContain("<script>");
    expect(page).toContain("&quot;&gt;&lt;script&gt;");
  });
});
