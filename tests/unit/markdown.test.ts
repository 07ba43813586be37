import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  closeMarkdownRenderer,
  configureMarkdownRenderer,
  renderMarkdown,
  renderMarkdownSync,
  renderPlainText,
  type MarkdownFallback,
} from "../../app/lib/markdown.server";
import { guardStructure, MAX_NESTING, MAX_TABLE_CELLS } from "../../app/lib/markdown-render.server";
import { assertOnlyAllowedMarkup, XSS_PAYLOADS } from "./markdown-corpus";
import { IDEAS, type SeedComment } from "../../db/seed-data";

const comments = (list: SeedComment[] | undefined): string[] => (list ?? []).flatMap((c) => [c.body, ...comments(c.replies)]);

// Every render in this file must be a real Markdown render, not the plain-text fallback.
const fallbacks: MarkdownFallback[] = [];
beforeAll(() => configureMarkdownRenderer({ onFallback: (f) => fallbacks.push(f) }));
afterEach(() => {
  expect(fallbacks.splice(0)).toEqual([]);
});
afterAll(() => closeMarkdownRenderer());

describe("renderMarkdown: XSS payloads", () => {
  it("has at least 20 payloads", () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(XSS_PAYLOADS)("neutralises %j", async (payload) => {
    const html = await renderMarkdown(payload);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+\s*=/i);
    expect(html).not.toMatch(/<(iframe|style|form|img|svg|object|embed|input|meta|base|details|math|video|source|body)\b/i);
    for (const m of html.matchAll(/\s(?:href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)) {
      const url = m[1]!.replace(/^["']|["']$/g, "");
      expect(url).not.toMatch(/^\s*(javascript|data|vbscript):/i);
      expect(url).toMatch(/^(https?:|mailto:)/);
    }
    // Inside the markup (text such as "javascript:alert(1)" shown as words is harmless).
    const markup = (html.match(/<[^>]*>/g) ?? []).join("");
    expect(markup).not.toMatch(/javascript:|vbscript:|data:text/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    assertOnlyAllowedMarkup(html);
  });

  it("drops a javascript: href but keeps the member's link text", async () => {
    expect(await renderMarkdown("[x](javascript:alert(1))")).toBe('<p><a rel="nofollow ugc noopener">x</a></p>\n');
    expect(await renderMarkdown("<a href=\"javascript:alert(1)\">x</a>")).toBe('<p><a rel="nofollow ugc noopener">x</a></p>\n');
  });

  it("removes script content entirely, not just the tags", async () => {
    expect(await renderMarkdown("<script>alert(1)</script>")).toBe("");
    expect(await renderMarkdown("before\n\n<script>alert(1)</script>\n\nafter")).not.toContain("alert");
  });

  it("keeps a safe href but strips the event handler", async () => {
    expect(await renderMarkdown("<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>")).toBe(
      '<p><a href="https://ok.example" rel="nofollow ugc noopener">x</a></p>\n',
    );
  });

  it("escapes broken nested script tags into text", async () => {
    const html = await renderMarkdown("<scr<script>ipt>alert(1)</script>");
    expect(html).toBe("<p>&lt;scr</p>\n");
  });
});

describe("renderMarkdown: formatting", () => {
  it("renders bold and emphasis", async () => {
    expect(await renderMarkdown("**bold** and *em*")).toBe("<p><strong>bold</strong> and <em>em</em></p>\n");
  });

  it("renders strikethrough", async () => {
    expect(await renderMarkdown("~~gone~~")).toBe("<p><del>gone</del></p>\n");
  });

  it("renders unordered and ordered lists, keeping the start number", async () => {
    expect(await renderMarkdown("- a\n- b")).toBe("<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    expect(await renderMarkdown("3. x\n4. y")).toBe('<ol start="3">\n<li>x</li>\n<li>y</li>\n</ol>\n');
  });

  it("renders fenced code blocks with their HTML escaped", async () => {
    expect(await renderMarkdown("```\ncode <b>x</b>\n```")).toBe("<pre><code>code &lt;b&gt;x&lt;/b&gt;\n</code></pre>\n");
  });

  it("drops the language class of a fenced code block (class is not allowed)", async () => {
    expect(await renderMarkdown("```js\nlet a = 1;\n```")).toBe("<pre><code>let a = 1;\n</code></pre>\n");
  });

  it("renders inline code", async () => {
    expect(await renderMarkdown("use `npm test`")).toBe("<p>use <code>npm test</code></p>\n");
  });

  it("adds rel=\"nofollow ugc noopener\" to http, https and mailto links", async () => {
    expect(await renderMarkdown("[l](http://e.example)")).toBe(
      '<p><a href="http://e.example" rel="nofollow ugc noopener">l</a></p>\n',
    );
    expect(await renderMarkdown("<https://e.example/a?b=1>")).toBe(
      '<p><a href="https://e.example/a?b=1" rel="nofollow ugc noopener">https://e.example/a?b=1</a></p>\n',
    );
    expect(await renderMarkdown("[m](mailto:a@e.example)")).toBe(
      '<p><a href="mailto:a@e.example" rel="nofollow ugc noopener">m</a></p>\n',
    );
  });

  it("overrides a rel the author supplied", async () => {
    expect(await renderMarkdown('<a href="https://e.example" rel="opener">x</a>')).toBe(
      '<p><a href="https://e.example" rel="nofollow ugc noopener">x</a></p>\n',
    );
  });

  it("keeps a link title", async () => {
    expect(await renderMarkdown('[l](https://e.example "Title")')).toBe(
      '<p><a href="https://e.example" title="Title" rel="nofollow ugc noopener">l</a></p>\n',
    );
  });

  it("autolinks bare URLs with rel", async () => {
    expect(await renderMarkdown("see https://auto.example")).toBe(
      '<p>see <a href="https://auto.example" rel="nofollow ugc noopener">https://auto.example</a></p>\n',
    );
  });

  it("demotes h1 to h3 and h2 to h4", async () => {
    expect(await renderMarkdown("# Big")).toBe("<h3>Big</h3>\n");
    expect(await renderMarkdown("## Less")).toBe("<h4>Less</h4>\n");
    expect(await renderMarkdown("#### Four")).toBe("<h4>Four</h4>\n");
    expect(await renderMarkdown("# Big")).not.toMatch(/<h1|<h2/);
  });

  it("turns single line breaks into <br />", async () => {
    expect(await renderMarkdown("a\nb")).toBe("<p>a<br />b</p>\n");
  });

  it("renders a table with alignment", async () => {
    expect(await renderMarkdown("| a | b |\n|---|:-:|\n| 1 | 2 |")).toBe(
      "<table>\n<thead>\n<tr>\n<th>a</th>\n<th align=\"center\">b</th>\n</tr>\n</thead>\n" +
        "<tbody><tr>\n<td>1</td>\n<td align=\"center\">2</td>\n</tr>\n</tbody></table>\n",
    );
  });

  it("renders blockquotes and horizontal rules", async () => {
    expect(await renderMarkdown("> quoted")).toBe("<blockquote>\n<p>quoted</p>\n</blockquote>\n");
    expect(await renderMarkdown("a\n\n---\n\nb")).toBe("<p>a</p>\n<hr />\n<p>b</p>\n");
  });

  it("escapes angle brackets and ampersands in plain text", async () => {
    expect(await renderMarkdown("1 < 2 & 3 > 2")).toBe("<p>1 &lt; 2 &amp; 3 &gt; 2</p>\n");
  });

  it("renders an empty source as an empty string", async () => {
    expect(await renderMarkdown("")).toBe("");
  });
});

/** Ordinary Markdown, rendered the same way everywhere. */
const ORDINARY = [
  "**bold** and *em*",
  "- a\n- b\n\n1. one\n2. two",
  "> quoted\n> > twice",
  "| a | b |\n|---|:-:|\n| 1 | 2 |",
  "```js\nlet a = 1 < 2;\n```",
  "# Big\n\n## Less\n\ntext with a [link](https://e.example) and https://auto.example",
  "line one\nline two\n\nnext paragraph",
  "",
];

describe("renderMarkdownSync (transitional)", () => {
  it.each([...ORDINARY, ...XSS_PAYLOADS])("renders %j exactly as renderMarkdown does", async (source) => {
    expect(renderMarkdownSync(source)).toBe(await renderMarkdown(source));
  });
});

describe("renderPlainText (the fallback)", () => {
  it("escapes HTML and keeps paragraphs and line breaks", () => {
    expect(renderPlainText("a < b & c > d \"q\" 'r'")).toBe("<p>a &lt; b &amp; c &gt; d &quot;q&quot; &#39;r&#39;</p>\n");
    expect(renderPlainText("one\ntwo\r\nthree\n\n\n  four  \n")).toBe("<p>one<br />two<br />three</p>\n<p>four</p>\n");
  });

  it("makes no links and no formatting", () => {
    expect(renderPlainText("**b** [x](https://e.example) https://auto.example")).toBe(
      "<p>**b** [x](https://e.example) https://auto.example</p>\n",
    );
  });

  it("renders nothing for blank text", () => {
    expect(renderPlainText("")).toBe("");
    expect(renderPlainText(" \n\t\n")).toBe("");
  });

  it("replaces NUL, which PostgreSQL text cannot hold", () => {
    expect(renderPlainText("a\0b")).toBe("<p>a\uFFFDb</p>\n");
  });

  it.each(XSS_PAYLOADS)("shows %j as text only", (payload) => {
    const html = renderPlainText(payload);
    expect(html.replace(/<\/?p>|<br \/>/g, "")).not.toMatch(/[<>]/);
  });

  it("is linear: a megabyte of markup characters takes a fraction of a second", () => {
    const started = performance.now();
    renderPlainText("<&>\n\n".repeat(200_000));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("the nesting guard", () => {
  it.each(ORDINARY)("leaves ordinary Markdown %j alone", (source) => {
    expect(guardStructure(source)).toBe(source);
  });

  it("leaves every idea and comment of the demo community alone", () => {
    const bodies = IDEAS.flatMap((idea) => [idea.body, ...comments(idea.comments)]);
    expect(bodies.length).toBeGreaterThan(300);
    for (const body of bodies) expect(guardStructure(body)).toBe(body);
  });

  it(`keeps ${MAX_NESTING} levels of quotes and shows the rest as text`, async () => {
    const html = await renderMarkdown(`${"> ".repeat(MAX_NESTING + 3)}deep`);
    expect(html.match(/<blockquote>/g)).toHaveLength(MAX_NESTING);
    expect(html).toContain("<p>&gt; &gt; &gt; deep</p>");
  });

  it(`keeps ${MAX_NESTING} levels of list items, bullets or numbers`, async () => {
    const bullets = await renderMarkdown(`${"- ".repeat(MAX_NESTING + 2)}deep`);
    expect(bullets.match(/<ul>/g)).toHaveLength(MAX_NESTING);
    expect(bullets).toContain("<li>- - deep</li>");
    const numbers = await renderMarkdown(`${"1. ".repeat(MAX_NESTING + 1)}deep`);
    expect(numbers.match(/<ol>/g)).toHaveLength(MAX_NESTING);
    expect(numbers).toContain("<li>1. deep</li>");
  });

  it("counts quotes and list markers together, after any indentation", () => {
    const line = `   ${"> - ".repeat(MAX_NESTING)}x`;
    expect(guardStructure(`a\n${line}`)).toBe(`a\n   ${"> - ".repeat(MAX_NESTING / 2)}\\${"> - ".repeat(MAX_NESTING / 2)}x`);
  });

  it("leaves a long thematic break and fenced code alone", async () => {
    const rule = "* ".repeat(40);
    expect(guardStructure(rule)).toBe(rule);
    expect(await renderMarkdown(rule)).toBe("<hr />\n");
    const code = "```\n" + "> ".repeat(40) + "\n```\n~~~~\n" + "- ".repeat(40) + "x\n~~~\n~~~~";
    expect(guardStructure(code)).toBe(code);
  });

  const table = (columns: number, rows: number) =>
    [`|${" h |".repeat(columns)}`, `|${"---|".repeat(columns)}`, ...Array.from({ length: rows }, () => `|${" c |".repeat(columns)}`)].join("\n");

  it("renders tables up to the cell limit as tables", async () => {
    const source = table(10, 99); // 1,000 cells
    expect(guardStructure(source)).toBe(source);
    const html = await renderMarkdown(source);
    expect(html.match(/<td>/g)).toHaveLength(990);
    expect(guardStructure(table(100, MAX_TABLE_CELLS / 100 - 1))).toBe(table(100, MAX_TABLE_CELLS / 100 - 1));
  });

  it("shows a table over the cell limit as text", async () => {
    const source = table(100, MAX_TABLE_CELLS / 100);
    expect(guardStructure(source).split("\n")[1]).toBe(`|\\${"---|".repeat(100)}`);
    expect(await renderMarkdown(source)).not.toContain("<table>");
  });

  it("counts the short lines under a wide header, which GFM pads to its width", async () => {
    const source = `${"|a".repeat(1_000)}|\n${"|-".repeat(1_000)}|\n${"b\n".repeat(3_000)}`;
    const started = performance.now();
    const html = await renderMarkdown(source);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(html).not.toContain("<table>");
    expect(html.length).toBeLessThan(source.length * 4);
  });

  it.each([
    ["a blockquote", "> "],
    ["a list item", "- "],
    ["a quoted list item", "> 1. "],
  ])("shows a table over the cell limit in %s as text", async (_where, prefix) => {
    const header = `${prefix}${"|a".repeat(1_000)}|`;
    const continuation = prefix.startsWith(">") ? "> " : "  ";
    const source = [header, `${continuation}${"|-".repeat(1_000)}|`, ...Array.from({ length: 3_000 }, () => `${continuation}b`)].join("\n");
    const html = await renderMarkdown(source);
    expect(html).not.toContain("<table>");
    expect(html.length).toBeLessThan(source.length * 4);
  });

  it("leaves tables in fenced code alone", () => {
    const code = `\`\`\`\n${table(200, 60)}\n\`\`\``;
    expect(guardStructure(code)).toBe(code);
  });

  it("is linear: three 200,000-character lines of markers take a fraction of a second", () => {
    const started = performance.now();
    guardStructure(`${"> ".repeat(100_000)}\n`.repeat(3));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
