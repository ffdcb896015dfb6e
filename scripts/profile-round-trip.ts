// Round trips through a running daemon with the library: medians and p99 of
// the client-side round trip and of the worker's durationUs, per script; and,
// when the daemon runs with --profile-stages, where one round trip's time goes.
//
//   bun scripts/profile-round-trip.ts SOCKET [iterations] [script ...]

import { connect } from "../src/client/library/index.ts";
import { renderTable } from "./bench/report.ts";
import { breakdownTable, roundTripBreakdown, type StageSample } from "./bench/breakdown.ts";
import { enableStageClock, stageTime } from "../src/common/stage-clock.ts";

const socket = process.argv[2];
if (socket === undefined) throw new Error("usage: profile-round-trip.ts SOCKET [iterations] [script ...]");
const iterations = Number(process.argv[3] ?? 5000);
const scripts = process.argv.length > 4 ? process.argv.slice(4) : ["true", "echo hi"];

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

enableStageClock();
const rushd = await connect({ socket, autostart: false, maxConcurrency: 1 });
for (const script of scripts) {
  for (let i = 0; i < 500; i++) await rushd.run(script);
  const roundTripUs: number[] = [];
  const durationUs: number[] = [];
  const samples: StageSample[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = Bun.nanoseconds();
    const result = await rushd.run(script);
    const t3 = Bun.nanoseconds();
    roundTripUs.push((t3 - t0) / 1000);
    durationUs.push(result.durationUs);
    if (result.stages !== undefined) samples.push({ startNs: t0, encodedNs: stageTime("encoded") ?? t0, arrivedNs: stageTime("chunk") ?? t3, doneNs: t3, worker: result.stages });
  }
  roundTripUs.sort((a, b) => a - b);
  durationUs.sort((a, b) => a - b);
  const show = (values: number[]): string => `median ${percentile(values, 0.5).toFixed(1)} p99 ${percentile(values, 0.99).toFixed(1)}`;
  console.log(`${JSON.stringify(script)} ×${iterations}: round trip ${show(roundTripUs)} µs | durationUs ${show(durationUs)}`);
  if (samples.length > 1) console.log(renderTable(breakdownTable(roundTripBreakdown(samples))));
}
await rushd.close();
