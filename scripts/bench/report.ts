// Tables and the BENCHMARKS.md document. Plain Markdown, aligned so the
// same text reads well in a terminal.

import type { Build, Machine } from "./machine.ts";
import type { Summary } from "./stats.ts";

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface TargetCheck {
  readonly measure: string;
  readonly target: string;
  readonly measured: string;
  /** undefined: could not be judged (the measure failed). */
  readonly met: boolean | undefined;
}

/** One contender's bar in BENCHMARKS.svg (chart.ts): latency in µs, throughput in requests/s. */
export interface ChartRow {
  readonly name: string;
  readonly median: number;
  readonly p99?: number;
  /** rushd's own contenders, drawn in the accent colour. */
  readonly highlight: boolean;
}

/** The numbers behind a section's table, kept as numbers so the chart need not re-parse formatted cells. */
export interface ChartData {
  readonly kind: "latency" | "throughput";
  readonly rows: readonly ChartRow[];
}

export interface Section {
  readonly title: string;
  readonly intro: readonly string[];
  readonly tables: readonly Table[];
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
  /** Contenders that failed (a wrong answer or an error); they are left out of the tables. */
  readonly failures: readonly string[];
  /** Set when the whole measure failed. */
  readonly error?: string;
  /** Set by the measures drawn in BENCHMARKS.svg. */
  readonly chart?: ChartData;
}

export interface Document {
  readonly date: Date;
  readonly command: string;
  readonly machine: Machine;
  readonly build: Build;
  readonly durationS: number;
  readonly sections: readonly Section[];
  readonly method: readonly string[];
}

// --- number formatting ---

export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return "n/a";
  if (us < 100) return `${us.toFixed(1)} µs`;
  if (us < 1000) return `${us.toFixed(0)} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(2)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return "n/a";
  if (ratio >= 100) return `${ratio.toFixed(0)}×`;
  if (ratio >= 10) return `${ratio.toFixed(1)}×`;
  return `${ratio.toFixed(2)}×`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

export function formatMb(mb: number): string {
  return `${mb.toFixed(1)} MB`;
}

export function metText(met: boolean | undefined): string {
  return met === undefined ? "not judged" : met ? "met" : "NOT MET";
}

// --- tables ---

export interface TimedRow {
  readonly name: string;
  readonly summary: Summary;
}

/**
 * Time per run for each contender, with each one's time divided by the
 * subject's (rushd's): above 1× the contender is slower than rushd.
 */
export function timingTable(subject: TimedRow, rows: readonly TimedRow[]): Table {
  return {
    columns: ["contender", "median", "p99", "samples", `÷ ${subject.name} (median)`, "(p99)"],
    rows: rows.map((row) => [
      row.name,
      formatUs(row.summary.median),
      formatUs(row.summary.p99),
      formatCount(row.summary.count),
      row === subject ? "1×" : formatRatio(row.summary.median / subject.summary.median),
      row === subject ? "1×" : formatRatio(row.summary.p99 / subject.summary.p99),
    ]),
  };
}

export function renderTable(table: Table): string {
  const widths = table.columns.map((column, i) => Math.max(column.length, ...table.rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]): string => `| ${widths.map((width, i) => (cells[i] ?? "").padEnd(width)).join(" | ")} |`;
  return [line(table.columns), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...table.rows.map(line)].join("\n");
}

export function targetTable(targets: readonly TargetCheck[]): Table {
  return {
    columns: ["measure", "target (DESIGN §7)", "measured", "result"],
    rows: targets.map((check) => [check.measure, check.target, check.measured, metText(check.met)]),
  };
}

export function renderSection(section: Section): string {
  const parts = [`## ${section.title}`, ""];
  for (const line of section.intro) parts.push(line);
  if (section.intro.length > 0) parts.push("");
  if (section.error !== undefined) parts.push(`**The measure failed:** ${section.error}`, "");
  for (const table of section.tables) parts.push(renderTable(table), "");
  if (section.targets.length > 0) parts.push(renderTable(targetTable(section.targets)), "");
  for (const failure of section.failures) parts.push(`- **Failed:** ${failure}`);
  for (const note of section.notes) parts.push(`- ${note}`);
  if (section.notes.length + section.failures.length > 0) parts.push("");
  return parts.join("\n");
}

export function renderDocument(doc: Document): string {
  const { machine, build } = doc;
  const allTargets = doc.sections.flatMap((section) => section.targets);
  const met = allTargets.filter((check) => check.met === true).length;
  const lines = [
    "# rushd benchmarks",
    "",
    "Generated by `scripts/bench.ts`; do not edit by hand, run the command below again.",
    "",
    `- Date: ${doc.date.toISOString()}`,
    `- Command: \`${doc.command}\` (total ${doc.durationS.toFixed(0)} s)`,
    `- Machine: ${machine.cpus} CPUs (nproc), ${machine.cpuModel}, ${machine.memoryGb} GB RAM, Linux ${machine.kernel}, load average at start ${machine.load}`,
    `- Software: Bun ${machine.bun}; ${machine.bash}; ${machine.dash}`,
    `- rushd: \`dist/rushd\` built ${build.binaryBuilt.toISOString()}; the source tree when the run started: ${build.tree}`,
  ];
  if (build.newerSources.length > 0) {
    lines.push(`- Warning: ${build.newerSources.length} source file(s) changed after the binary was built (${build.newerSources.slice(0, 5).join(", ")}${build.newerSources.length > 5 ? ", …" : ""}); the numbers are the binary's.`);
  }
  lines.push("", "## Method", "");
  for (const line of doc.method) lines.push(`- ${line}`);
  lines.push("", `## Targets: ${met} of ${allTargets.length} met`, "", renderTable(targetTable(allTargets)), "");
  for (const section of doc.sections) lines.push(renderSection(section));
  return `${lines.join("\n").trimEnd()}\n`;
}
