// Settings, categories and tags as the server process keeps them (reference-cache.server.ts):
// read once per data version, and read afresh at once after a change made in this process.
import { beforeAll, describe, expect, it } from "vitest";
import { referenceCache } from "../../app/lib/reference-cache.server";
import { createCategory, createTag, readCategories, readTags, renameCategory } from "../../app/models/catalog/catalog.server";
import { getSettings, readSettings, updateSettings } from "../../app/models/settings/settings.server";
import type { Actor } from "../../app/models/policy";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { makeMember } from "../support/factories";

let t: TestDatabase;
let admin: Actor;

beforeAll(async () => {
  t = await useTestDatabase();
  admin = await makeMember(t.db, { role: "admin" });
});

describe("the reference cache over the database", () => {
  it("serves settings from memory until the data version moves", async () => {
    referenceCache.setVersion("test-1");
    const first = await readSettings(t.db, referenceCache);
    // A change made by hand (no event, another process's view): not seen under the same version…
    await t.db.insertInto("settings").values({ key: "site_name", value: JSON.stringify("Changed by hand") })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: JSON.stringify("Changed by hand") })).execute();
    expect((await readSettings(t.db, referenceCache)).site_name).toBe(first.site_name);
    // …and seen once the version moves (the server reads it every second).
    referenceCache.setVersion("test-2");
    expect((await readSettings(t.db, referenceCache)).site_name).toBe("Changed by hand");
  });

  it("shows a settings change saved in this process on the very next read", async () => {
    referenceCache.setVersion("test-3");
    const before = await readSettings(t.db, referenceCache);
    await updateSettings(t.db, admin, { ...(await getSettings(t.db)), site_name: "Saved Through The Form" });
    expect(before.site_name).not.toBe("Saved Through The Form");
    expect((await readSettings(t.db, referenceCache)).site_name).toBe("Saved Through The Form");
  });

  it("shows a new or renamed category and a new tag at once", async () => {
    referenceCache.setVersion("test-4");
    const before = await readCategories(t.db, referenceCache);
    await readTags(t.db, referenceCache);
    const category = await createCategory(t.db, admin, { name: "Reference Cache Test", description: "" });
    expect(before.some((c) => c.slug === category.slug)).toBe(false);
    expect((await readCategories(t.db, referenceCache)).some((c) => c.slug === category.slug)).toBe(true);
    await renameCategory(t.db, admin, { slug: category.slug, name: "Renamed Category", description: "Now described" });
    expect((await readCategories(t.db, referenceCache)).find((c) => c.slug === category.slug)?.name).toBe("Renamed Category");
    const tag = await createTag(t.db, admin, { name: "cache-test-tag" });
    expect((await readTags(t.db, referenceCache)).some((x) => x.slug === tag.slug)).toBe(true);
  });
});

describe("the page frame's standing", () => {
  it("is read once per data version, and afresh after the member's own change", async () => {
    const { pageFrame } = await import("../../app/models/page-frame.server");
    const { resolveSession, startSession } = await import("../../app/lib/auth.server");
    const { standingKey } = await import("../../app/lib/reference-cache.server");
    const member = await makeMember(t.db);
    const cookie = (await startSession(t.db, member.id)).split(";")[0]!;
    const { member: current } = await resolveSession(t.db, cookie);
    expect(current?.unread).toBe(0); // read with the session

    referenceCache.setVersion("standing-1");
    const first = await pageFrame(t.db, current, referenceCache);
    t.queries.reset();
    const again = await pageFrame(t.db, current, referenceCache);
    expect(t.queries.count).toBe(0); // settings and standing from memory
    expect(again.member?.rank).toEqual(first.member?.rank);

    // Points given by hand (no event): not seen under the same version, seen once it moves…
    await t.db.updateTable("member_scores").set({ points: 40 }).where("scope", "=", "all").where("member_id", "=", member.id).execute();
    expect((await pageFrame(t.db, current, referenceCache)).member?.rank?.points).toBe(first.member?.rank?.points);
    referenceCache.setVersion("standing-2");
    expect((await pageFrame(t.db, current, referenceCache)).member?.rank?.points).toBe(40);

    // …and at once when the server forgets it after the member's own change (app/server.ts).
    await t.db.updateTable("member_scores").set({ points: 41 }).where("scope", "=", "all").where("member_id", "=", member.id).execute();
    referenceCache.forget(standingKey(member.id));
    expect((await pageFrame(t.db, current, referenceCache)).member?.rank?.points).toBe(41);
  });
});
