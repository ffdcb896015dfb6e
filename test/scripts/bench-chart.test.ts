// BENCHMARKS.svg rendering (scripts/bench/chart.ts), from synthetic sections:
// no benchmark runs here.

import { describe, expect, test } from "bun:test";
import { escapeXml, renderChart } from "../../scripts/bench/chart.ts";
import type { Machine } from "../../scripts/bench/machine.ts";
import type { ChartData, Section } from "../../scripts/bench/report.ts";

const MACHINE: Machine = {
  cpus: 2, cpuModel: "Test CPU <x86>", kernel: "6.1.0", memoryGb: 4, bun: "1.2.0", bash: "bash 5.2", dash: "dash 0.5", load: "0.00",
};
const DATE = new Date("2026-12-02T00:00:00Z");

function section(title: string, chart: ChartData | undefined, error?: string): Section {
  return { title, intro: [], tables: [], targets: [], notes: [], failures: [], ...(chart === undefined ? {} : { chart }), ...(error === undefined ? {} : { error }) };
}

const LATENCY = section("Round trip of `true`, one request in flight", {
  kind: "latency",
  rows: [
    { name: "rushd pool, held connection", median: 15, p99: 40, highlight: true },
    { name: "dash coprocess + sentinel", median: 60, p99: 120, highlight: false },
    { name: "Bun.spawn <dash> -c & \"friends\"", median: 2_000, p99: 5_000, highlight: false },
    { name: "rushd fork, held daemon connection", median: 100_000, p99: 150_000, highlight: true },
  ],
});
const THROUGHPUT = section("Throughput: 4 concurrent clients running `true`", {
  kind: "throughput",
  rows: [
    { name: "rushd pool, 4 held connections", median: 40_000, highlight: true },
    { name: "4 dash coprocesses + sentinel", median: 25_000, highlight: false },
  ],
});

/** Tags balance (a small stand-in for an XML parser, which Bun lacks); returns the root element's name. */
function checkWellFormed(svg: string): string {
  const stack: string[] = [];
  let root = "";
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)\b[^<>]*?(\/?)>/g)) {
    const [, closing, name = "", selfClosing] = match;
    if (closing === "/") {
      expect(stack.pop()).toBe(name);
    } else {
      if (stack.length === 0) {
        expect(root).toBe(""); // one root element
        root = name;
      }
      if (selfClosing !== "/") stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  // Nothing but tags and escaped text: no stray '<' and every '&' is an entity.
  expect(svg.replace(/<[^<>]*>/g, "")).not.toContain("<");
  expect(svg.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toContain("&");
  return root;
}

function barWidths(svg: string): number[] {
  return [...svg.matchAll(/<rect class="bar"[^>]*\bwidth="([\d.]+)"/g)].map((match) => Number(match[1]));
}

function barTitles(svg: string): string[] {
  return [...svg.matchAll(/<rect class="bar"[^>]*><title>([^<]*)<\/title>/g)].map((match) => match[1] ?? "");
}

describe("renderChart", () => {
  const svg = renderChart({ date: DATE, machine: MACHINE, latency: LATENCY, throughput: THROUGHPUT });

  test("is a well-formed svg document with a fixed width", () => {
    expect(checkWellFormed(svg)).toBe("svg");
    expect(svg).toStartWith('<svg xmlns="http://www.w3.org/2000/svg" width="900"');
  });

  test("draws one bar per row, in the given order, with log widths for latency and linear for throughput", () => {
    const widths = barWidths(svg);
    expect(widths).toHaveLength(6);
    const [fast = 0, coprocess = 0, spawn = 0, fork = 0, rushdRate = 0, dashRate = 0] = widths;
    expect(fast).toBeLessThan(coprocess);
    expect(coprocess).toBeLessThan(spawn);
    expect(spawn).toBeLessThan(fork);
    // Log scale: ×10 in value is a constant step in width (60 → 2000 µs is ~1.5 decades, 2000 → 100000 ~1.7).
    const decade = (fork - fast) / Math.log10(100_000 / 15);
    expect(spawn - coprocess).toBeCloseTo(decade * Math.log10(2_000 / 60), 0);
    expect(dashRate / rushdRate).toBeCloseTo(25_000 / 40_000, 2);
    expect(barTitles(svg).map((title) => title.replace(/:.*/, ""))).toEqual([
      "rushd pool, held connection",
      "dash coprocess + sentinel",
      "Bun.spawn &lt;dash&gt; -c &amp; &quot;friends&quot;",
      "rushd fork, held daemon connection",
      "rushd pool, 4 held connections",
      "4 dash coprocesses + sentinel",
    ]);
  });

  test("marks p99 on latency bars only, highlights rushd, labels medians and units", () => {
    expect(svg.match(/<line class="p99"/g)).toHaveLength(4);
    expect(svg.match(/<rect class="bar"[^>]*fill="#d9480f"/g)).toHaveLength(3);
    for (const label of ["15.0 µs · p99 40.0 µs", "60.0 µs", "2.00 ms", "100.00 ms · p99 150.00 ms", "40,000/s", "25,000/s", "µs per request, log scale", "requests/s"]) {
      expect(svg).toContain(label);
    }
  });

  test("escapes names and the caption, and states date and machine", () => {
    expect(svg).toContain("Bun.spawn &lt;dash&gt; -c &amp; &quot;friends&quot;");
    expect(svg).not.toContain("<dash>");
    expect(svg).toContain("2026-12-02T00:00:00.000Z");
    expect(svg).toContain("2 CPUs, Test CPU &lt;x86&gt;, 4 GB RAM");
  });
});

test.each([
  ["a missing section", undefined, "not measured in this run"],
  ["a failed measure", section("Throughput", undefined, "daemon <gone> & away"), "the measure failed: daemon &lt;gone&gt; &amp; away"],
])("%s is drawn as a note, not bars", (_what, throughput, want) => {
  const svg = renderChart({ date: DATE, machine: MACHINE, latency: LATENCY, throughput });
  expect(checkWellFormed(svg)).toBe("svg");
  expect(barWidths(svg)).toHaveLength(4);
  expect(svg).toContain(want);
});

test.each([
  ["a & b", "a &amp; b"],
  ["<x y='1'>", "&lt;x y=&apos;1&apos;&gt;"],
  ['"q"', "&quot;q&quot;"],
  ["plain µs", "plain µs"],
])("escapeXml(%p) is %p", (text, want) => {
  expect(escapeXml(text)).toBe(want);
});
