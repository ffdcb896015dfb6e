// Counts of soak verdicts, with the first few examples of each failure kind
// (request kind, command line, what was wrong) for the final report.

import type { SoakRequest } from "./requests.ts";
import { FALSE_FAILURES, VERDICT_KINDS, type Verdict } from "./run-request.ts";

const EXAMPLES_PER_KIND = 5;

interface Example {
  readonly request: SoakRequest;
  readonly detail: string;
}

export class Tally {
  private readonly counts = new Map<string, number>(VERDICT_KINDS.map((kind) => [kind, 0]));
  /** verdict kind → request kind → count, for failures only. */
  private readonly byRequestKind = new Map<string, Map<string, number>>();
  private readonly examples = new Map<string, Example[]>();
  notRun = 0;

  add(request: SoakRequest, verdict: Verdict): void {
    this.counts.set(verdict.kind, (this.counts.get(verdict.kind) ?? 0) + 1);
    if (verdict.kind === "ok" || verdict.kind === "ok in process") return;
    const perRequest = this.byRequestKind.get(verdict.kind) ?? new Map<string, number>();
    perRequest.set(request.kind, (perRequest.get(request.kind) ?? 0) + 1);
    this.byRequestKind.set(verdict.kind, perRequest);
    if (!("detail" in verdict)) return; // a loss to a kill is expected; its count says enough
    const examples = this.examples.get(verdict.kind) ?? [];
    if (examples.length < EXAMPLES_PER_KIND) examples.push({ request, detail: verdict.detail });
    this.examples.set(verdict.kind, examples);
  }

  get done(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  count(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  get falseFailures(): number {
    return [...FALSE_FAILURES].reduce((sum, kind) => sum + this.count(kind), 0);
  }

  /** One line for progress reports. */
  summaryLine(): string {
    return VERDICT_KINDS.map((kind) => `${kind} ${this.count(kind)}`).join(", ");
  }

  render(): string {
    const lines = [`requests done: ${this.done}${this.notRun > 0 ? ` (${this.notRun} not run: time cap or abort)` : ""}`];
    lines.push(`  ok: ${this.count("ok")} (and ${this.count("ok in process")} correct runs the client made itself: no worker was free)`);
    lines.push(`  false failures: ${this.falseFailures}`);
    for (const kind of FALSE_FAILURES) lines.push(`    ${kind}: ${this.count(kind)}${this.perRequestKind(kind)}`);
    for (const kind of ["lost to a kill", "client crashed", "client hung"]) lines.push(`  ${kind}: ${this.count(kind)}${this.perRequestKind(kind)}`);
    for (const [kind, examples] of this.examples) {
      lines.push(`examples of ${kind}:`);
      for (const { request, detail } of examples) {
        const command = JSON.stringify(request.argv.join(" ")).slice(0, 120);
        lines.push(`  [${request.kind}] rushd ${command}${request.stdin ? ` <${request.stdin.length} bytes>` : ""}: ${detail}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }

  private perRequestKind(kind: string): string {
    const perRequest = this.byRequestKind.get(kind);
    if (perRequest === undefined) return "";
    return ` (${[...perRequest].map(([requestKind, count]) => `${requestKind} ${count}`).join(", ")})`;
  }
}
