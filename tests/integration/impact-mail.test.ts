import { beforeAll, describe, expect, it } from "vitest";
import { previousMonth, sendImpactMails } from "../../app/models/engagement/impact-mail.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { castVote } from "../../app/models/votes/votes.server";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { makeIdea, makeMember } from "../support/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await useTestDatabase();
});

const impactMails = (memberId: number) =>
  t.db.selectFrom("mail_deliveries").select(["key", "kind", "subject", "text_body"]).where("member_id", "=", memberId).where("kind", "=", "impact").execute();

describe("the monthly impact mail", () => {
  it("previousMonth is the calendar month before, in UTC", () => {
    const m = previousMonth(new Date("2027-01-01T09:00:00Z"));
    expect(m).toEqual({ since: new Date("2026-12-01T00:00:00Z"), until: new Date("2027-01-01T00:00:00Z"), key: "2026-12" });
  });

  it("tells backers of an idea planned last month what their vote did, once, by their choice and only at a confirmed address", async () => {
    const [author, pm, backer, unconfirmed, silent] = await Promise.all([
      makeMember(t.db, { displayName: "Idea Author" }),
      makeMember(t.db, { role: "product_manager", displayName: "Pat PM" }),
      makeMember(t.db, { displayName: "Early Backer" }),
      makeMember(t.db, { displayName: "Not Confirmed", emailVerified: false }),
      makeMember(t.db, { displayName: "Rather Not" }),
    ]);
    const idea = await makeIdea(t.db, author, { title: "Oat milk at every store" });
    for (const m of [backer, unconfirmed, silent]) await castVote(t.db, m, { ideaId: idea.id, value: 1 });
    await t.db.insertInto("mail_preferences").values({ member_id: silent.id, kind: "impact", choice: "off" }).execute();
    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "We are on it." });

    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 9));
    const key = now.toISOString().slice(0, 7);
    expect(await sendImpactMails(t.db, nextMonth)).toBe(1);
    const [mail, ...more] = await impactMails(backer.id);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ key: `impact:${key}:${backer.id}`, subject: "What your votes did last month" });
    expect(mail!.text_body).toContain("1 idea you backed moved to planned, you were among the first 10 supporters of “Oat milk at every store”.");
    expect(await impactMails(unconfirmed.id)).toEqual([]);
    expect(await impactMails(silent.id)).toEqual([]);
    // The author is not told about their own idea's backing; a rerun mails nobody twice.
    expect(await impactMails(author.id)).toEqual([]);
    expect(await sendImpactMails(t.db, nextMonth)).toBe(0);
    expect(await impactMails(backer.id)).toHaveLength(1);
    // The rank it reported is kept for next month's "you climbed … places".
    const row = await t.db.selectFrom("members").select("impact_rank").where("id", "=", backer.id).executeTakeFirstOrThrow();
    expect(row.impact_rank).toBeGreaterThan(0);
    // A month with nothing to say sends nothing.
    expect(await sendImpactMails(t.db, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1, 9)))).toBe(0);
  });
});
