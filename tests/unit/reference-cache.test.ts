import { describe, expect, it } from "vitest";
import { ReferenceCache, uncachedReference } from "../../app/lib/reference-cache.server";

/** A loader that counts its calls and answers `value`. */
function counter<T>(value: () => T) {
  const calls = { n: 0 };
  const load = async () => {
    calls.n++;
    return value();
  };
  return { calls, load };
}

describe("reference cache", () => {
  it("loads once per data version and shares the load between concurrent readers", async () => {
    const cache = new ReferenceCache(60_000);
    cache.setVersion("10");
    const { calls, load } = counter(() => ({ name: "Harbor" }));
    const [a, b] = await Promise.all([cache.get("settings", load), cache.get("settings", load)]);
    expect(a).toBe(b);
    expect(await cache.get("settings", load)).toBe(a);
    expect(calls.n).toBe(1);
  });

  it("loads again once the data version changes, and not when it is the same", async () => {
    const cache = new ReferenceCache(60_000);
    let name = "before";
    const { calls, load } = counter(() => name);
    cache.setVersion("1");
    expect(await cache.get("k", load)).toBe("before");
    cache.setVersion("1");
    name = "after";
    expect(await cache.get("k", load)).toBe("before");
    cache.setVersion("2");
    expect(await cache.get("k", load)).toBe("after");
    expect(calls.n).toBe(2);
  });

  it("drops an entry after its age and on clear()", async () => {
    const cache = new ReferenceCache(5_000);
    const { calls, load } = counter(() => "v");
    await cache.get("k", load, 1_000);
    await cache.get("k", load, 6_000); // 5 s old: still served
    expect(calls.n).toBe(1);
    await cache.get("k", load, 6_001);
    expect(calls.n).toBe(2);
    cache.clear();
    await cache.get("k", load, 6_002);
    expect(calls.n).toBe(3);
  });

  it("keeps no failed load: the next reader tries again", async () => {
    const cache = new ReferenceCache(60_000);
    let fail = true;
    const load = async () => {
      if (fail) throw new Error("connection lost");
      return "ok";
    };
    await expect(cache.get("k", load)).rejects.toThrow("connection lost");
    fail = false;
    expect(await cache.get("k", load)).toBe("ok");
  });

  it("keeps each key apart", async () => {
    const cache = new ReferenceCache(60_000);
    expect(await cache.get("a", async () => 1)).toBe(1);
    expect(await cache.get("b", async () => 2)).toBe(2);
    expect(await cache.get("a", async () => 3)).toBe(1);
  });

  it("forgets one entry on demand and stays bounded in entries", async () => {
    const cache = new ReferenceCache(60_000, 3);
    await cache.get("standing:1", async () => 10);
    await cache.get("standing:2", async () => 20);
    cache.forget("standing:1");
    expect(await cache.get("standing:1", async () => 11)).toBe(11);
    expect(await cache.get("standing:2", async () => 21)).toBe(20);
    await cache.get("standing:3", async () => 30);
    // A fourth key past the bound starts afresh: nothing older is served.
    expect(await cache.get("standing:4", async () => 40)).toBe(40);
    expect(await cache.get("standing:2", async () => 22)).toBe(22);
  });

  it("reads through when uncached (tests, scripts)", async () => {
    const { calls, load } = counter(() => "x");
    await uncachedReference.get("k", load);
    await uncachedReference.get("k", load);
    expect(calls.n).toBe(2);
  });
});
