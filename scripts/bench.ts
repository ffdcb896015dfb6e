// `bun run bench` (or `bun scripts/bench.ts [--quick]`): measures rushd
// against its peers side by side in one run (DESIGN §7), prints the tables
// and, for the default run, writes BENCHMARKS.md and BENCHMARKS.svg.
//
// Everything it starts (two daemons and their workers, coprocesses, an echo
// server) lives under one private 0700 temp directory and is stopped at the
// end, on error and on Ctrl-C.

import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { connect } from "../src/client/library/index.ts";
import { renderChart } from "./bench/chart.ts";
import { Cleanup } from "./bench/cleanup.ts";
import type { BenchContext } from "./bench/context.ts";
import { BenchDaemon } from "./bench/daemons.ts";
import { describeBuild, describeMachine } from "./bench/machine.ts";
import { measurePassedStdout, measureReadLoop } from "./bench/measures-fds.ts";
import { measureBreakdown } from "./bench/measures-breakdown.ts";
import { measureLibrary } from "./bench/measures-library.ts";
import { measureMemoryCurve } from "./bench/measures-memory.ts";
import { optimisationsSection } from "./bench/optimisations.ts";
import { measureExternal, measureRoundTrip, measureWholeProcess } from "./bench/measures-latency.ts";
import { measureBulk, measureLoop, measureThroughput, poolMemory, resetAndMemorySection } from "./bench/measures-load.ts";
import { choosePlan, type Plan } from "./bench/plan.ts";
import { expectOutput, spawnAndRead } from "./bench/processes.ts";
import { type ProcessMemory, readProcessMemory } from "./bench/process-memory.ts";
import { until } from "../src/common/until.ts";
import { renderDocument, renderSection, renderTable, targetTable, type Section } from "./bench/report.ts";

const ROOT = resolve(import.meta.dir, "..");
const RUSHD = join(ROOT, "dist", "rushd");
const POOL_WORKERS = 4;
/**
 * The held connections (one per daemon) sit idle through the measures that do
 * not use them, some over 10 s: the default --connection-timeout would close
 * them, failing every later measure that uses one ("the daemon closed the
 * connection"). It is an idle timer, no part of what is measured.
 */
const HELD_CONNECTION_ARGV = ["--connection-timeout", "3600"];
const POOL_ARGV = ["--mode", "pool", "--workers", String(POOL_WORKERS), ...HELD_CONNECTION_ARGV];
const FORK_ARGV = ["--mode", "fork", ...HELD_CONNECTION_ARGV];
const STEADY_ARGV = [...POOL_ARGV, "--max-requests-per-worker", "100000000"];

const startedAt = Date.now();

/**
 * Idle memory is read this long after the workers became idle: past their
 * idle collection (worker/main.ts IDLE_TRIM_MS, 1 s) and the ~200 ms the
 * allocator takes to give the freed pages back. Read at once, a fresh
 * worker still holds ~3 MB of its warm-up's garbage (60.8 against 57.7 MB),
 * and one whose last session just ended has not collected yet.
 */
const MEMORY_SETTLE_MS = 2_000;

/** The measures BENCHMARKS.svg draws, by their key in `measures`. */
const LATENCY_CHART = "Round trip of `true`";
const THROUGHPUT_CHART = "Throughput";

function progress(line: string): void {
  process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  const plan = choosePlan(argv);
  const command = ["bun scripts/bench.ts", ...argv].join(" ");
  await checkBinary();
  const machine = describeMachine();
  const build = describeBuild(ROOT, RUSHD);
  if (build.newerSources.length > 0) progress(`warning: ${build.newerSources.length} source file(s) are newer than dist/rushd; run 'npm run build' to bench the current tree`);

  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals): void => {
    progress(`${signal}: stopping everything the benchmark started`);
    void cleanup.runAll().then((problems) => {
      for (const problem of problems) process.stderr.write(`bench: cleanup: ${problem}\n`);
      process.exit(130);
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const sections: Section[] = [];
  const charted = new Map<string, Section>();
  let failed = false;
  try {
    const dir = mkdtempSync(join(tmpdir(), "rushd-bench-"));
    chmodSync(dir, 0o700);
    cleanup.add(`remove ${dir}`, async () => rmSync(dir, { recursive: true, force: true }));
    cleanup.add("reap leftover processes", async () => {
      for (const pid of processesMentioning(dir)) {
        process.stderr.write(`bench: process ${pid} (started for ${dir}) was still running; killing it\n`);
        process.kill(pid, "SIGKILL");
        failed = true;
      }
    });

    progress(`plan '${plan.name}'; compiling the Bun hello-world`);
    const helloBinary = await compileHelloWorld(dir);
    const spawnFloorBinary = await compileSpawnFloor(dir);
    const idleFloor = await measureIdleFloor(dir, cleanup);
    progress("starting the pool and fork daemons");
    const pool = await BenchDaemon.start(RUSHD, dir, "pool", POOL_ARGV);
    cleanup.add("stop the pool daemon", async () => reportProblems(await pool.stop()));
    const fork = await BenchDaemon.start(RUSHD, dir, "fork", FORK_ARGV);
    cleanup.add("stop the fork daemon", async () => reportProblems(await fork.stop()));
    const steady = await BenchDaemon.start(RUSHD, dir, "steady", STEADY_ARGV);
    cleanup.add("stop the no-retirement pool daemon", async () => reportProblems(await steady.stop()));
    await steady.waitForIdleWorkers(POOL_WORKERS);
    await pool.waitForIdleWorkers(POOL_WORKERS);
    await Bun.sleep(MEMORY_SETTLE_MS);
    const fresh = poolMemory(await pool.waitForIdleWorkers(POOL_WORKERS));

    const poolClient = await connect({ socket: pool.socket, autostart: false });
    const closePool = cleanup.add("close the pool client", async () => poolClient.close());
    const forkClient = await connect({ socket: fork.socket, autostart: false });
    const closeFork = cleanup.add("close the fork client", async () => forkClient.close());
    const steadyClient = await connect({ socket: steady.socket, autostart: false });
    cleanup.add("close the no-retirement pool client", async () => steadyClient.close());
    const ctx: BenchContext = { plan, rushd: RUSHD, dir, pool, fork, steady, poolClient, forkClient, steadyClient, helloBinary, spawnFloorBinary, cleanup, progress };

    const measures: [string, () => Promise<Section>][] = [
      [LATENCY_CHART, () => measureRoundTrip(ctx, "true", { status: 0, stdout: "" })],
      ["Round trip of `echo hi`", () => measureRoundTrip(ctx, "echo hi", { status: 0, stdout: "hi\n" })],
      ["Whole process", () => measureWholeProcess(ctx)],
      ["External command", () => measureExternal(ctx)],
      [THROUGHPUT_CHART, () => measureThroughput(ctx)],
      ["Interpreter loop", () => measureLoop(ctx)],
      ["Bulk output", () => measureBulk(ctx)],
      ["Bulk output through rushd -c", () => measurePassedStdout(ctx)],
      ["while read over the caller's stdin", () => measureReadLoop(ctx)],
      ["The library from Node.js and Bun", () => measureLibrary(ctx)],
      ["Where one round trip goes", () => measureBreakdown(ctx)],
      ["Memory over many sessions", () => measureMemoryCurve(ctx)],
    ];
    for (const [title, measure] of measures) {
      progress(`measuring: ${title}`);
      const section = await guarded(title, measure);
      if (section.error !== undefined || section.failures.length > 0) failed = true;
      sections.push(section);
      charted.set(title, section);
      process.stdout.write(`\n${renderSection(section)}`);
    }

    progress("reading reset times and idle memory");
    await closePool();
    await closeFork();
    await pool.waitForIdleWorkers(POOL_WORKERS);
    await Bun.sleep(MEMORY_SETTLE_MS);
    const final = await pool.waitForIdleWorkers(POOL_WORKERS);
    const section = resetAndMemorySection(final, fresh, poolMemory(final), idleFloor);
    sections.push(section, optimisationsSection());
    process.stdout.write(`\n${renderSection(section)}`);
  } finally {
    progress("stopping daemons and removing the socket directory");
    for (const problem of await cleanup.runAll()) {
      process.stderr.write(`bench: cleanup: ${problem}\n`);
      failed = true;
    }
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }

  const durationS = (Date.now() - startedAt) / 1000;
  const allTargets = sections.flatMap((section) => section.targets);
  process.stdout.write(`\n## Targets\n\n${renderTable(targetTable(allTargets))}\n\n`);
  const document = renderDocument({ date: new Date(startedAt), command, machine, build, durationS, sections, method: method(plan) });
  if (plan.name === "default") {
    writeFileSync(join(ROOT, "BENCHMARKS.md"), document);
    const chart = renderChart({ date: new Date(startedAt), machine, latency: charted.get(LATENCY_CHART), throughput: charted.get(THROUGHPUT_CHART) });
    writeFileSync(join(ROOT, "BENCHMARKS.svg"), chart);
    progress(`wrote BENCHMARKS.md and BENCHMARKS.svg (${durationS.toFixed(0)} s in all)`);
  } else {
    progress(`--quick: BENCHMARKS.md and BENCHMARKS.svg left as they are (${durationS.toFixed(0)} s in all)`);
  }
  return failed ? 1 : 0;
}

/** A measure that throws becomes a section saying so; the others still run. */
async function guarded(title: string, measure: () => Promise<Section>): Promise<Section> {
  try {
    return await measure();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    progress(`${title} failed: ${error.message}`);
    return { title, intro: [], tables: [], targets: [], notes: [], failures: [], error: error.message };
  }
}

async function checkBinary(): Promise<void> {
  if (!existsSync(RUSHD)) throw new Error(`${RUSHD} is missing; run 'npm run build' first`);
  const probe = await spawnAndRead([RUSHD, "--no-daemon", "-c", "echo hi"]);
  expectOutput(`${RUSHD} --no-daemon -c 'echo hi' (is the build working?)`, probe, { status: 0, stdout: "hi\n" });
}

/** `source` as a compiled Bun program in `dir`, built as the runtime's floor is (`bun build --compile --minify --bytecode`). */
async function compileProgram(dir: string, name: string, source: string): Promise<string> {
  const file = join(dir, `${name}.ts`);
  const binary = join(dir, name);
  writeFileSync(file, source);
  const built = Bun.spawn([process.execPath, "build", "--compile", "--minify", "--bytecode", file, "--outfile", binary], { stdout: "pipe", stderr: "pipe" });
  const [stderr, status] = await Promise.all([new Response(built.stderr).text(), built.exited, new Response(built.stdout).text()]);
  if (status !== 0) throw new Error(`bun build --compile of ${name} failed: ${stderr.trim()}`);
  return binary;
}

/** The runtime's floor: a one-line program compiled like dist/rushd (see package.json "build"). */
async function compileHelloWorld(dir: string): Promise<string> {
  const binary = await compileProgram(dir, "hello", 'console.log("hello world");\n');
  expectOutput("compiled hello-world", await spawnAndRead([binary]), { status: 0, stdout: "hello world\n" });
  return binary;
}

/**
 * The floor of any `rushd -c` on Bun for a command that runs an external
 * program: a compiled program that starts its arguments itself, with the
 * caller's stdio, and exits with their status. No daemon, no protocol.
 */
async function compileSpawnFloor(dir: string): Promise<string> {
  const source = [
    "const child = Bun.spawnSync(process.argv.slice(2), { stdio: [\"inherit\", \"inherit\", \"inherit\"] });",
    "process.exit(child.exitCode ?? 1);",
    "",
  ].join("\n");
  const binary = await compileProgram(dir, "spawn-floor", source);
  expectOutput("compiled spawn floor", await spawnAndRead([binary, "echo", "floor"]), { status: 0, stdout: "floor\n" });
  return binary;
}

/**
 * The floor of a worker's idle memory on Bun: a compiled program that
 * listens on a Unix socket and waits, measured as the workers are (2 s idle).
 */
async function measureIdleFloor(dir: string, cleanup: Cleanup): Promise<ProcessMemory | undefined> {
  const socket = join(dir, "idle-floor.sock");
  const source = [
    `Bun.listen({ unix: ${JSON.stringify(socket)}, socket: { data() {} } });`,
    "setInterval(() => {}, 1 << 30);",
    "",
  ].join("\n");
  const binary = await compileProgram(dir, "idle-floor", source);
  const child = Bun.spawn([binary], { stdio: ["ignore", "ignore", "inherit"] });
  const stop = cleanup.add("stop the idle floor program", async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  try {
    await until(() => existsSync(socket), { timeoutMs: 10_000, what: "the idle floor program's socket" });
    await Bun.sleep(MEMORY_SETTLE_MS);
    return readProcessMemory(child.pid);
  } finally {
    await stop();
  }
}

/** Pids of processes whose command line names `dir` (only the benchmark's own daemons, workers and helpers do). */
function processesMentioning(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch (error) {
      if (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ESRCH" || error.code === "EACCES")) continue;
      throw error;
    }
    if (cmdline.includes(dir)) pids.push(Number(entry));
  }
  return pids;
}

function reportProblems(problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(problems.join("; "));
}

function method(plan: Plan): string[] {
  return [
    `Plan '${plan.name}'. Within each measure the contenders run interleaved in rounds (${plan.rounds} for the latency measures), each taking its share of samples per round, the order rotating from round to round, so machine noise hits all alike. Untimed warm-up runs come first (a tenth of the samples, 3 to 500).`,
    "The daemons and workers are `dist/rushd`; the client library (`connect`, `RushdClient.run`) is imported from `src/client/` of the tree at run time (the Node.js/Bun library section imports the built `dist/lib/`), so build just before benching.",
    "Every sample's result is checked (exit status and stdout); a wrong answer fails that contender instead of being timed.",
    "Times are wall times in the benchmark process (`Bun.nanoseconds()`), from issuing the request to having the status and all output. Median and p99 are nearest-rank over all samples.",
    `Daemons: \`dist/rushd start --socket DIR/pool.sock ${POOL_ARGV.join(" ")}\` and \`dist/rushd start --socket DIR/fork.sock ${FORK_ARGV.join(" ")}\`, other options at their defaults but --connection-timeout (its default 10 s would close the held connections while other measures run); so a held pool lease moves to a newly started worker after --max-requests-per-worker 1000 sessions. A third daemon, \`${STEADY_ARGV.join(" ")}\`, shows rushd without that retirement; targets are judged on the defaults. DIR is a private mkdtemp directory, mode 0700.`,
    "Peers: `Bun.spawn([\"dash\"|\"bash\", \"-c\", cmd])` with stdout read to the end and the exit awaited; running `dash` and `bash --norc --noprofile` coprocesses fed `cmd; echo __END__$?` and read up to the sentinel; a Bun↔Bun Unix-socket echo of 16 bytes as the floor of one socket round trip.",
  ];
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  return 1;
});
