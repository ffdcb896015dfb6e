// BENCHMARKS.svg: the round trip of `true` (median bars with a p99 tick, on
// a log scale, since the contenders span ~15 µs to ~100 ms) and throughput
// (requests/s, linear) as two panels. Hand-written SVG markup, no libraries,
// so the file is self-contained. Reads the numbers from Section.chart, never
// from the formatted table cells. Imports only the report's types and formats.

import type { Machine } from "./machine.ts";
import { formatCount, formatUs, type ChartData, type ChartRow, type Section } from "./report.ts";

export interface ChartInput {
  readonly date: Date;
  readonly machine: Machine;
  /** The "Round trip of `true`" section; undefined or without chart data: drawn as "not measured". */
  readonly latency: Section | undefined;
  /** The throughput section, likewise. */
  readonly throughput: Section | undefined;
}

const WIDTH = 900;
const MARGIN = 20;
/** Names are right-aligned against the bars; the longest (~46 characters) fits at 12 px. */
const LABEL_RIGHT = 340;
const BAR_X = 350;
/** Leaves room after the longest bar for "100.00 ms · p99 150.00 ms". */
const BAR_WIDTH = 360;
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 14;
const FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif\"";
const ACCENT = "#d9480f";
const PLAIN = "#868e96";

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => {
    switch (char) {
      case "&": return "&amp;";
      case "<": return "&lt;";
      case ">": return "&gt;";
      case '"': return "&quot;";
      default: return "&apos;";
    }
  });
}

function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Where a value falls along the bar, 0 to BAR_WIDTH. */
interface Scale {
  readonly at: (value: number) => number;
  readonly ticks: readonly { readonly value: number; readonly label: string }[];
}

function isDrawable(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

/** A tick label for a power of ten of microseconds: "10 µs", "1 ms", "100 ms". */
function decadeLabel(us: number): string {
  if (us < 1000) return `${us} µs`;
  if (us < 1_000_000) return `${us / 1000} ms`;
  return `${us / 1_000_000} s`;
}

export function logScale(values: readonly number[]): Scale {
  const drawable = values.filter(isDrawable);
  const lowExponent = Math.floor(Math.log10(drawable.length === 0 ? 1 : Math.min(...drawable)));
  const highExponent = Math.max(lowExponent + 1, Math.ceil(Math.log10(drawable.length === 0 ? 10 : Math.max(...drawable))));
  const span = highExponent - lowExponent;
  const ticks = [];
  for (let exponent = lowExponent; exponent <= highExponent; exponent++) {
    const value = 10 ** exponent;
    ticks.push({ value, label: decadeLabel(value) });
  }
  return {
    at: (value) => (isDrawable(value) ? Math.max(0, ((Math.log10(value) - lowExponent) / span) * BAR_WIDTH) : 0),
    ticks,
  };
}

/** The smallest of 1, 2, 5 × 10^k at or above `value`. */
function niceCeiling(value: number): number {
  const decade = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5]) if (step * decade >= value) return step * decade;
  return 10 * decade;
}

export function linearScale(values: readonly number[]): Scale {
  const drawable = values.filter(isDrawable);
  const top = niceCeiling(drawable.length === 0 ? 1 : Math.max(...drawable));
  const ticks = [];
  for (let i = 0; i <= 5; i++) ticks.push({ value: (top * i) / 5, label: formatCount((top * i) / 5) });
  return { at: (value) => (isDrawable(value) ? (Math.min(value, top) / top) * BAR_WIDTH : 0), ticks };
}

interface Panel {
  readonly markup: string[];
  readonly height: number;
}

function panelTitle(section: Section | undefined, fallback: string, units: string): string {
  return `${(section?.title ?? fallback).replaceAll("`", "")} (${units})`;
}

function renderPanel(top: number, title: string, chart: ChartData | undefined, error: string | undefined): Panel {
  const markup = [`<text x="${MARGIN}" y="${num(top + 16)}" font-size="15" font-weight="600" fill="#212529">${escapeXml(title)}</text>`];
  if (chart === undefined || chart.rows.length === 0) {
    const why = error === undefined ? "not measured in this run" : `the measure failed: ${error}`;
    markup.push(`<text x="${BAR_X}" y="${num(top + 44)}" font-size="12" fill="${PLAIN}">${escapeXml(why)}</text>`);
    return { markup, height: 64 };
  }
  const isLatency = chart.kind === "latency";
  const scale = isLatency
    ? logScale(chart.rows.flatMap((row) => [row.median, ...(row.p99 === undefined ? [] : [row.p99])]))
    : linearScale(chart.rows.map((row) => row.median));
  const rowsTop = top + 30;
  const axisY = rowsTop + chart.rows.length * ROW_HEIGHT + 4;
  for (const tick of scale.ticks) {
    const x = num(BAR_X + scale.at(tick.value));
    markup.push(`<line x1="${x}" y1="${num(rowsTop - 4)}" x2="${x}" y2="${num(axisY)}" stroke="#e9ecef"/>`);
    markup.push(`<text x="${x}" y="${num(axisY + 14)}" font-size="11" text-anchor="middle" fill="#495057">${escapeXml(tick.label)}</text>`);
  }
  markup.push(`<line x1="${BAR_X}" y1="${num(axisY)}" x2="${BAR_X + BAR_WIDTH}" y2="${num(axisY)}" stroke="#adb5bd"/>`);
  chart.rows.forEach((row, i) => markup.push(...renderRow(row, rowsTop + i * ROW_HEIGHT, scale, isLatency)));
  return { markup, height: axisY + 30 - top };
}

function renderRow(row: ChartRow, y: number, scale: Scale, isLatency: boolean): string[] {
  const colour = row.highlight ? ACCENT : PLAIN;
  const width = scale.at(row.median);
  const middle = y + BAR_HEIGHT / 2;
  const value = isLatency ? formatUs(row.median) : `${formatCount(row.median)}/s`;
  const label = isLatency && isDrawable(row.p99) ? `${value} · p99 ${formatUs(row.p99)}` : value;
  const parts = [
    `<text x="${LABEL_RIGHT}" y="${num(middle + 4)}" font-size="12" text-anchor="end" fill="#212529"${row.highlight ? ' font-weight="600"' : ""}>${escapeXml(row.name)}</text>`,
    `<rect class="bar" x="${BAR_X}" y="${num(y)}" width="${num(width)}" height="${BAR_HEIGHT}" fill="${colour}"><title>${escapeXml(`${row.name}: ${value}`)}</title></rect>`,
  ];
  let end = width;
  if (isLatency && isDrawable(row.p99)) {
    const x = scale.at(row.p99);
    end = Math.max(end, x);
    parts.push(`<line class="p99" x1="${num(BAR_X + x)}" y1="${num(y - 2)}" x2="${num(BAR_X + x)}" y2="${num(y + BAR_HEIGHT + 2)}" stroke="#212529" stroke-width="2"><title>${escapeXml(`${row.name}: p99 ${formatUs(row.p99)}`)}</title></line>`);
  }
  parts.push(`<text x="${num(BAR_X + end + 6)}" y="${num(middle + 4)}" font-size="12" fill="#212529">${escapeXml(label)}</text>`);
  return parts;
}

export function renderChart(input: ChartInput): string {
  const { machine } = input;
  const body: string[] = [
    `<text x="${MARGIN}" y="30" font-size="19" font-weight="700" fill="#212529">rushd benchmarks</text>`,
    `<text x="${MARGIN}" y="50" font-size="12" fill="#495057">${escapeXml(`rushd's own contenders in orange; bars are medians, black ticks p99.`)}</text>`,
  ];
  let top = 66;
  const panels: [Section | undefined, string, string][] = [
    [input.latency, "Round trip of true", "µs per request, log scale; bar median, tick p99"],
    [input.throughput, "Throughput", "requests/s, median of rounds"],
  ];
  for (const [section, fallback, units] of panels) {
    const panel = renderPanel(top, panelTitle(section, fallback, units), section?.chart, section?.error);
    body.push(...panel.markup);
    top += panel.height + 12;
  }
  // Two lines, so a long CPU model name stays inside the fixed width.
  const caption = [
    `Measured ${input.date.toISOString()} with Bun ${machine.bun}; every number and the method are in BENCHMARKS.md.`,
    `${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.memoryGb} GB RAM, Linux ${machine.kernel}`,
  ];
  caption.forEach((line, i) => body.push(`<text x="${MARGIN}" y="${num(top + 4 + i * 15)}" font-size="11" fill="${PLAIN}">${escapeXml(line)}</text>`));
  const height = Math.ceil(top + 4 + caption.length * 15);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
