import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { IDEA_STATUSES } from "../../db/schema";
import { CLOSED_STATUSES, ideaPath, isVotingOpen, slugify } from "../../app/models/ideas/idea";
import { ideaFormSchema, listQuerySchema, voteSchema } from "../../app/models/ideas/schemas.server";

function issues(schema: z.ZodTypeAny, input: unknown): { path: string; message: string }[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

const validIdea = { title: "Dark mode for the app", body: "Please.", category: "ux-design" };

describe("ideaFormSchema", () => {
  it("accepts a valid idea and collapses the title", () => {
    expect(ideaFormSchema.parse({ ...validIdea, title: "  Dark   mode\n for the  app " })).toEqual(validIdea);
  });

  it("accepts titles of exactly 8 and 120 characters", () => {
    expect(ideaFormSchema.parse({ ...validIdea, title: "12345678" }).title).toBe("12345678");
    expect(ideaFormSchema.parse({ ...validIdea, title: "t".repeat(120) }).title).toHaveLength(120);
  });

  it("refuses a title shorter than 8 characters after whitespace collapse", () => {
    expect(issues(ideaFormSchema, { ...validIdea, title: "  a  b  c  d  " })).toEqual([
      { path: "title", message: "Title needs at least 8 characters." },
    ]);
  });

  it("accepts a title that is only short enough after collapsing", () => {
    const title = `${"a".repeat(60)}${" ".repeat(100)}${"b".repeat(59)}`;
    expect(ideaFormSchema.parse({ ...validIdea, title }).title).toHaveLength(120);
  });

  it("refuses a title longer than 120 characters", () => {
    expect(issues(ideaFormSchema, { ...validIdea, title: "t".repeat(121) })).toEqual([
      { path: "title", message: "Title can be at most 120 characters." },
    ]);
  });

  it("accepts an empty body and a body of 10000 characters", () => {
    expect(ideaFormSchema.parse({ ...validIdea, body: "   " }).body).toBe("");
    expect(ideaFormSchema.parse({ ...validIdea, body: "b".repeat(10_000) }).body).toHaveLength(10_000);
  });

  it("refuses a body over 10000 characters", () => {
    expect(issues(ideaFormSchema, { ...validIdea, body: "b".repeat(10_001) })).toEqual([
      { path: "body", message: "Description can be at most 10,000 characters." },
    ]);
  });

  it("requires a body field", () => {
    expect(issues(ideaFormSchema, { title: validIdea.title, category: "ux" })).toEqual([
      { path: "body", message: "Description is required." },
    ]);
  });

  it.each(["ux", "a", "ux-design-2", "0", "a".repeat(40)])("accepts category slug %j", (category) => {
    expect(ideaFormSchema.parse({ ...validIdea, category }).category).toBe(category);
  });

  it.each(["", "UX", "ux design", "ux_design", "ux/design", "é", "a".repeat(41), " ux"])(
    "refuses category %j",
    (category) => {
      expect(issues(ideaFormSchema, { ...validIdea, category })).toEqual([
        { path: "category", message: "Choose a category." },
      ]);
    },
  );

  it("requires a category", () => {
    expect(issues(ideaFormSchema, { title: validIdea.title, body: "" })).toEqual([
      { path: "category", message: "Choose a category." },
    ]);
  });
});

describe("voteSchema", () => {
  it.each(["up", "down", "none"])("accepts value %j", (value) => {
    expect(voteSchema.parse({ intent: "vote", value })).toEqual({ intent: "vote", value });
  });

  it("refuses another value with its message", () => {
    expect(issues(voteSchema, { intent: "vote", value: "sideways" })).toEqual([
      { path: "value", message: "A vote is up, down or none." },
    ]);
    expect(issues(voteSchema, { intent: "vote" })).toEqual([{ path: "value", message: "A vote is up, down or none." }]);
  });

  it("refuses another intent", () => {
    expect(issues(voteSchema, { intent: "comment", value: "up" }).map((i) => i.path)).toEqual(["intent"]);
  });
});

describe("listQuerySchema", () => {
  it("fills the defaults", () => {
    expect(listQuerySchema.parse({})).toEqual({ sort: "trending", period: "all", limit: 20 });
  });

  it("accepts every known sort and period", () => {
    for (const sort of ["trending", "top", "new", "discussed"]) {
      expect(listQuerySchema.parse({ sort }).sort).toBe(sort);
    }
    for (const period of ["week", "month", "all"]) {
      expect(listQuerySchema.parse({ period }).period).toBe(period);
    }
  });

  it("coerces limit from a string", () => {
    expect(listQuerySchema.parse({ limit: "1" }).limit).toBe(1);
    expect(listQuerySchema.parse({ limit: "50" }).limit).toBe(50);
  });

  it.each([
    ["0", "Page size must be at least 1."],
    ["51", "Page size can be at most 50."],
    ["abc", "Page size must be a number."],
    ["1e9", "Page size can be at most 50."],
    [1e9, "Page size can be at most 50."],
    ["2.5", "Page size must be a whole number."],
    ["-5", "Page size must be at least 1."],
  ])("rejects limit %j", (limit, message) => {
    expect(issues(listQuerySchema, { limit })).toEqual([{ path: "limit", message }]);
  });

  it.each(["hot", "TOP", "", "best"])("rejects sort %j", (sort) => {
    expect(issues(listQuerySchema, { sort }).map((i) => i.path)).toEqual(["sort"]);
  });

  it("rejects an unknown period and status", () => {
    expect(issues(listQuerySchema, { period: "year" }).map((i) => i.path)).toEqual(["period"]);
    expect(issues(listQuerySchema, { status: "closed" }).map((i) => i.path)).toEqual(["status"]);
  });

  it("accepts a known status and category", () => {
    expect(listQuerySchema.parse({ status: "planned", category: "mobile-app" })).toMatchObject({
      status: "planned",
      category: "mobile-app",
    });
  });

  it("rejects a malformed category", () => {
    expect(issues(listQuerySchema, { category: "Mobile App" })).toEqual([
      { path: "category", message: "Unknown category." },
    ]);
  });

  it("trims and collapses q", () => {
    expect(listQuerySchema.parse({ q: "  dark \n  mode  " }).q).toBe("dark mode");
  });

  it("allows q of 200 characters and refuses 201", () => {
    expect(listQuerySchema.parse({ q: "q".repeat(200) }).q).toHaveLength(200);
    expect(issues(listQuerySchema, { q: "q".repeat(201) })).toEqual([
      { path: "q", message: "Search text can be at most 200 characters." },
    ]);
  });

  it("measures q after trimming", () => {
    expect(listQuerySchema.parse({ q: `   ${"q".repeat(200)}   ` }).q).toHaveLength(200);
  });

  it("limits the cursor to 200 characters", () => {
    expect(listQuerySchema.parse({ cursor: "c".repeat(200) }).cursor).toHaveLength(200);
    expect(issues(listQuerySchema, { cursor: "c".repeat(201) })).toEqual([
      { path: "cursor", message: "Invalid page cursor." },
    ]);
  });
});

describe("slugify", () => {
  it.each([
    ["Dark mode, please!", "dark-mode-please"],
    ["Crème brûlée à la carte", "creme-brulee-a-la-carte"],
    ["Ångström Über Café naïve", "angstrom-uber-cafe-naive"],
    ["  --Hello__World--  ", "hello-world"],
    ["C++ & C# support?", "c-c-support"],
    ["Version 2.0 (beta)", "version-2-0-beta"],
    ["", "idea"],
    ["!!!", "idea"],
    ["日本語のアイデア", "idea"],
  ])("slugify(%j) is %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it("cuts at 60 characters", () => {
    expect(slugify("a".repeat(100))).toBe("a".repeat(60));
  });

  it("does not end in a hyphen after cutting", () => {
    const slug = slugify(`${"a".repeat(59)} bbbbb`);
    expect(slug).toBe("a".repeat(59));
  });

  it("only contains [a-z0-9-] and never starts or ends with a hyphen", () => {
    for (const title of ["¿Qué tal?", "Ünïcödé — everywhere…", "x".repeat(70) + "!", "  ok  ", "A/B testing"]) {
      const slug = slugify(title);
      expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(slug.length).toBeLessThanOrEqual(60);
    }
  });
});

describe("ideaPath", () => {
  it("joins the id and the slug", () => {
    expect(ideaPath({ id: 42, title: "Dark mode, please!" })).toBe("/ideas/42-dark-mode-please");
  });
  it("falls back to \"idea\" for a title with no letters", () => {
    expect(ideaPath({ id: 7, title: "???" })).toBe("/ideas/7-idea");
  });
});

describe("isVotingOpen", () => {
  const expected = {
    new: true,
    under_review: true,
    planned: true,
    in_progress: true,
    adopted: false,
    declined: false,
    duplicate: false,
  } as const;

  it.each(Object.entries(expected))("status %s: voting open is %s", (status, open) => {
    expect(isVotingOpen(status as keyof typeof expected)).toBe(open);
  });

  it("covers every status", () => {
    expect(Object.keys(expected).sort()).toEqual([...IDEA_STATUSES].sort());
    expect([...CLOSED_STATUSES].sort()).toEqual(["adopted", "declined", "duplicate"]);
  });
});
