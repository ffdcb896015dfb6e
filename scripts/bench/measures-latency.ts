// Latency measures: round trip of a tiny command (held connection, fork
// mode, spawned shells, coprocesses), whole-process start, and an external
// command. Each measure interleaves its contenders (interleave.ts).

import type { BenchContext } from "./context.ts";
import { runOn } from "./context.ts";
import { runInterleaved, type Contender, type Outcome } from "./interleave.ts";
import { warmupFor } from "./plan.ts";
import { expectOutput, SentinelShell, spawnAndRead, spawnAndReadBoth, type CommandOutput } from "./processes.ts";
import { formatRatio, formatUs, timingTable, type Section, type TargetCheck, type TimedRow } from "./report.ts";
import { ProtocolEcho } from "./protocol-echo.ts";
import { SocketEcho } from "./socket-echo.ts";
import { summarize } from "./stats.ts";

export const POOL = "rushd pool, held connection";
export const STEADY_NOTE = "--max-requests-per-worker 100000000";
const STEADY = "rushd pool, no retirement (see notes)";
const FORK = "rushd fork, held daemon connection";
const DASH_COPROCESS = "dash coprocess + sentinel";
const BASH_COPROCESS = "bash coprocess + sentinel";
const SPAWN_DASH = "Bun.spawn dash -c";
const SPAWN_BASH = "Bun.spawn bash -c";
const SOCKET_ECHO = "reference: Bun↔Bun Unix-socket echo";
const PROTOCOL_ECHO = "reference: rushd's frames answered at once, no shell";

function contender(name: string, samples: number, want: CommandOutput, run: () => Promise<CommandOutput>): Contender {
  return {
    name,
    samples,
    warmup: warmupFor(samples),
    once: async () => expectOutput(name, await run(), want),
  };
}

/** Rows for the contenders that produced samples, in the given order, and a line per failed contender. */
export function collectRows(outcome: Outcome, names: readonly string[]): { rows: TimedRow[]; failures: string[] } {
  const rows: TimedRow[] = [];
  for (const name of names) {
    const samples = outcome.samples.get(name) ?? [];
    if (samples.length > 0 && !outcome.failures.has(name)) rows.push({ name, summary: summarize(samples) });
  }
  const failures = [...outcome.failures].map(([name, message]) => `${name} (left out): ${message}`);
  return { rows, failures };
}

function find(rows: readonly TimedRow[], name: string): TimedRow | undefined {
  return rows.find((row) => row.name === name);
}

/** A ratio target: `fast` must be at least `factor`× faster (by median) than `slow`; factor 1 means strictly faster. */
export function speedupCheck(measure: string, target: string, fast: TimedRow | undefined, slow: TimedRow | undefined, factor: number): TargetCheck {
  if (fast === undefined || slow === undefined) return { measure, target, measured: "not measured", met: undefined };
  const ratio = slow.summary.median / fast.summary.median;
  const measured = ratio >= 1 ? `${formatRatio(ratio)} faster` : `${formatRatio(1 / ratio)} slower`;
  return { measure, target, measured, met: factor === 1 ? ratio > 1 : ratio >= factor };
}

/** A ceiling on rushd's time relative to a peer: rushd median ÷ peer median ≤ limit. */
export function slowdownCheck(measure: string, target: string, rushd: TimedRow | undefined, peer: TimedRow | undefined, limit: number): TargetCheck {
  if (rushd === undefined || peer === undefined) return { measure, target, measured: "not measured", met: undefined };
  const ratio = rushd.summary.median / peer.summary.median;
  return { measure, target, measured: `${formatRatio(ratio)} its time`, met: ratio <= limit };
}

/** Measures 1–4: one command's round trip through every contender. */
export async function measureRoundTrip(ctx: BenchContext, command: string, want: CommandOutput): Promise<Section> {
  const { plan } = ctx;
  const counts = plan.roundTrip;
  const dashShell = SentinelShell.start(["dash"]);
  const stopDash = ctx.cleanup.add("dash coprocess", () => dashShell.stop());
  const bashShell = SentinelShell.start(["bash", "--norc", "--noprofile"]);
  const stopBash = ctx.cleanup.add("bash coprocess", () => bashShell.stop());
  const echo = await SocketEcho.start(ctx.dir);
  const stopEcho = ctx.cleanup.add("socket echo server", () => echo.stop());
  const protocolEcho = await ProtocolEcho.start(ctx.dir);
  const stopProtocolEcho = ctx.cleanup.add("protocol echo server", () => protocolEcho.stop());
  const workerUs: number[] = [];
  let outcome: Outcome;
  try {
    outcome = await runInterleaved([
      contender(POOL, counts.held, want, () => runOn(ctx.poolClient, command, workerUs)),
      contender(STEADY, counts.held, want, () => runOn(ctx.steadyClient, command)),
      contender(FORK, counts.fork, want, () => runOn(ctx.forkClient, command)),
      contender(DASH_COPROCESS, counts.coprocess, want, () => dashShell.run(command)),
      contender(BASH_COPROCESS, counts.coprocess, want, () => bashShell.run(command)),
      contender(SPAWN_DASH, counts.spawn, want, () => spawnAndRead(["dash", "-c", command])),
      contender(SPAWN_BASH, counts.spawn, want, () => spawnAndRead(["bash", "-c", command])),
      { name: SOCKET_ECHO, samples: counts.socketEcho, warmup: warmupFor(counts.socketEcho), once: () => echo.roundTrip() },
      { name: PROTOCOL_ECHO, samples: counts.socketEcho, warmup: warmupFor(counts.socketEcho), once: () => protocolEcho.roundTrip() },
    ], plan.rounds, (round) => ctx.progress(`  round trip '${command}': round ${round + 1}/${plan.rounds}`));
  } finally {
    await stopProtocolEcho();
    await stopEcho();
    await stopBash();
    await stopDash();
  }
  const { rows, failures } = collectRows(outcome, [POOL, STEADY, FORK, DASH_COPROCESS, BASH_COPROCESS, SPAWN_DASH, SPAWN_BASH, SOCKET_ECHO, PROTOCOL_ECHO]);
  const pool = find(rows, POOL);
  const label = `round trip \`${command}\``;
  const targets: TargetCheck[] = [
    pool === undefined
      ? { measure: `${label}, pool`, target: "p50 ≤ 40 µs", measured: "not measured", met: undefined }
      : { measure: `${label}, pool`, target: "p50 ≤ 40 µs", measured: `p50 ${formatUs(pool.summary.median)}`, met: pool.summary.median <= 40 },
    speedupCheck(`${label}, pool vs Bun.spawn dash -c`, "≥ 20× faster", pool, find(rows, SPAWN_DASH), 20),
    speedupCheck(`${label}, pool vs bash coprocess`, "faster (> 1×)", pool, find(rows, BASH_COPROCESS), 1),
    speedupCheck(`${label}, pool vs fork mode`, "≥ 100× faster", pool, find(rows, FORK), 100),
    // Issue 10, item 1.
    slowdownCheck(`${label}, pool vs the Bun↔Bun socket echo`, "≤ 2.5× its time", pool, find(rows, SOCKET_ECHO), 2.5),
    pool === undefined
      ? { measure: `${label}, pool, p99 vs its p50`, target: "≤ 5×", measured: "not measured", met: undefined }
      : { measure: `${label}, pool, p99 vs its p50`, target: "≤ 5×", measured: `${formatRatio(pool.summary.p99 / pool.summary.median)}`, met: pool.summary.p99 <= 5 * pool.summary.median },
  ];
  return {
    title: `Round trip of \`${command}\`, one request in flight`,
    intro: [
      "Time from sending the command to having its exit status and all of its output, in the benchmark process.",
      "rushd: `RushdClient.run()` over a held connection (pool: the same leased worker, reset after every session; fork: every session leases a fresh worker from the held daemon connection).",
      `Coprocesses: \`${command}; echo __END__$?\` written to a running shell's stdin, stdout read up to the sentinel. Bun.spawn: spawn, read stdout to the end, await the exit.`,
      "References: a Bun process echoing 16 bytes over a Unix socket (the floor of one round trip between two Bun processes), and a Bun process answering the library's own frames for `run(\"true\")` (SessionInit and Execute, decoded with rushd's code) with an ExecutionResult at once (protocol-echo.ts): the floor of rushd's protocol on Bun, with no session and no shell.",
      "The last columns divide each contender's time by rushd pool's: above 1× the contender is slower.",
    ],
    tables: pool === undefined ? [] : [timingTable(pool, rows)],
    chart: {
      kind: "latency",
      rows: rows.map((row) => ({ name: row.name, median: row.summary.median, p99: row.summary.p99, highlight: row.name.startsWith("rushd") })),
    },
    targets,
    notes: [
      ...(workerUs.length === 0 ? [] : [workerTimeNote(workerUs)]),
      `"${STEADY}" is a second pool daemon started with \`${STEADY_NOTE}\`; it never retires a worker for its count, while the default retires one after 1,000,000 sessions (replaced first: ARCHITECTURE.md "Pool") or once its memory grew past \`--max-worker-growth-mb\`. Targets are judged on the defaults.`,
    ],
    failures,
  };
}

function workerTimeNote(workerUs: readonly number[]): string {
  const inWorker = summarize(workerUs);
  return `Time the worker spent running the script, as rushd reports it (\`durationUs\` of each pool sample, warm-up included; session set-up and reset are outside it): p50 ${formatUs(inWorker.median)}, p99 ${formatUs(inWorker.p99)}; the rest of the round trip is client, socket and protocol.`;
}

/** Measure 5: the whole process, spawned and awaited. */
export async function measureWholeProcess(ctx: BenchContext): Promise<Section> {
  const samples = ctx.plan.wholeProcess;
  const rushdName = "rushd -c true (pool daemon running)";
  const dashName = "dash -c true";
  const helloName = "compiled Bun hello-world";
  const outcome = await runInterleaved([
    contender(rushdName, samples, { status: 0, stdout: "" }, () => spawnAndRead([ctx.rushd, "--socket", ctx.pool.socket, "-c", "true"])),
    contender(dashName, samples, { status: 0, stdout: "" }, () => spawnAndRead(["dash", "-c", "true"])),
    contender(helloName, samples, { status: 0, stdout: "hello world\n" }, () => spawnAndRead([ctx.helloBinary])),
  ], ctx.plan.rounds, (round) => ctx.progress(`  whole process: round ${round + 1}/${ctx.plan.rounds}`));
  const { rows, failures } = collectRows(outcome, [rushdName, dashName, helloName]);
  const rushd = find(rows, rushdName);
  return {
    title: "Whole process: `rushd -c true` against a running daemon",
    intro: [
      "Wall time of one process, from `Bun.spawn` to its exit with stdout read, spawned from the benchmark process.",
      "`rushd -c` starts the compiled executable, asks the daemon for a lease, runs the session on the worker and exits; the hello-world is `bun build --compile --minify --bytecode` of a one-line `console.log`, the floor of any compiled Bun program.",
      "The last columns divide each contender's time by rushd's: below 1× the contender is faster.",
    ],
    tables: rushd === undefined ? [] : [timingTable(rushd, rows)],
    targets: [slowdownCheck("`rushd -c true`, whole process, vs compiled Bun hello-world", "≤ 1.15× its time", rushd, find(rows, helloName), 1.15)],
    notes: [],
    failures,
  };
}

/** Measure 6: an external command over a held connection vs spawning it directly. */
export async function measureExternal(ctx: BenchContext): Promise<Section> {
  const samples = ctx.plan.external;
  const rushdName = "rushd pool: /bin/true";
  const directName = "Bun.spawn /bin/true";
  const bothName = "reference: Bun.spawn /bin/true, stdout and stderr each a pipe read to the end";
  const want = { status: 0, stdout: "" };
  const outcome = await runInterleaved([
    contender(rushdName, samples, want, () => runOn(ctx.poolClient, "/bin/true")),
    contender(directName, samples, want, () => spawnAndRead(["/bin/true"])),
    contender(bothName, samples, want, () => spawnAndReadBoth(["/bin/true"])),
  ], ctx.plan.rounds, (round) => ctx.progress(`  external command: round ${round + 1}/${ctx.plan.rounds}`));
  const { rows, failures } = collectRows(outcome, [rushdName, directName, bothName]);
  const rushd = find(rows, rushdName);
  const direct = find(rows, directName);
  const both = find(rows, bothName);
  const floorNote = direct === undefined || both === undefined || rushd === undefined
    ? []
    : [`The reference is the floor of any run that hands back a command's stdout and stderr apart, as rushd's sessions do: two pipes where the direct spawn reads one and lets stderr through. It takes ${formatRatio(both.summary.median / direct.summary.median)} the direct spawn's time; rushd ${formatRatio(rushd.summary.median / direct.summary.median)}, of which the rest is the session (its set-up, the shell's lookup and pumps, both socket hops).`];
  return {
    title: "External command `/bin/true` over a held connection",
    intro: [
      "rushd: the worker spawns `/bin/true` and returns its status and output; direct: the benchmark process spawns it, reads stdout and awaits the exit.",
    ],
    tables: rushd === undefined ? [] : [timingTable(rushd, rows)],
    targets: [slowdownCheck("external `/bin/true` over a held connection vs direct Bun.spawn", "≤ 1.1× its time", rushd, direct, 1.1)],
    notes: floorNote,
    failures,
  };
}
