import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../app/lib/markdown.server";

const ALLOWED_TAGS = new Set([
  "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
  "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
]);
const ALLOWED_ATTRS: Record<string, string[]> = { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] };

const XSS_PAYLOADS: string[] = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
  "<img src=x onerror=alert(1)>",
  "<IMG SRC=\"javascript:alert(1)\">",
  "<svg onload=alert(1)>",
  "<svg><script>alert(1)</script></svg>",
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  "[x](  javascript:alert(1))",
  "[x](<javascript:alert(1)>)",
  "[x][r]\n\n[r]: javascript:alert(1)",
  "[x](javascript&#58;alert(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[x](vbscript:msgbox(1))",
  "[x](VBScript:msgbox(1))",
  "<a href=\"javascript:alert(1)\">x</a>",
  "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
  "<a href=\"javascript&#58;alert(1)\">x</a>",
  "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
  "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
  "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
  "<a href=\"vbscript:msgbox(1)\">x</a>",
  "<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>",
  "<a href=\"https://ok.example\" onmouseover=alert(1)>x</a>",
  "<a href=\"//evil.example\">x</a>",
  "![x](javascript:alert(1))",
  "![x](https://ok.example/a.png)",
  "![x](data:image/svg+xml;base64,PHN2Zy8+)",
  "<iframe src=\"https://evil.example\"></iframe>",
  "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
  "<style>body { background: url(javascript:alert(1)) }</style>",
  "<form action=\"https://evil.example\"><input name=password><button>Go</button></form>",
  "<details open ontoggle=alert(1)>x</details>",
  "<javascript:alert(1)>",
  "<!-- <script>alert(1)</script> -->",
  "<!--><script>alert(1)</script>-->",
  "<scr<script>ipt>alert(1)</scr</script>ipt>",
  "<<script>script>alert(1)<</script>/script>",
  "<object data=\"javascript:alert(1)\"></object>",
  "<embed src=\"javascript:alert(1)\">",
  "<body onload=alert(1)>",
  "<input autofocus onfocus=alert(1)>",
  "<video><source onerror=alert(1)></video>",
  "<math><a xlink:href=\"javascript:alert(1)\">x</a></math>",
  "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
  "<base href=\"javascript:alert(1)//\">",
  "<p style=\"background:url(javascript:alert(1))\">x</p>",
  "**<img src=x onerror=alert(1)>**",
  "- <svg onload=alert(1)>\n- [x](javascript:alert(1))",
  "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
];

/** Every tag and attribute in the output must be on the allow-lists. */
function assertOnlyAllowedMarkup(html: string) {
  for (const match of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>/g)) {
    const tag = match[1]!.toLowerCase();
    expect(ALLOWED_TAGS.has(tag), `tag <${tag}> in ${html}`).toBe(true);
    const attrs = [...match[2]!.matchAll(/([^\s=/]+)\s*=/g)].map((m) => m[1]!.toLowerCase());
    for (const attr of attrs) {
      expect(ALLOWED_ATTRS[tag] ?? [], `attribute ${attr} on <${tag}> in ${html}`).toContain(attr);
    }
  }
}

describe("renderMarkdown: XSS payloads", () => {
  it("has at least 20 payloads", () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(XSS_PAYLOADS)("neutralises %j", (payload) => {
    const html = renderMarkdown(payload);
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

  it("drops a javascript: href but keeps the member's link text", () => {
    expect(renderMarkdown("[x](javascript:alert(1))")).toBe('<p><a rel="nofollow ugc noopener">x</a></p>\n');
    expect(renderMarkdown("<a href=\"javascript:alert(1)\">x</a>")).toBe('<p><a rel="nofollow ugc noopener">x</a></p>\n');
  });

  it("removes script content entirely, not just the tags", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toBe("");
    expect(renderMarkdown("before\n\n<script>alert(1)</script>\n\nafter")).not.toContain("alert");
  });

  it("keeps a safe href but strips the event handler", () => {
    expect(renderMarkdown("<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>")).toBe(
      '<p><a href="https://ok.example" rel="nofollow ugc noopener">x</a></p>\n',
    );
  });

  it("escapes broken nested script tags into text", () => {
    const html = renderMarkdown("<scr<script>ipt>alert(1)</script>");
    expect(html).toBe("<p>&lt;scr</p>\n");
  });
});

describe("renderMarkdown: formatting", () => {
  it("renders bold and emphasis", () => {
    expect(renderMarkdown("**bold** and *em*")).toBe("<p><strong>bold</strong> and <em>em</em></p>\n");
  });

  it("renders strikethrough", () => {
    expect(renderMarkdown("~~gone~~")).toBe("<p><del>gone</del></p>\n");
  });

  it("renders unordered and ordered lists, keeping the start number", () => {
    expect(renderMarkdown("- a\n- b")).toBe("<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    expect(renderMarkdown("3. x\n4. y")).toBe('<ol start="3">\n<li>x</li>\n<li>y</li>\n</ol>\n');
  });

  it("renders fenced code blocks with their HTML escaped", () => {
    expect(renderMarkdown("```\ncode <b>x</b>\n```")).toBe("<pre><code>code &lt;b&gt;x&lt;/b&gt;\n</code></pre>\n");
  });

  it("drops the language class of a fenced code block (class is not allowed)", () => {
    expect(renderMarkdown("```js\nlet a = 1;\n```")).toBe("<pre><code>let a = 1;\n</code></pre>\n");
  });

  it("renders inline code", () => {
    expect(renderMarkdown("use `npm test`")).toBe("<p>use <code>npm test</code></p>\n");
  });

  it("adds rel=\"nofollow ugc noopener\" to http, https and mailto links", () => {
    expect(renderMarkdown("[l](http://e.example)")).toBe(
      '<p><a href="http://e.example" rel="nofollow ugc noopener">l</a></p>\n',
    );
    expect(renderMarkdown("<https://e.example/a?b=1>")).toBe(
      '<p><a href="https://e.example/a?b=1" rel="nofollow ugc noopener">https://e.example/a?b=1</a></p>\n',
    );
    expect(renderMarkdown("[m](mailto:a@e.example)")).toBe(
      '<p><a href="mailto:a@e.example" rel="nofollow ugc noopener">m</a></p>\n',
    );
  });

  it("overrides a rel the author supplied", () => {
    expect(renderMarkdown('<a href="https://e.example" rel="opener">x</a>')).toBe(
      '<p><a href="https://e.example" rel="nofollow ugc noopener">x</a></p>\n',
    );
  });

  it("keeps a link title", () => {
    expect(renderMarkdown('[l](https://e.example "Title")')).toBe(
      '<p><a href="https://e.example" title="Title" rel="nofollow ugc noopener">l</a></p>\n',
    );
  });

  it("autolinks bare URLs with rel", () => {
    expect(renderMarkdown("see https://auto.example")).toBe(
      '<p>see <a href="https://auto.example" rel="nofollow ugc noopener">https://auto.example</a></p>\n',
    );
  });

  it("demotes h1 to h3 and h2 to h4", () => {
    expect(renderMarkdown("# Big")).toBe("<h3>Big</h3>\n");
    expect(renderMarkdown("## Less")).toBe("<h4>Less</h4>\n");
    expect(renderMarkdown("#### Four")).toBe("<h4>Four</h4>\n");
    expect(renderMarkdown("# Big")).not.toMatch(/<h1|<h2/);
  });

  it("turns single line breaks into <br />", () => {
    expect(renderMarkdown("a\nb")).toBe("<p>a<br />b</p>\n");
  });

  it("renders a table with alignment", () => {
    expect(renderMarkdown("| a | b |\n|---|:-:|\n| 1 | 2 |")).toBe(
      "<table>\n<thead>\n<tr>\n<th>a</th>\n<th align=\"center\">b</th>\n</tr>\n</thead>\n" +
        "<tbody><tr>\n<td>1</td>\n<td align=\"center\">2</td>\n</tr>\n</tbody></table>\n",
    );
  });

  it("renders blockquotes and horizontal rules", () => {
    expect(renderMarkdown("> quoted")).toBe("<blockquote>\n<p>quoted</p>\n</blockquote>\n");
    expect(renderMarkdown("a\n\n---\n\nb")).toBe("<p>a</p>\n<hr />\n<p>b</p>\n");
  });

  it("escapes angle brackets and ampersands in plain text", () => {
    expect(renderMarkdown("1 < 2 & 3 > 2")).toBe("<p>1 &lt; 2 &amp; 3 &gt; 2</p>\n");
  });

  it("renders an empty source as an empty string", () => {
    expect(renderMarkdown("")).toBe("");
  });
});
