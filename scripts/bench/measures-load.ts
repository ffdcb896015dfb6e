// Measures under load or over time: throughput with concurrent clients,
// the interpreter loop, bulk output, and the pool's own reset times and
// memory (from `rushd status --json` and /proc).

import { connect, type RushdClient } from "../../src/client/library/index.ts";
import type { BenchContext } from "./context.ts";
import { runOn } from "./context.ts";
import type { DaemonStatus } from "./daemons.ts";
import { rssMb } from "./daemons.ts";
import { readProcessMemory, type ProcessMemory } from "./process-memory.ts";
import { runInterleaved, timeUs, type Outcome } from "./interleave.ts";
import { collectRows, slowdownCheck, speedupCheck, STEADY_NOTE } from "./measures-latency.ts";
import { expectOutput, SentinelShell, spawnAndRead, type CommandOutput } from "./processes.ts";
import { formatCount, formatMb, formatRatio, formatUs, timingTable, type Section, type TargetCheck } from "./report.ts";
import { summarize } from "./stats.ts";

/** Reject after `ms`; the caller must then drop whatever was running (e.g. close its client). */
export async function withTimeout<T>(run: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Another held connection to a daemon, closed by the cleanup. */
async function extraClient(ctx: BenchContext, what: string, socket = ctx.pool.socket): Promise<{ client: RushdClient; close: () => Promise<void> }> {
  const client = await connect({ socket, autostart: false });
  const close = ctx.cleanup.add(what, async () => client.close());
  return { client, close };
}

// --- 7. throughput ---

interface Drive {
  readonly requests: number;
  readonly rate: number;
  readonly latenciesUs: number[];
}

/** Each runner loops until the deadline, one request in flight per runner. */
async function drive(what: string, runners: readonly (() => Promise<CommandOutput>)[], seconds: number, want: CommandOutput): Promise<Drive> {
  const start = Bun.nanoseconds();
  const deadline = start + seconds * 1e9;
  const latenciesUs: number[] = [];
  const counts = await Promise.all(runners.map(async (run) => {
    let count = 0;
    while (Bun.nanoseconds() < deadline) {
      let got: CommandOutput | undefined;
      latenciesUs.push(await timeUs(async () => {
        got = await run();
      }));
      if (got === undefined) throw new Error(`${what}: no result`);
      expectOutput(what, got, want);
      count += 1;
    }
    return count;
  }));
  const requests = counts.reduce((sum, count) => sum + count, 0);
  return { requests, rate: requests / ((Bun.nanoseconds() - start) / 1e9), latenciesUs };
}

export async function measureThroughput(ctx: BenchContext): Promise<Section> {
  const { clients: count, rounds, seconds } = ctx.plan.throughput;
  const want = { status: 0, stdout: "" };
  const closers: (() => Promise<void>)[] = [];
  const rushdName = `rushd pool, ${count} held connections`;
  const steadyName = `rushd pool, no retirement, ${count} held connections`;
  const dashName = `${count} dash coprocesses + sentinel`;
  const results = new Map<string, Drive[]>([[rushdName, []], [steadyName, []], [dashName, []]]);
  try {
    const connectAll = async (first: RushdClient, socket: string, what: string): Promise<RushdClient[]> => {
      const clients = [first];
      for (let i = 1; i < count; i++) {
        const extra = await extraClient(ctx, `${what} ${i}`, socket);
        clients.push(extra.client);
        closers.push(extra.close);
      }
      return clients;
    };
    const clients = await connectAll(ctx.poolClient, ctx.pool.socket, "throughput client");
    const steadyClients = await connectAll(ctx.steadyClient, ctx.steady.socket, "throughput client (no retirement)");
    const shells: SentinelShell[] = [];
    for (let i = 0; i < count; i++) {
      const shell = SentinelShell.start(["dash"]);
      shells.push(shell);
      closers.push(ctx.cleanup.add(`throughput dash coprocess ${i}`, () => shell.stop()));
    }
    const contenders = [
      { name: rushdName, runners: clients.map((client) => () => runOn(client, "true")) },
      { name: steadyName, runners: steadyClients.map((client) => () => runOn(client, "true")) },
      { name: dashName, runners: shells.map((shell) => () => shell.run("true")) },
    ];
    for (const { name, runners } of contenders) await drive(name, runners, Math.min(1, seconds), want); // warm-up
    for (let round = 0; round < rounds; round++) {
      const shift = round % contenders.length;
      for (const { name, runners } of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
        results.get(name)?.push(await drive(name, runners, seconds, want));
      }
      ctx.progress(`  throughput: round ${round + 1}/${rounds}`);
    }
  } finally {
    for (const close of closers.reverse()) await close();
  }
  const rows = [...results].map(([name, drives]) => {
    const rates = summarize(drives.map((one) => one.rate));
    const latency = summarize(drives.flatMap((one) => one.latenciesUs));
    return { name, rates, latency, requests: drives.reduce((sum, one) => sum + one.requests, 0) };
  });
  const rushd = rows[0];
  const median = rushd?.rates.median;
  const check: TargetCheck = median === undefined
    ? { measure: `throughput, ${count} clients, \`true\``, target: "≥ 25,000 requests/s", measured: "not measured", met: undefined }
    : { measure: `throughput, ${count} clients, \`true\``, target: "≥ 25,000 requests/s", measured: `${formatCount(median)} requests/s`, met: median >= 25_000 };
  return {
    title: `Throughput: ${count} concurrent clients running \`true\``,
    intro: [
      `${count} held connections in the benchmark process, each with one request in flight, for ${seconds} s per round; ${rounds} round(s), taking turns with the other contenders driven the same way. Latency is per request under this load.`,
      "The client side (this one Bun process) shares the 2 cores with the workers, as a real caller would.",
    ],
    tables: [{
      columns: ["contender", "requests/s (median of rounds)", "worst round", "rounds", "requests", "latency p50", "latency p99", "÷ rushd (median)"],
      rows: rows.map((row) => [
        row.name,
        formatCount(row.rates.median),
        formatCount(row.rates.min),
        String(row.rates.count),
        formatCount(row.requests),
        formatUs(row.latency.median),
        formatUs(row.latency.p99),
        rushd === undefined ? "n/a" : row === rushd ? "1×" : formatRatio(row.rates.median / rushd.rates.median),
      ]),
    }],
    chart: {
      kind: "throughput",
      rows: rows.map((row) => ({ name: row.name, median: row.rates.median, highlight: row.name.startsWith("rushd") })),
    },
    targets: [check],
    notes: [`"no retirement" is the second pool daemon, started with \`${STEADY_NOTE}\`; targets are judged on the defaults.`],
    failures: [],
  };
}

// --- 8. interpreter loop ---

/** The §7 loop, with its result printed so a broken loop cannot pass as a fast one. */
export const LOOP_SCRIPT = "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo $i";
const LOOP_TIMEOUT_MS = 60_000;

export async function measureLoop(ctx: BenchContext): Promise<Section> {
  const { maxSamples, minSamples, budgetS } = ctx.plan.loop;
  const want = { status: 0, stdout: "100000\n" };
  const { client, close } = await extraClient(ctx, "loop client");
  const rushdName = "rushd pool, held connection";
  const runners: { name: string; run: () => Promise<CommandOutput> }[] = [
    { name: rushdName, run: () => withTimeout(runOn(client, LOOP_SCRIPT), LOOP_TIMEOUT_MS, "the rushd loop") },
    { name: "Bun.spawn dash -c", run: () => spawnAndRead(["dash", "-c", LOOP_SCRIPT]) },
    { name: "Bun.spawn bash -c", run: () => spawnAndRead(["bash", "-c", LOOP_SCRIPT]) },
  ];
  let section: Section;
  try {
    // One untimed run of each estimates a round, to fit the samples in the time budget.
    let roundUs = 0;
    const warmupFailures = new Map<string, string>();
    for (const runner of runners) {
      try {
        roundUs += await timeUs(async () => expectOutput(runner.name, await runner.run(), want));
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        warmupFailures.set(runner.name, error.message);
      }
    }
    const samples = Math.max(minSamples, Math.min(maxSamples, Math.floor((budgetS * 1e6) / Math.max(roundUs, 1))));
    const outcome = await runInterleaved(
      runners.filter((runner) => !warmupFailures.has(runner.name)).map((runner) => ({
        name: runner.name,
        samples,
        warmup: 0,
        once: async () => expectOutput(runner.name, await runner.run(), want),
      })),
      samples,
      (round) => ctx.progress(`  interpreter loop: round ${round + 1}/${samples}`),
    );
    const { rows, failures } = collectRows(outcome, runners.map((runner) => runner.name));
    const allFailures = [...[...warmupFailures].map(([name, message]) => `${name} (left out): ${message}`), ...failures];
    const rushd = rows.find((row) => row.name === rushdName);
    section = {
      title: "Interpreter loop",
      intro: [
        `\`${LOOP_SCRIPT}\` (the §7 loop; the final \`echo $i\` proves it ran). rushd over a held connection; dash and bash spawned with \`-c\` (their start, under 2 ms, is included).`,
        "The last columns divide each contender's time by rushd's: below 1× the contender is faster.",
      ],
      tables: rushd === undefined ? [] : [timingTable(rushd, rows)],
      targets: [
        speedupCheck("interpreter loop vs bash", "faster than bash", rushd, rows.find((row) => row.name === "Bun.spawn bash -c"), 1),
        slowdownCheck("interpreter loop vs dash", "≤ 1.5× dash's time", rushd, rows.find((row) => row.name === "Bun.spawn dash -c"), 1.5),
      ],
      notes: [],
      failures: allFailures,
    };
  } finally {
    await close();
  }
  return section;
}

// --- 1 GiB of stdout ---

const BULK_TIMEOUT_MS = 120_000;

export async function measureBulk(ctx: BenchContext): Promise<Section> {
  const { bytes, samples } = ctx.plan.bulk;
  const script = `head -c ${bytes} /dev/zero`;
  const rushdName = "rushd pool, held connection";
  const directName = "Bun.spawn head, read from its pipe";
  const before = await ctx.pool.status();
  const pids = [before.pid, ...before.workers.map((worker) => worker.pid)];
  const idleRss = new Map(pids.map((pid) => [pid, rssMb(pid) ?? 0]));
  const peakRss = new Map(idleRss);
  const sampler = setInterval(() => {
    for (const pid of pids) peakRss.set(pid, Math.max(peakRss.get(pid) ?? 0, rssMb(pid) ?? 0));
  }, 20);
  const { client, close } = await extraClient(ctx, "bulk client");
  let outcome: Outcome;
  try {
    outcome = await runInterleaved([
      {
        name: rushdName,
        samples,
        warmup: 0,
        once: async () => {
          let received = 0;
          const run = client.run(script, { onStdout: (data) => void (received += data.length) });
          const result = await withTimeout(run, BULK_TIMEOUT_MS, "the rushd bulk transfer");
          if (result.status !== 0 || received !== bytes) throw new Error(`${rushdName}: status ${result.status}, ${received} of ${bytes} bytes`);
        },
      },
      {
        name: directName,
        samples,
        warmup: 0,
        once: async () => {
          const child = Bun.spawn(["head", "-c", String(bytes), "/dev/zero"], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
          let received = 0;
          for await (const chunk of child.stdout) received += chunk.length;
          const status = await child.exited;
          if (status !== 0 || received !== bytes) throw new Error(`${directName}: status ${status}, ${received} of ${bytes} bytes`);
        },
      },
    ], samples, (round) => ctx.progress(`  bulk output: round ${round + 1}/${samples}`));
  } finally {
    clearInterval(sampler);
    await close();
  }
  const { rows, failures } = collectRows(outcome, [rushdName, directName]);
  const mbPerS = (us: number): number => bytes / us; // bytes per µs = MB/s
  const rushd = rows.find((row) => row.name === rushdName);
  const direct = rows.find((row) => row.name === directName);
  const daemonPeak = peakRss.get(before.pid) ?? 0;
  const workerPeak = Math.max(0, ...before.workers.map((worker) => peakRss.get(worker.pid) ?? 0));
  const workerIdle = Math.max(0, ...before.workers.map((worker) => idleRss.get(worker.pid) ?? 0));
  const boundedMb = 200;
  const size = `${bytes / 2 ** 20} MiB`;
  const targets: TargetCheck[] = [
    rushd === undefined || direct === undefined
      ? { measure: `${size} of stdout`, target: "≥ 50% of a direct pipe's MB/s", measured: "not measured", met: undefined }
      : {
        measure: `${size} of stdout`,
        target: "≥ 50% of a direct pipe's MB/s",
        measured: `${((direct.summary.median / rushd.summary.median) * 100).toFixed(0)}% (${mbPerS(rushd.summary.median).toFixed(0)} vs ${mbPerS(direct.summary.median).toFixed(0)} MB/s)`,
        met: direct.summary.median / rushd.summary.median >= 0.5,
      },
    {
      measure: `${size} of stdout, memory`,
      target: `bounded (here: every rushd process under ${boundedMb} MB RSS)`,
      measured: `peak worker ${formatMb(workerPeak)}, daemon ${formatMb(daemonPeak)}`,
      met: rushd === undefined ? undefined : workerPeak < boundedMb && daemonPeak < boundedMb,
    },
  ];
  return {
    title: `Bulk output: ${size} of stdout`,
    intro: [
      `\`${script}\` run by a pooled worker, its output counted by an \`onStdout\` callback in the client, vs the same command spawned by the benchmark process and its pipe read directly.`,
    ],
    tables: [{
      columns: ["contender", "median time", "MB/s (at median)", "slowest", "samples"],
      rows: rows.map((row) => [row.name, formatUs(row.summary.median), mbPerS(row.summary.median).toFixed(0), formatUs(row.summary.max), String(row.summary.count)]),
    }],
    targets,
    notes: [
      `RSS sampled every 20 ms during the measure: busiest worker ${formatMb(workerIdle)} before, ${formatMb(workerPeak)} at peak; daemon ${formatMb(idleRss.get(before.pid) ?? 0)} before, ${formatMb(daemonPeak)} at peak.`,
    ],
    failures,
  };
}

// --- 9. reset time and idle memory ---

const IDLE_FLOOR = "reference: a compiled Bun program idle on a Unix socket";

export interface WorkerMemory {
  readonly rssMb: readonly number[];
  /** RssAnon and PSS of the same workers (process-memory.ts says what each counts). */
  readonly anonMb: readonly number[];
  readonly pssMb: readonly number[];
  readonly daemonMb: number;
}

export function poolMemory(status: DaemonStatus): WorkerMemory {
  const idle = status.workers.filter((worker) => worker.state === "idle");
  const memories = idle.map((worker) => readProcessMemory(worker.pid)).filter((value): value is ProcessMemory => value !== undefined);
  return {
    rssMb: memories.map((memory) => memory.rssMb),
    anonMb: memories.map((memory) => memory.anonMb),
    pssMb: memories.map((memory) => memory.pssMb),
    daemonMb: rssMb(status.pid) ?? Number.NaN,
  };
}

export function resetAndMemorySection(final: DaemonStatus, fresh: WorkerMemory, after: WorkerMemory, idleFloor: ProcessMemory | undefined): Section {
  const reset = final.resetUs;
  const describe = (memory: WorkerMemory): string[] => {
    if (memory.rssMb.length === 0) return ["0", "n/a", "n/a", "n/a", "n/a", "n/a", formatMb(memory.daemonMb)];
    const summary = summarize(memory.rssMb);
    return [
      String(summary.count), formatMb(summary.min), formatMb(summary.median), formatMb(summary.max),
      formatMb(summarize(memory.anonMb).median), formatMb(summarize(memory.pssMb).median), formatMb(memory.daemonMb),
    ];
  };
  const rssCheck = (when: string, memory: WorkerMemory): TargetCheck => memory.rssMb.length === 0
    ? { measure: `idle RSS per pooled worker, ${when}`, target: "≤ 40 MB", measured: "not measured", met: undefined }
    : { measure: `idle RSS per pooled worker, ${when}`, target: "≤ 40 MB", measured: `max ${formatMb(Math.max(...memory.rssMb))}`, met: Math.max(...memory.rssMb) <= 40 };
  return {
    title: "Reset in the worker, and idle memory per pooled worker",
    intro: [
      "Reset times are measured inside the workers and reported by `rushd status --json` of the pool daemon at the end of the run (its window holds the most recent 10,000 sessions).",
      "RSS is VmRSS from /proc/PID/status of every idle worker `rushd status` lists: once after the daemon started, once at the end after every client let go, each time 2 s after the workers were idle (past their idle collection). The target is judged on it, as issue 10 states; most of it is pages of the executable shared by every rushd process (RssFile). RssAnon is what a worker allocated itself; PSS splits each shared page among the processes that map it (docs/ARCHITECTURE.md, \"Memory of a worker\").",
    ],
    tables: [
      {
        columns: ["reset µs", "p50", "p99", "max", "sessions counted"],
        rows: [["pool daemon (as the workers report it)", reset.p50.toFixed(2), reset.p99.toFixed(2), reset.max.toFixed(0), formatCount(reset.count)]],
      },
      {
        columns: ["idle worker RSS", "workers", "min", "median", "max", "median RssAnon", "median PSS", "daemon RSS"],
        rows: [
          ["fresh (after start)", ...describe(fresh)],
          ["after the run", ...describe(after)],
          ...(idleFloor === undefined ? [] : [[IDLE_FLOOR, "1", formatMb(idleFloor.rssMb), formatMb(idleFloor.rssMb), formatMb(idleFloor.rssMb), formatMb(idleFloor.anonMb), formatMb(idleFloor.pssMb), "—"]]),
        ],
      },
    ],
    targets: [
      { measure: "reset in the worker, p50", target: "≤ 10 µs (§3 says ≤ 20 µs)", measured: `${reset.p50.toFixed(2)} µs`, met: reset.count > 0 ? reset.p50 <= 10 : undefined },
      { measure: "reset in the worker, p99", target: "≤ 100 µs", measured: `${reset.p99.toFixed(2)} µs`, met: reset.count > 0 ? reset.p99 <= 100 : undefined },
      rssCheck("fresh", fresh),
      rssCheck("after the run", after),
    ],
    notes: [
      ...(idleFloor === undefined ? [] : [`${IDLE_FLOOR}: the floor of an idle Bun process, ${formatMb(idleFloor.rssMb)} RSS of which ${formatMb(idleFloor.fileMb)} are the executable's pages (RssFile). Against it, a fresh worker holds ${formatMb(summarize(fresh.rssMb).median - idleFloor.rssMb)} more: RssAnon ${formatMb(summarize(fresh.anonMb).median - idleFloor.anonMb)} (the JS heap, JIT code, the shell's and protocol's code and data) and the rest more of the executable's pages touched (JavaScriptCore's JIT tiers, FFI, spawn).`]),
      `Pool daemon at the end: ${formatCount(final.requestsTotal)} sessions served, ${final.workersStarted} workers started in all (replacements after --max-requests-per-worker included), ${final.resetsFailed} failed resets.`,
    ],
    failures: [],
  };
}
