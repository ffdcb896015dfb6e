// Resident memory of the daemon and its workers over the soak: one sample a
// second (VmRSS from /proc), printed at the end as a compact table.

import { rssKb, type SoakStatus } from "./daemon.ts";

export interface MemorySample {
  readonly atS: number;
  readonly daemonKb: number | undefined;
  readonly workers: number;
  readonly workersTotalKb: number;
  readonly largestWorkerKb: number;
}

export function sampleMemory(atS: number, status: SoakStatus): MemorySample {
  const workerKb = status.workerPids.map(rssKb).filter((kb): kb is number => kb !== undefined);
  return {
    atS,
    daemonKb: rssKb(status.pid),
    workers: workerKb.length,
    workersTotalKb: workerKb.reduce((sum, kb) => sum + kb, 0),
    largestWorkerKb: Math.max(0, ...workerKb),
  };
}

const MAX_ROWS = 20;

/** At most MAX_ROWS evenly spaced samples (always the first and the last), then the peaks. */
export function renderMemoryTable(samples: readonly MemorySample[]): string {
  if (samples.length === 0) return "memory: no samples (the run ended within a second)\n";
  const step = Math.max(1, Math.ceil(samples.length / MAX_ROWS));
  const rows = samples.filter((_, at) => at % step === 0);
  const last = samples[samples.length - 1] as MemorySample;
  if (rows[rows.length - 1] !== last) rows.push(last);
  const mb = (kb: number | undefined): string => (kb === undefined ? "-" : (kb / 1024).toFixed(1));
  const header = ["t (s)", "daemon MB", "workers", "workers MB", "largest worker MB"];
  const body = rows.map((row) => [String(row.atS), mb(row.daemonKb), String(row.workers), mb(row.workersTotalKb), mb(row.largestWorkerKb)]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padStart(widths[column] as number)).join("  ");
  const daemonPeak = Math.max(0, ...samples.map((sample) => sample.daemonKb ?? 0));
  const workerPeak = Math.max(0, ...samples.map((sample) => sample.largestWorkerKb));
  const first = samples[0] as MemorySample;
  return [
    `memory (VmRSS, ${samples.length} samples, every ${step} shown):`,
    line(header),
    ...body.map(line),
    `daemon: ${mb(first.daemonKb)} MB at start, ${mb(last.daemonKb)} MB at end, peak ${mb(daemonPeak)} MB; largest worker peak ${mb(workerPeak)} MB`,
    "",
  ].join("\n");
}
