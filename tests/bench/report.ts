// The benchmark's one table (stdout, tests/.tmp/bench-report.md) and its JSON.

export interface Row {
  size: string;
  measure: string;
  bare?: string;
  app?: string;
  ratio?: string;
  p50?: string;
  p99?: string;
  goal?: string;
  /** null: no goal for this figure. */
  met?: boolean | null;
}

export interface Phase {
  name: string;
  seconds: number;
  loadStart: number[];
  loadEnd: number[];
}

const HEAD = ["size", "measure", "bare", "Groundswell", "ratio", "p50 ms", "p99 ms", "goal", "met"];

const cells = (r: Row) => [
  r.size, r.measure, r.bare ?? "", r.app ?? "", r.ratio ?? "", r.p50 ?? "", r.p99 ?? "", r.goal ?? "",
  r.met === undefined || r.met === null ? "" : r.met ? "yes" : "**no**",
];

export function markdownTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

export function resultsTable(rows: Row[]): string {
  return markdownTable(HEAD, rows.map(cells));
}

export function phasesTable(phases: Phase[]): string {
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  return markdownTable(
    ["phase", "seconds", "load average at start (1 5 15 min)", "at end"],
    phases.map((p) => [p.name, p.seconds.toFixed(0), la(p.loadStart), la(p.loadEnd)]),
  );
}

export function goalsLine(rows: Row[]) {
  const judged = rows.filter((r) => r.met === true || r.met === false);
  return `goals met: ${judged.filter((r) => r.met).length} of ${judged.length}`;
}

// Number formatting for the table.
export const fmt = {
  rps: (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "–"),
  ms: (x: number) => (x === Infinity ? "timeout" : Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : "–"),
  ratio: (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "–"),
  kb: (bytes: number) => (bytes / 1024).toFixed(1),
};
