// The library from the runtimes programs use it in: the held-connection
// round trip from Node.js and from Bun (with Bun's sockets and with
// node:net), side by side with spawning `dash -c` and a bash coprocess
// driven from the same runtime, and the time for 50 concurrent runs.
// library-runtime.mjs does the measuring inside each runtime.

import { join } from "node:path";
import type { BenchContext } from "./context.ts";
import { formatCount, formatUs, timingTable, type Section, type TargetCheck, type TimedRow } from "./report.ts";
import { summarize } from "./stats.ts";
import { speedupCheck } from "./measures-latency.ts";

const SCRIPT = join(import.meta.dir, "library-runtime.mjs");
const LIBRARY = "library run, held connection";
const LIBRARY_WITH_ENV = "library run, held connection, connect({ env })";
const SPAWN = "child_process.spawn dash -c";
const COPROCESS = "bash coprocess + sentinel";
/** A runtime's whole measure takes well under this (about 7 s in the default plan). */
const RUN_LIMIT_MS = 120_000;

interface RuntimeRun {
  readonly runtime: string;
  readonly sockets: string;
  readonly results: Record<string, number[]>;
}

async function measureIn(ctx: BenchContext, executable: string, sockets: "node" | "bun"): Promise<RuntimeRun> {
  const { rounds, roundTrip } = ctx.plan;
  const batches = Math.max(5, Math.round(ctx.plan.throughput.seconds * 20));
  const child = Bun.spawn([executable, SCRIPT, ctx.pool.socket, String(rounds), String(roundTrip.coprocess), String(batches), sockets], { stdout: "pipe", stderr: "pipe" });
  ctx.cleanup.add(`library bench in ${executable}`, async () => child.kill("SIGKILL"));
  // A run that does not finish is a failure of the library, reported with the stage it was in, not a stuck bench.
  const watchdog = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
  const [out, err, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  clearTimeout(watchdog);
  if (status !== 0) throw new Error(`${executable} library-runtime.mjs exited ${status}${child.signalCode === "SIGKILL" ? ` (killed after ${RUN_LIMIT_MS / 1000} s)` : ""}: ${err.trim().split("\n").slice(-3).join(" ")}`);
  return JSON.parse(out.trim().split("\n").pop() as string) as RuntimeRun;
}

export async function measureLibrary(ctx: BenchContext): Promise<Section> {
  const runs: RuntimeRun[] = [];
  const failures: string[] = [];
  for (const [executable, sockets] of [["node", "node"], [process.execPath, "bun"], [process.execPath, "node"]] as const) {
    ctx.progress(`  library from ${executable === "node" ? "node" : "bun"} (${sockets} sockets)`);
    try {
      runs.push(await measureIn(ctx, executable, sockets));
    } catch (error) {
      failures.push(`${executable} (${sockets} sockets): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const tables = [];
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  const heldBy: { label: string; row: TimedRow }[] = [];
  for (const run of runs) {
    const label = `${run.runtime}, ${run.sockets === "bun" ? "Bun sockets" : "node:net"}`;
    const rows: TimedRow[] = [LIBRARY, SPAWN, COPROCESS, LIBRARY_WITH_ENV]
      .filter((name) => (run.results[name]?.length ?? 0) > 0)
      .map((name) => ({ name: `${label}: ${name}`, summary: summarize(run.results[name] as number[]) }));
    const library = rows[0];
    if (library === undefined) continue;
    heldBy.push({ label, row: library });
    tables.push(timingTable(library, rows));
    targets.push(speedupCheck(`library round trip from ${label} vs spawning dash -c`, "≥ 20× faster", library, rows[1], 20));
    targets.push(speedupCheck(`library round trip from ${label} vs a bash coprocess`, "faster (> 1×)", library, rows[2], 1));
    const batch = run.results[Object.keys(run.results).find((name) => name.includes("concurrent")) ?? ""];
    if (batch !== undefined && batch.length > 0) {
      const summary = summarize(batch);
      notes.push(`${label}: 50 concurrent runs on one client take p50 ${formatUs(summary.median)} (p99 ${formatUs(summary.p99)}), ${formatCount(50 / (summary.median / 1e6))} runs/s.`);
    }
  }
  const bunSockets = heldBy.find((held) => held.label.includes("Bun sockets"));
  const bunNet = heldBy.find((held) => held.label.startsWith("bun") && held.label.includes("node:net"));
  if (bunSockets !== undefined && bunNet !== undefined) {
    notes.push(`Under Bun, the library uses Bun's sockets by default: p50 ${formatUs(bunSockets.row.summary.median)} with them, ${formatUs(bunNet.row.summary.median)} with node:net.`);
  }
  return {
    title: "The library from Node.js and Bun",
    intro: [
      "`scripts/bench/library-runtime.mjs` imports the built package (dist/lib/index.js) in each runtime and times, interleaved, `run(\"echo hi\")` on a held connection to the pool daemon, `child_process.spawn(\"dash\", [\"-c\", …])` (stdout read, exit awaited) and a persistent bash driven with a sentinel, all from that runtime.",
      "Each table divides by the library's time in that runtime. The targets are judged on the default (each run reads process.env); the last row gives connect() the environment once (`env: { ...process.env }`), which saves that read: under Node.js every read of process.env is a call into the host.",
    ],
    tables,
    targets,
    notes,
    failures,
  };
}
