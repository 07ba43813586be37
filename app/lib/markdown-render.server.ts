// Turning a member's Markdown into safe HTML: the rules, and the worker that applies them.
//
// This file is also the worker thread's entry (see markdown.server.ts and
// docs/decisions/010). Node runs it directly from source by stripping the types,
// so it must stay self-contained: no relative imports (Node would need explicit
// ".ts" extensions), only erasable TypeScript (no enums, namespaces or parameter
// properties) and `import type` for anything that is only a type.
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { isMainThread, workerData, type MessagePort } from "node:worker_threads";
import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

/** Thrown while rendering when the HTML would be out of proportion to the source. */
class TooLarge extends Error {}

// Characters of link and image targets the current render may repeat: a
// reference link costs its URL at every use, so a few definitions used many
// times would multiply a comment into megabytes. Checked on the token tree,
// before any HTML is built. (Rendering is synchronous: one render at a time.)
let linkBudget = 0;

// "@handle" (not inside a word, so "name@example.com" stays an address) links to the
// member's page. Code spans and blocks are tokenized before text, so "@x" in code stays text.
// Keep the pattern in step with app/models/discussion/mentions.ts.
const MENTION_START = /(?:^|[^A-Za-z0-9_@.\/])@[A-Za-z0-9_]{3,30}(?![A-Za-z0-9_])/;
const MENTION = /^@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_@])/;

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  extensions: [
    {
      name: "mention",
      level: "inline",
      start(src: string) {
        const m = MENTION_START.exec(src);
        if (!m) return undefined;
        return m.index + m[0].indexOf("@");
      },
      tokenizer(src: string) {
        const m = MENTION.exec(src);
        return m ? { type: "mention", raw: m[0], handle: m[1]!.toLowerCase() } : undefined;
      },
      renderer(token) {
        const handle = String((token as { handle?: string }).handle ?? "");
        return `<a href="/members/${handle}">@${handle}</a>`;
      },
    },
  ],
  walkTokens(token) {
    if (token.type !== "link" && token.type !== "image") return;
    linkBudget -= token.href.length + (token.title?.length ?? 0);
    if (linkBudget < 0) throw new TooLarge();
  },
});

const ALLOWED_TAGS = [
  "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
  "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
];

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  // A member's top-level heading would compete with the page's own; demote them.
  transformTags: {
    h1: "h3",
    h2: "h4",
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: "nofollow ugc noopener" },
    }),
  },
};

/** Blockquote and list markers one line may open; deeper ones are shown as text. */
export const MAX_NESTING = 16;

/**
 * Rendered HTML may be at most this many times the source (plus a little):
 * ordinary Markdown stays under 8x even for tables of one-letter cells, while a
 * few reference links or a wide table header with many short rows can multiply
 * a comment into megabytes.
 */
const MAX_OUTPUT_RATIO = 16;
const OUTPUT_SLACK = 4096;
const maxOutput = (source: string) => MAX_OUTPUT_RATIO * source.length + OUTPUT_SLACK;

/**
 * Cells one table may have, counting the header row. GFM pads every row to
 * the header's width, so a wide header over many short lines is millions of
 * cells (10,000 characters became 30 MB of HTML and a worker out of memory).
 */
export const MAX_TABLE_CELLS = 10_000;

/** Longer texts are shown as plain text without rendering (callers allow 20,000). */
export const MAX_SOURCE_LENGTH = 50_000;

export type RenderFailure = "too-large" | "error";
type RenderOutcome = { html: string } | { failure: RenderFailure; message: string };

const isBlank = (c: string | undefined) => c === " " || c === "\t";
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** Whether the rest of a line is a thematic break (`* * *`, `---`, `_ _ _`). */
function isThematicBreak(rest: string): boolean {
  const mark = rest[0];
  if (mark !== "-" && mark !== "*" && mark !== "_") return false;
  let count = 0;
  for (const c of rest) {
    if (c === mark) count++;
    else if (!isBlank(c)) return false;
  }
  return count >= 3;
}

/**
 * Where the first container marker beyond MAX_NESTING starts on this line
 * (the character to escape), or -1. Linear in the line's length.
 */
function excessMarkerAt(line: string): number {
  let pos = 0;
  let depth = 0;
  while (pos < line.length) {
    while (isBlank(line[pos])) pos++;
    const c = line[pos];
    let punctuation: number;
    if (c === ">") {
      punctuation = pos;
    } else if ((c === "-" || c === "+" || c === "*") && (pos + 1 === line.length || isBlank(line[pos + 1]))) {
      punctuation = pos;
    } else if (isDigit(c)) {
      let end = pos;
      while (end - pos < 9 && isDigit(line[end])) end++;
      const p = line[end];
      if ((p !== "." && p !== ")") || !(end + 1 === line.length || isBlank(line[end + 1]))) return -1;
      punctuation = end;
    } else {
      return -1;
    }
    depth++;
    if (depth > MAX_NESTING) return isThematicBreak(line.slice(pos)) ? -1 : punctuation;
    pos = punctuation + 1;
  }
  return -1;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const DELIMITER_CELL = /^:?-+:?$/;

/** Where a line's content starts after blockquote and list markers. Linear. */
function contentStart(line: string): number {
  let pos = 0;
  for (;;) {
    while (isBlank(line[pos])) pos++;
    const c = line[pos];
    if (c === ">") {
      pos++;
    } else if ((c === "-" || c === "+" || c === "*") && isBlank(line[pos + 1])) {
      pos += 2;
    } else if (isDigit(c)) {
      let end = pos;
      while (end - pos < 9 && isDigit(line[end])) end++;
      if ((line[end] !== "." && line[end] !== ")") || !isBlank(line[end + 1])) return pos;
      pos = end + 2;
    } else {
      return pos;
    }
  }
}

/** The cells of a GFM table delimiter row (`|---|:-:|`), or 0 if the text is not one. Linear. */
function delimiterCells(line: string): number {
  let text = line.trim();
  if (!text.includes("|") || !text.includes("-")) return 0;
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|")) text = text.slice(0, -1);
  const cells = text.split("|");
  return cells.every((cell) => DELIMITER_CELL.test(cell.trim())) ? cells.length : 0;
}

/**
 * Rewrites, as text, the structures that cost marked more than their length:
 *
 * - nesting: on a line that opens more than MAX_NESTING blockquotes or list
 *   items, the first excess marker is backslash-escaped, so it and the rest of
 *   the line render as the text the member typed (marked recurses once per
 *   level and overflows its stack at about a thousand);
 * - tables of more than MAX_TABLE_CELLS cells: the delimiter row gets a
 *   backslash, so the lines render as text.
 *
 * Lines inside fenced code are left alone. Linear in the source's length.
 */
export function guardStructure(source: string): string {
  if (source.length <= MAX_NESTING * 2) return source;
  const lines = source.split("\n");
  let fence: string | null = null;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const opening = FENCE.exec(line);
    if (fence !== null) {
      const marks = opening?.[1];
      if (marks && marks[0] === fence[0] && marks.length >= fence.length && line.slice(opening[0].length).trim() === "") {
        fence = null;
      }
      continue;
    }
    if (opening) {
      fence = opening[1]!;
      continue;
    }
    // A table may sit in a blockquote or a list item: look past their markers too.
    const start = contentStart(line);
    const columns = i > 0 && lines[i - 1]!.trim() !== "" ? Math.max(delimiterCells(line), delimiterCells(line.slice(start))) : 0;
    if (columns > 0) {
      // The table runs to the next blank line; skip its rows (which keeps this linear).
      let end = i + 1;
      while (end < lines.length && lines[end]!.trim() !== "") end++;
      if (columns * (end - i) > MAX_TABLE_CELLS) {
        const dash = line.indexOf("-", start);
        lines[i] = `${line.slice(0, dash)}\\${line.slice(dash)}`;
        changed = true;
      }
      i = end - 1;
      continue;
    }
    const at = excessMarkerAt(line);
    if (at >= 0) {
      lines[i] = `${line.slice(0, at)}\\${line.slice(at)}`;
      changed = true;
    }
  }
  return changed ? lines.join("\n") : source;
}

/**
 * Renders in the calling thread: marked, then sanitize-html. Fails (instead of
 * throwing) on any error, such as a RangeError from nesting the guard missed,
 * and on output out of proportion to the source.
 */
export function renderHere(source: string): RenderOutcome {
  try {
    if (source.length > MAX_SOURCE_LENGTH) return { failure: "too-large", message: `${source.length} characters of Markdown` };
    const limit = maxOutput(source);
    linkBudget = limit;
    const markup = marked.parse(guardStructure(source)) as string;
    // Checked before sanitising too, so sanitize-html never parses a huge string.
    if (markup.length > limit) return { failure: "too-large", message: `${markup.length} characters of HTML from ${source.length} of Markdown` };
    const html = sanitizeHtml(markup, sanitizeOptions);
    if (html.length > limit) return { failure: "too-large", message: `${html.length} characters of HTML from ${source.length} of Markdown` };
    return { html };
  } catch (error) {
    // (marked appends a "please report" line to the messages of errors it passes on.)
    if (error instanceof TooLarge) return { failure: "too-large", message: "its links would repeat too much text" };
    return { failure: "error", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const escapeHtml = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")
    .replaceAll("\0", "\uFFFD");

/**
 * The member's words as plain paragraphs: HTML-escaped, blank lines between
 * paragraphs, single line breaks kept, no links or formatting. Linear and
 * cannot fail; the fallback when Markdown rendering fails or runs out of time.
 */
export function renderPlainText(source: string): string {
  let html = "";
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) html += `<p>${paragraph.join("<br />")}</p>\n`;
    paragraph = [];
  };
  for (const line of source.split(/\r\n|\r|\n/)) {
    const text = line.trim();
    if (text === "") flush();
    else paragraph.push(escapeHtml(text));
  }
  flush();
  return html;
}

/** Exercises the paths ordinary Markdown takes through marked and sanitize-html. */
const WARM_UP = [
  "# Heading\n\n## Sub *em* **strong** ~~del~~ `code` and a [link](https://e.example \"t\").",
  "Text with https://auto.example, <https://b.example>, mailto:a@e.example and [ref][r].\n\n[r]: https://r.example",
  "- one\n- two\n  1. nested\n  2. list\n\n> a quote\n> > nested\n\n---",
  "```js\nlet a = 1 < 2 && 3 > 2;\n```\n\n| a | b |\n|---|:-:|\n| 1 | 2 |",
  "<a href=\"javascript:x\" onclick=\"y\">raw</a> <script>x</script> <img src=x> & &amp; line\nbreak",
].join("\n\n");

/**
 * Renders yield the CPU to the request thread: on Linux, setpriority() on a
 * thread id changes that thread only (nice 10; no privilege needed to lower
 * one's own priority). Elsewhere, or if refused, the thread keeps the default.
 */
function lowerThisThreadsPriority() {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (threadId > 0) setPriority(threadId, 10);
  } catch {
    // Not Linux: rendering keeps the same priority as requests.
  }
}

/** The marker in workerData that says this thread is a Markdown renderer. */
export const WORKER_ROLE = "groundswell-markdown-renderer";

/** What a renderer worker is started with: its role, and the port to its pool. */
export type RendererWorkerData = { role: typeof WORKER_ROLE; port: MessagePort };
export type RenderRequest = { id: number; source: string };
export type WorkerMessage = { ready: true } | ({ id: number } & RenderOutcome);

// Started as a worker by markdown-workers.server.ts: answer one render at a time.
const data = isMainThread ? null : (workerData as Partial<RendererWorkerData> | null);
if (data?.role === WORKER_ROLE && data.port) {
  const port = data.port;
  lowerThisThreadsPriority();
  port.on("message", (request: RenderRequest) => {
    const outcome: WorkerMessage = { id: request.id, ...renderHere(request.source) };
    port.postMessage(outcome);
  });
  // A fresh worker's first renders run cold (lazy compilation): several times
  // slower, enough to overrun the budget on a crowded machine. Warm up first.
  for (let i = 0; i < 3; i++) renderHere(WARM_UP);
  port.postMessage({ ready: true } satisfies WorkerMessage);
}
