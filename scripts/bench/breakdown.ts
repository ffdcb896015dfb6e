// Where one round trip's time goes: the client's marks (common/stage-clock.ts
// in the benchmark process) and the worker's stages (ExecutionResult.stages
// from a daemon started with --profile-stages), combined per sample.
//
// Each process measures only spans of its own clock. The socket's share
// (both writes, the kernel's hand-offs and both event loops' wake-ups) is
// what remains of the whole round trip once the client's and the worker's
// own stages are taken out. It is a remainder, not a measurement: on a
// machine with few cores the worker often runs while the client's write is
// still returning, so spans of the two processes overlap in time.

import type { Table } from "./report.ts";

export interface StageSample {
  /** Client: run() called. */
  readonly startNs: number;
  /** Client: the request's frames were encoded, before the write. */
  readonly encodedNs: number;
  /** Client: the chunk holding the result arrived (the event loop handed it over). */
  readonly arrivedNs: number;
  /** Client: the awaited result resumed the caller. */
  readonly doneNs: number;
  /** The worker's stages (ns), including the tail of the session before. */
  readonly worker: Readonly<Record<string, number>>;
}

export interface BreakdownRow {
  readonly stage: string;
  readonly where: "client" | "socket" | "worker" | "worker, after the result";
  readonly medianUs: number;
  readonly meanUs: number;
  /** The mean over the slowest 1% of round trips (the p99 tail): which stage the tail comes from. */
  readonly tailMeanUs: number;
}

/** Worker stages on the request's path, in order (worker/lease-connection.ts names them). */
const WORKER_PATH = ["decode", "queue to set-up", "session set-up", "queue to script", "script"] as const;

export function roundTripBreakdown(samples: readonly StageSample[]): BreakdownRow[] {
  const columns = new Map<string, { where: BreakdownRow["where"]; values: number[] }>();
  const add = (stage: string, where: BreakdownRow["where"], ns: number): void => {
    const column = columns.get(stage) ?? { where, values: [] };
    column.values.push(ns / 1000);
    columns.set(stage, column);
  };
  // A session's result write is reported with the next result: pair each sample with its successor.
  for (let i = 0; i + 1 < samples.length; i++) {
    const sample = samples[i] as StageSample;
    const next = samples[i + 1] as StageSample;
    const resultEncode = next.worker["previous result encode"] ?? 0;
    const resultWrite = next.worker["previous result write"] ?? 0;
    const workerPath = WORKER_PATH.reduce((sum, stage) => sum + (sample.worker[stage] ?? 0), 0) + resultEncode + resultWrite;
    const whole = sample.doneNs - sample.startNs;
    const clientEncode = sample.encodedNs - sample.startNs;
    const clientWake = sample.doneNs - sample.arrivedNs;
    add("build and encode the request", "client", clientEncode);
    add("socket: both writes, both wake-ups (the rest)", "socket", whole - clientEncode - workerPath - clientWake);
    for (const stage of WORKER_PATH) add(stage, "worker", sample.worker[stage] ?? 0);
    add("result encode", "worker", resultEncode);
    add("result write (the system call; the woken client may run first)", "worker", resultWrite);
    add("decode the result, resume the caller", "client", clientWake);
    add("dispose of the session", "worker, after the result", next.worker["previous dispose"] ?? 0);
    add("reset of the worker state", "worker, after the result", next.worker["previous reset"] ?? 0);
    add("round trip (whole)", "client", whole);
  }
  // Every column has one value per sample, in sample order: the tail is the same samples in each.
  const whole = columns.get("round trip (whole)")?.values ?? [];
  const tail = slowestPercent(whole);
  return [...columns].map(([stage, { where, values }]) => ({ stage, where, medianUs: median(values), meanUs: mean(values), tailMeanUs: mean(tail.map((index) => values[index] as number)) }));
}

/** Indices of the slowest 1% of `wholes` (at least one). */
function slowestPercent(wholes: readonly number[]): number[] {
  const order = wholes.map((_, index) => index).sort((a, b) => (wholes[b] as number) - (wholes[a] as number));
  return order.slice(0, Math.max(1, Math.floor(wholes.length / 100)));
}

export function breakdownTable(rows: readonly BreakdownRow[]): Table {
  const whole = rows.find((row) => row.stage === "round trip (whole)")?.meanUs ?? Number.NaN;
  return {
    columns: ["stage", "where", "median", "mean", "share of the mean round trip", "mean in the slowest 1%"],
    rows: rows.map((row) => [row.stage, row.where, `${row.medianUs.toFixed(2)} µs`, `${row.meanUs.toFixed(2)} µs`, row.stage === "round trip (whole)" ? "100%" : `${((100 * row.meanUs) / whole).toFixed(0)}%`, `${row.tailMeanUs.toFixed(2)} µs`]),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
