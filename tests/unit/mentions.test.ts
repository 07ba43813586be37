import { afterAll, describe, expect, it } from "vitest";
import { closeMarkdownRenderer, renderMarkdownSync } from "../../app/lib/markdown.server";
import { mentionedHandles, MAX_MENTIONS } from "../../app/models/discussion/mentions";
import { assertOnlyAllowedMarkup } from "./markdown-corpus";

afterAll(() => closeMarkdownRenderer());

describe("mentionedHandles", () => {
  it("finds @handles in text, once each, lowercased", () => {
    expect(mentionedHandles("Thanks @kate_m and @Priya! Also @kate_m again.")).toEqual(["kate_m", "priya"]);
    expect(mentionedHandles("@sam_lee at the start, (@omar) in brackets, @jo")).toEqual(["sam_lee", "omar"]);
  });

  it("ignores e-mail addresses, code and quotes", () => {
    expect(mentionedHandles("Write to kate@example.com or x.@dots")).toEqual([]);
    expect(mentionedHandles("Use `@inline_code` here")).toEqual([]);
    expect(mentionedHandles("```\n@fenced_code\n```\nbut @outside")).toEqual(["outside"]);
    expect(mentionedHandles("~~~js\n@tilde_fence\n~~~")).toEqual([]);
    expect(mentionedHandles("    @indented_code")).toEqual([]);
    expect(mentionedHandles("> @quoted_person said so\n\nI agree, @replier")).toEqual(["replier"]);
  });

  it("stops at a limit", () => {
    const many = Array.from({ length: 50 }, (_, i) => `@member_${i}`).join(" ");
    expect(mentionedHandles(many)).toHaveLength(MAX_MENTIONS);
  });
});

describe("rendering mentions", () => {
  it("links @handle to the member page, not inside code or addresses, and stays safe", () => {
    const html = renderMarkdownSync("Hi @Kate_M, see `@not_me` and kate@example.com");
    expect(html).toContain('<a href="/members/kate_m" rel="nofollow ugc noopener">@kate_m</a>');
    expect(html).toContain("<code>@not_me</code>");
    expect(html).not.toContain('href="/members/example');
    assertOnlyAllowedMarkup(renderMarkdownSync('@kate_m"><script>alert(1)</script> @x_y_z<img src=x onerror=alert(1)>'));
  });
});
