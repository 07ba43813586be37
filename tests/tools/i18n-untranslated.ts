// npx tsx tests/tools/i18n-untranslated.ts [--list]: a rough count of UI text in app/**/*.tsx not
// passed through t(): JSX text between tags (">Text<" and text alone on a line) and
// user-facing attributes (aria-label, placeholder, title, label, hint…) given a literal string.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const TEXT = />([^<>{}\n]*[A-Za-z]{2}[^<>{}\n]*)</g;
const ATTR = /\b(aria-label|placeholder|title|label|empty|hint|submitLabel|heading)="([^"]*[A-Za-z]{2}[^"]*)"/g;
// Text mixed with expressions: ">posted {date} by<"; what is left outside the braces has words.
const MIXED = />([^<>\n]*\{[^<>\n]*)</g;
// A literal shown by a conditional: {busy ? "Saving…" : "Save"} (not inside t()).
const CHOICE = /[?:]\s*"([A-Z][a-z][^"]*)"/g;
const LONE = /^\s+([A-Z][A-Za-z ,.'’:;!?-]*[a-z][.:!?]?)\s*$/;

export function untranslated(root = "app"): { path: string; line: number; text: string }[] {
  const found: { path: string; line: number; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".tsx")) {
        readFileSync(path, "utf8").split("\n").forEach((line, i) => {
          const code = line.trim();
          if (line.includes("rich(t(")) return;
          if (code.startsWith("//") || code.startsWith("*") || code.startsWith("{/*") || code.startsWith("import ")) return;
          for (const m of line.matchAll(TEXT)) {
            const text = m[1]!.trim();
            if (/=>|&&|\|\||\bas\b|^\w+$/.test(text) && !/^[A-Z][a-z]+$/.test(text)) continue;
            found.push({ path, line: i + 1, text });
          }
          for (const m of line.matchAll(MIXED)) {
            const outside = m[1]!.replace(/\{[^{}]*\}/g, " ").replace(/\{[^{}]*\}/g, " ");
            if (/[{}]|=>|&&|\?|\|\|/.test(outside) || !/[A-Za-z]{3}/.test(outside)) continue;
            found.push({ path, line: i + 1, text: m[1]!.trim() });
          }
          if (/[<{]/.test(line) && !/\bt\(|import|fail\(|case |===|!==|\.set\(|\.get\(/.test(line)) {
            for (const m of line.matchAll(CHOICE)) found.push({ path, line: i + 1, text: m[1]! });
          }
          for (const m of line.matchAll(ATTR)) found.push({ path, line: i + 1, text: `${m[1]}="${m[2]}"` });
          const lone = LONE.exec(line);
          if (lone && !/[=;(){}]/.test(line)) found.push({ path, line: i + 1, text: lone[1]! });
        });
      }
    }
  };
  walk(root);
  return found;
}

if (process.argv[1]?.endsWith("i18n-untranslated.ts")) {
  const found = untranslated();
  if (process.argv.includes("--list")) for (const f of found) console.log(`${f.path}:${f.line}: ${f.text}`);
  const byFile = new Map<string, number>();
  for (const f of found) byFile.set(f.path, (byFile.get(f.path) ?? 0) + 1);
  for (const [path, n] of [...byFile].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)} ${path}`);
  console.log(`${found.length} untranslated pieces of JSX text in ${byFile.size} files`);
}
