import { describe, expect, it } from "vitest";
import { csvCell, csvRow, describeCriterion, memberRecordKinds } from "../../app/models/listening/listening";
import { cohortCriteriaSchema, criteriaToFields, logInteractionSchema } from "../../app/models/listening/schemas.server";
import { can, type Actor } from "../../app/models/policy";

const actor = (role: Actor["role"], id = 1): Actor => ({ id, role, createdAt: new Date("2026-01-01"), suspendedUntil: null, suspensionReason: null });

describe("CSV cells", () => {
  it("defuses formulas: a cell starting with = + - @ tab or CR gets an apostrophe", () => {
    expect(csvCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("quotes cells with commas, quotes and line breaks, doubling quotes", () => {
    expect(csvCell('Bo, "the" barista')).toBe('"Bo, ""the"" barista"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(null)).toBe("");
    expect(csvRow([1, "a", null])).toBe("1,a,\r\n");
  });
});

describe("who reads and changes the member record", () => {
  it("the product team reads all of it, moderators the moderation side, members nothing", () => {
    expect(memberRecordKinds("admin")).toContain("interaction");
    expect(memberRecordKinds("moderator")).toEqual(["idea", "comment", "flag", "moderation"]);
    expect(memberRecordKinds("member")).toEqual([]);
    expect(can(actor("moderator"), "member_record.read", null).ok).toBe(true);
    expect(can(actor("member"), "member_record.read", null)).toMatchObject({ ok: false, status: 404 });
  });

  it("only the product team logs, records on behalf and builds cohorts, and never about themselves", () => {
    for (const action of ["interaction.log", "on_behalf.record"] as const) {
      expect(can(actor("product_manager"), action, { memberId: 2 }).ok).toBe(true);
      expect(can(actor("product_manager"), action, { memberId: 1 })).toMatchObject({ ok: false, status: 409 });
      expect(can(actor("moderator"), action, { memberId: 2 }).ok).toBe(false);
      expect(can(actor("member"), action, { memberId: 2 }).ok).toBe(false);
    }
    expect(can(actor("moderator"), "cohort.build", null).ok).toBe(false);
    expect(can(actor("admin"), "cohort.message", null).ok).toBe(true);
  });
});

describe("cohort builder fields", () => {
  it("turns filled groups into AND-ed conditions and back", () => {
    const parsed = cohortCriteriaSchema.parse({ tag: "3", min: "2", category: "", days: "30", idea: "", adopted: "on" });
    expect(parsed).toEqual([{ kind: "voted_tag", tagId: 3, min: 2 }, { kind: "adopted_authors" }]);
    expect(criteriaToFields(parsed)).toEqual({ tag: "3", min: "2", adopted: "on" });
    expect(describeCriterion(parsed[0]!, { tags: { 3: "mobile" }, categories: {}, ideas: {} })).toBe("voted for at least 2 ideas tagged “mobile”");
  });

  it("refuses numbers out of range and ids that are not ids", () => {
    expect(cohortCriteriaSchema.safeParse({ tag: "3", min: "0" }).success).toBe(false);
    expect(cohortCriteriaSchema.safeParse({ category: "1", days: "99999" }).success).toBe(false);
    expect(cohortCriteriaSchema.safeParse({ idea: "abc" }).success).toBe(false);
  });

  it("reads linked ideas as at most ten numbers", () => {
    const base = { intent: "log-interaction", channel: "phone", happenedAt: "2026-11-01T10:00", summary: "Hi" };
    expect(logInteractionSchema.parse({ ...base, ideas: "12, #40 and 7, 12" }).ideas).toEqual([12, 40, 7]);
    expect(logInteractionSchema.safeParse({ ...base, ideas: "1 2 3 4 5 6 7 8 9 10 11" }).success).toBe(false);
    expect(logInteractionSchema.safeParse({ ...base, ideas: "twelve" }).success).toBe(false);
  });
});
