// Where one round trip goes (issue 10, item 1): a profiling run on a daemon
// of its own, started with --profile-stages, so that the marks cost the
// other measures nothing. The benchmark process marks the client's stages
// (common/stage-clock.ts), the worker reports its own with every result, and
// breakdown.ts combines them per sample.

import { connect } from "../../src/client/library/index.ts";
import { disableStageClock, enableStageClock, stageTime } from "../../src/common/stage-clock.ts";
import { breakdownTable, roundTripBreakdown, type StageSample } from "./breakdown.ts";
import type { BenchContext } from "./context.ts";
import { BenchDaemon } from "./daemons.ts";
import { warmupFor } from "./plan.ts";
import type { Section, Table } from "./report.ts";

const PROFILE_ARGV = ["--mode", "pool", "--workers", "1", "--profile-stages", "--connection-timeout", "3600"];
const SCRIPTS = ["true", "echo hi"] as const;

export async function measureBreakdown(ctx: BenchContext): Promise<Section> {
  const daemon = await BenchDaemon.start(ctx.rushd, ctx.dir, "profile", PROFILE_ARGV);
  const stopDaemon = ctx.cleanup.add("stop the profiling daemon", async () => {
    const problems = await daemon.stop();
    if (problems.length > 0) throw new Error(problems.join("; "));
  });
  await daemon.waitForIdleWorkers(1);
  const client = await connect({ socket: daemon.socket, autostart: false, maxConcurrency: 1 });
  const closeClient = ctx.cleanup.add("close the profiling client", async () => client.close());
  const samples = Math.max(200, Math.round(ctx.plan.roundTrip.held / 4));
  const tables: Table[] = [];
  enableStageClock();
  try {
    for (const script of SCRIPTS) {
      ctx.progress(`  breakdown of '${script}': ${samples} profiled round trips`);
      for (let i = 0; i < warmupFor(samples); i++) await client.run(script);
      const profiled: StageSample[] = [];
      for (let i = 0; i < samples; i++) {
        const startNs = Bun.nanoseconds();
        const result = await client.run(script);
        const doneNs = Bun.nanoseconds();
        if (result.status !== 0) throw new Error(`'${script}' exited ${result.status} in the profiling run`);
        if (result.stages === undefined) throw new Error("the profiling daemon's worker reported no stages (--profile-stages)");
        profiled.push({ startNs, encodedNs: stageTime("encoded") ?? startNs, arrivedNs: stageTime("chunk") ?? doneNs, doneNs, worker: result.stages });
      }
      const table = breakdownTable(roundTripBreakdown(profiled));
      tables.push({ columns: [`\`${script}\`: ${table.columns[0]}`, ...table.columns.slice(1)], rows: table.rows });
    }
  } finally {
    disableStageClock();
    await closeClient();
    await stopDaemon();
  }
  return {
    title: "Where one round trip goes (a profiling run)",
    intro: [
      `A daemon of its own (\`${PROFILE_ARGV.join(" ")}\`), one held connection, ${samples} round trips per script after warm-up, one at a time.`,
      "The benchmark process notes `Bun.nanoseconds()` when run() is called, when the request is encoded (before the write), when the chunk with the result arrives and when the caller resumes; the worker measures its own stages with its own clock and reports them with each result (a session's result write and its dispose and reset are reported with the next one).",
      "The socket row is what remains of the whole once the client's and the worker's stages are taken out: both writes, the kernel's hand-offs and both event loops' wake-ups. On a 2-core machine the worker often runs while the client's write is still returning, so it is a remainder, not a measurement. Means add up to the mean round trip; medians do not add up.",
      "Dispose and reset run after the result is written, while the client wakes up: they are on the path only when they take longer than that.",
      "With the marks on, every stage costs a clock read more than in the other measures: the whole is a little slower here.",
    ],
    tables,
    targets: [],
    notes: [],
    failures: [],
  };
}
