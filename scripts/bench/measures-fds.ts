// Measures of `rushd -c` working on its caller's own fds (issue 8: the
// client passes them to the worker with SCM_RIGHTS), against `dash -c` doing
// the same in the same run: 1 GiB written straight to the caller's stdout
// (/dev/null, then a pipe to cat), and a `while read` loop over the caller's
// stdin, a regular file. Each contender is the whole process, spawned.

import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchContext } from "./context.ts";
import { runInterleaved } from "./interleave.ts";
import { collectRows, slowdownCheck } from "./measures-latency.ts";
import { warmupFor } from "./plan.ts";
import { expectOutput, type CommandOutput } from "./processes.ts";
import { timingTable, type Section, type TargetCheck, type TimedRow } from "./report.ts";

/** Longer than any one sample takes on a loaded machine; a hung one is killed and fails its contender. */
const SAMPLE_TIMEOUT_MS = 120_000;

/** Spawn `argv` with stdin from `stdinFd` (or none), read stdout to the end, await the exit. */
async function spawnWithStdin(argv: readonly string[], stdinFd?: number): Promise<CommandOutput> {
  const child = Bun.spawn([...argv], { stdin: stdinFd ?? "ignore", stdout: "pipe", stderr: "inherit", timeout: SAMPLE_TIMEOUT_MS, killSignal: "SIGKILL" });
  const [stdout, status] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  return { status, stdout };
}

function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

// --- 1 GiB through rushd -c to the caller's stdout ---

export async function measurePassedStdout(ctx: BenchContext): Promise<Section> {
  const { bytes, samples } = ctx.plan.passedStdout;
  const command = `head -c ${bytes} /dev/zero`;
  const rushd = `${quote(ctx.rushd)} --socket ${quote(ctx.pool.socket)} -c ${quote(command)}`;
  const dash = `dash -c ${quote(command)}`;
  const floor = `${quote(ctx.spawnFloorBinary)} ${command}`;
  // bash runs the redirection or pipeline for both, so each sample's only difference is the shell
  // under test; pipefail makes a failed rushd or dash fail the sample, not just cat's status count.
  // (No `|` in the labels: they end up in Markdown table cells.)
  const sinks = [
    { label: ">/dev/null", suffix: ">/dev/null" },
    { label: "piped to cat >/dev/null", suffix: "| cat >/dev/null" },
  ].map(({ label, suffix }) => ({
    label,
    rushd: { name: `rushd -c, ${label}`, script: `set -o pipefail; ${rushd} ${suffix}` },
    dash: { name: `dash -c, ${label}`, script: `set -o pipefail; ${dash} ${suffix}` },
    floor: { name: `reference: a compiled Bun program running head itself, ${label}`, script: `set -o pipefail; ${floor} ${suffix}` },
  }));
  const want = { status: 0, stdout: "" };
  const contenders = sinks.flatMap((sink) => [sink.rushd, sink.dash, sink.floor]);
  const outcome = await runInterleaved(
    contenders.map(({ name, script }) => ({
      name,
      samples,
      warmup: 0,
      once: async () => expectOutput(name, await spawnWithStdin(["bash", "-c", script]), want),
    })),
    samples,
    (round) => ctx.progress(`  stdout through rushd -c: round ${round + 1}/${samples}`),
  );
  const { rows, failures } = collectRows(outcome, contenders.map((contender) => contender.name));
  const find = (name: string): TimedRow | undefined => rows.find((row) => row.name === name);
  const size = `${bytes / 2 ** 20} MiB`;
  const mbPerS = (us: number): number => bytes / us; // bytes per µs = MB/s
  const targets: TargetCheck[] = sinks.map((sink) => {
    const rushdRow = find(sink.rushd.name);
    const dashRow = find(sink.dash.name);
    const measure = `${size} through \`rushd -c\`, ${sink.label}, vs dash -c`;
    const target = "≥ 90% of dash's MB/s";
    if (rushdRow === undefined || dashRow === undefined) return { measure, target, measured: "not measured", met: undefined };
    const share = dashRow.summary.median / rushdRow.summary.median;
    const measured = `${(share * 100).toFixed(0)}% (${mbPerS(rushdRow.summary.median).toFixed(0)} vs ${mbPerS(dashRow.summary.median).toFixed(0)} MB/s)`;
    return { measure, target, measured, met: share >= 0.9 };
  });
  return {
    title: `Bulk output through \`rushd -c\`: ${size} to the caller's stdout`,
    intro: [
      `\`${command}\` under \`rushd -c\` (the pool daemon) and under \`dash -c\`, each spawned by \`bash -c 'set -o pipefail; … >/dev/null'\` or \`… | cat >/dev/null\`: the output goes to the fd the caller gave, which the worker received with SCM_RIGHTS.`,
      "Time is the whole process, spawn to exit; one table per sink, its last columns dividing dash's time by rushd's (below 1× dash is faster). MB/s, in the targets, is at the median.",
    ],
    tables: sinks.flatMap((sink) => {
      const subject = find(sink.rushd.name);
      const rows = [subject, find(sink.dash.name), find(sink.floor.name)].filter((row): row is TimedRow => row !== undefined);
      return subject === undefined ? [] : [timingTable(subject, rows)];
    }),
    targets,
    notes: [
      "To /dev/null, `head` writes at memory speed, so the whole run is short and `rushd -c`'s fixed start-up (see the whole-process measure) weighs in the ratio; through a pipe, the pipe sets the pace.",
      "The reference is the floor of any `rushd -c` on Bun: a compiled Bun program (`bun build --compile --minify --bytecode`) that runs `head` itself with `Bun.spawnSync` and the caller's stdio, with no daemon and no protocol. "
        + sinks.map((sink) => floorShare(sink.label, find(sink.dash.name), find(sink.floor.name), find(sink.rushd.name))).join(" "),
    ],
    failures,
  };
}

/** "`>/dev/null`: the floor reaches 92% of dash's MB/s, rushd -c 88%." */
function floorShare(label: string, dash: TimedRow | undefined, floor: TimedRow | undefined, rushd: TimedRow | undefined): string {
  if (dash === undefined || floor === undefined || rushd === undefined) return `${label}: not measured.`;
  const share = (row: TimedRow): string => `${((dash.summary.median / row.summary.median) * 100).toFixed(0)}%`;
  return `${label}: the floor reaches ${share(floor)} of dash's MB/s, rushd -c ${share(rushd)}.`;
}

// --- while read over the caller's stdin ---

export async function measureReadLoop(ctx: BenchContext): Promise<Section> {
  const { lines, samples } = ctx.plan.readLoop;
  // The last line has no newline: the final `read` fails on it with `l` set, so printing `$l` proves every line was read.
  const file = join(ctx.dir, "lines.txt");
  writeFileSync(file, Array.from({ length: lines }, (_, i) => String(i + 1)).join("\n"));
  const script = "while read l; do :; done; echo \"$l\"";
  const want = { status: 0, stdout: `${lines}\n` };
  const rushdName = "rushd -c (pool daemon running)";
  const dashName = "dash -c";
  const onFile = (argv: readonly string[]) => async (): Promise<CommandOutput> => {
    const fd = openSync(file, "r");
    try {
      return await spawnWithStdin(argv, fd);
    } finally {
      closeSync(fd);
    }
  };
  // The same loop with stdin a pipe (`cat FILE | …`, run by bash for both): rushd looks at the pipe
  // before it takes a line (tee(2)), dash reads a byte at a time.
  // (No `|` in the labels: they end up in Markdown table cells.)
  const rushdPipeName = "rushd -c, stdin a pipe from cat";
  const dashPipeName = "dash -c, stdin a pipe from cat";
  const throughPipe = (command: string) => async (): Promise<CommandOutput> => spawnWithStdin(["bash", "-c", `cat ${quote(file)} | ${command}`]);
  const runners = [
    { name: rushdName, run: onFile([ctx.rushd, "--socket", ctx.pool.socket, "-c", script]) },
    { name: dashName, run: onFile(["dash", "-c", script]) },
    { name: rushdPipeName, run: throughPipe(`${quote(ctx.rushd)} --socket ${quote(ctx.pool.socket)} -c ${quote(script)}`) },
    { name: dashPipeName, run: throughPipe(`dash -c ${quote(script)}`) },
  ];
  const outcome = await runInterleaved(
    runners.map(({ name, run }) => ({ name, samples, warmup: warmupFor(samples), once: async () => expectOutput(name, await run(), want) })),
    ctx.plan.rounds,
    (round) => ctx.progress(`  while read: round ${round + 1}/${ctx.plan.rounds}`),
  );
  const { rows, failures } = collectRows(outcome, [rushdName, dashName, rushdPipeName, dashPipeName]);
  const rushd = rows.find((row) => row.name === rushdName);
  const onFileRows = rows.filter((row) => row.name === rushdName || row.name === dashName);
  const rushdPipe = rows.find((row) => row.name === rushdPipeName);
  const pipeRows = rows.filter((row) => row.name === rushdPipeName || row.name === dashPipeName);
  return {
    title: `\`while read\` over ${lines.toLocaleString("en-US")} lines of the caller's stdin`,
    intro: [
      `\`${script}\` with stdin a regular file of the numbers 1 to ${lines} (the last without a newline, so the final \`echo\` shows every line was read). The whole process, spawned: \`rushd -c\` on the pool daemon (the worker reads the caller's fd, passed with SCM_RIGHTS) vs \`dash -c\`.`,
      "On a regular file rushd's `read` takes a block and moves the offset back to just after the line; dash reads a byte at a time. The last columns divide each contender's time by rushd's: below 1× the contender is faster.",
    ],
    tables: [
      ...(rushd === undefined ? [] : [timingTable(rushd, onFileRows)]),
      ...(rushdPipe === undefined ? [] : [timingTable(rushdPipe, pipeRows)]),
    ],
    targets: [slowdownCheck(`\`while read\` over ${lines.toLocaleString("en-US")} lines, rushd -c vs dash -c`, "≤ 1.5× dash's time", rushd, rows.find((row) => row.name === dashName), 1.5)],
    notes: ["The second table is the same loop on a pipe: informative, the target is judged on the file. On a pipe dash and rushd alike may take no byte past a line; rushd's `read` looks at what is waiting (tee(2)) and reads exactly one line's bytes."],
    failures,
  };
}
