/**
 * Who a comment mentions: "@handle" outside code (fenced, indented, inline)
 * and outside quotes (a quoted mention is someone else's words). Pure; the
 * renderer (app/lib/markdown-render.server.ts) links the same pattern.
 */
export const MAX_MENTIONS = 20;

export function mentionedHandles(markdown: string): string[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (opener && opener[1]![0] === fence[0] && opener[1]!.length >= fence.length) fence = null;
      continue;
    }
    if (opener) {
      fence = opener[1]!;
      continue;
    }
    if (/^( {4}|\t)/.test(line)) continue;
    if (/^ {0,3}>/.test(line)) continue;
    kept.push(line.replace(/(`+)[\s\S]*?\1/g, " "));
  }
  const text = kept.join("\n");
  const handles = new Set<string>();
  for (const m of text.matchAll(/(?:^|[^A-Za-z0-9_@./])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_@])/g)) {
    handles.add(m[1]!.toLowerCase());
    if (handles.size >= MAX_MENTIONS) break;
  }
  return [...handles];
}
