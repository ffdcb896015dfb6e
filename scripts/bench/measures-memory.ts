// A worker's memory over many sessions (issue 10, item 6): one worker, one
// held connection, mixed scripts (builtins, expansions, functions, loops,
// here-documents, command substitution, an external command now and then),
// its RSS read between sessions. A leak in the interpreter or the runtime
// shows as a curve that keeps climbing.

import { connect } from "../../src/client/library/index.ts";
import type { BenchContext } from "./context.ts";
import { BenchDaemon } from "./daemons.ts";
import { readMappingMemory, readProcessMemory, type MappingMemory, type ProcessMemory } from "./process-memory.ts";
import { formatCount, formatMb, type Section, type TargetCheck } from "./report.ts";

/** Never retired, so the curve is one worker's: growth bound far above anything seen, no count bound within the run. */
const MEMORY_ARGV = ["--mode", "pool", "--workers", "1", "--max-workers", "1", "--max-worker-growth-mb", "100000", "--max-requests-per-worker", "10000000", "--connection-timeout", "3600"];

/** Each with its expected stdout; every session's answer is checked. */
const MIXED: readonly (readonly [string, string])[] = [
  ["true", ""],
  ["echo hi", "hi\n"],
  ["x=1; y=$((x+2)); echo $y", "3\n"],
  ["f() { echo \"<$1>\"; }; f a; f b", "<a>\n<b>\n"],
  ["for i in 1 2 3 4 5; do case $i in 3) echo three;; esac; done", "three\n"],
  ["set -- a b c; echo $# \"$@\"", "3 a b c\n"],
  ["v=$(echo sub); echo ${v%b}", "su\n"],
  ["IFS=:; set -- $(echo a:b:c); echo $2", "b\n"],
  ["read x <<EOF\nline\nEOF\necho \"$x\"", "line\n"],
  ["i=0; while [ $i -lt 20 ]; do i=$((i+1)); done; echo $i", "20\n"],
];
/**
 * How long the worker is left idle before its memory is read: before the
 * first session too, so that the fresh and the final readings are taken
 * alike (the allocator gives the warm-up's garbage back ~200 ms after the
 * worker reports ready: measured 60.8 → 57.7 MB).
 */
const IDLE_WAIT_MS = 3_000;

/** Every this many sessions, one runs an external command instead. */
const EXTERNAL_EVERY = 50;

export async function measureMemoryCurve(ctx: BenchContext): Promise<Section> {
  const total = ctx.plan.memorySessions;
  const points = 10;
  const daemon = await BenchDaemon.start(ctx.rushd, ctx.dir, "memory", MEMORY_ARGV);
  const stopDaemon = ctx.cleanup.add("stop the memory daemon", async () => {
    const problems = await daemon.stop();
    if (problems.length > 0) throw new Error(problems.join("; "));
  });
  const client = await connect({ socket: daemon.socket, autostart: false, maxConcurrency: 1 });
  const closeClient = ctx.cleanup.add("close the memory client", async () => client.close());
  const decoder = new TextDecoder();
  const curve: { sessions: number; memory: ProcessMemory }[] = [];
  let workerPid: number | undefined;
  let idleAfter: ProcessMemory | undefined;
  const mappings: { fresh?: MappingMemory; idle?: MappingMemory } = {};
  try {
    const [worker] = (await daemon.waitForIdleWorkers(1)).workers;
    if (worker === undefined) throw new Error("the memory daemon has no worker");
    workerPid = worker.pid;
    const read = (sessions: number): ProcessMemory => {
      const memory = readProcessMemory(worker.pid);
      if (memory === undefined) throw new Error(`worker ${worker.pid} is gone after ${sessions} sessions`);
      return memory;
    };
    const sample = (sessions: number): void => void curve.push({ sessions, memory: read(sessions) });
    await Bun.sleep(IDLE_WAIT_MS);
    mappings.fresh = readMappingMemory(worker.pid);
    sample(0);
    for (let done = 0; done < total;) {
      const script = done % EXTERNAL_EVERY === EXTERNAL_EVERY - 1 ? (["/bin/true", ""] as const) : MIXED[done % MIXED.length] as readonly [string, string];
      const result = await client.run(script[0]);
      const stdout = decoder.decode(result.stdout);
      if (result.status !== 0 || stdout !== script[1]) throw new Error(`session ${done}: ${JSON.stringify(script[0])} gave status ${result.status} and ${JSON.stringify(stdout)}`);
      done += 1;
      if (done % (total / points) === 0) {
        sample(done);
        ctx.progress(`  memory: ${formatCount(done)} sessions, RSS ${formatMb(curve.at(-1)?.memory.rssMb ?? Number.NaN)}`);
      }
    }
    // An idle worker collects its garbage after a second without sessions (worker/main.ts IDLE_TRIM_MS).
    await Bun.sleep(IDLE_WAIT_MS);
    idleAfter = read(total);
    mappings.idle = readMappingMemory(worker.pid);
    const [after] = (await daemon.status()).workers;
    if (after?.pid !== worker.pid) throw new Error(`the worker changed during the run (${worker.pid} → ${after?.pid}): the curve would mix two`);
  } finally {
    await closeClient();
    await stopDaemon();
  }
  const fresh = curve[0]?.memory;
  if (fresh === undefined || idleAfter === undefined) throw new Error("unreachable: the memory run ended without its readings");
  const idle = idleAfter;
  const percent = (now: number, then: number): string => `${now >= then ? "+" : ""}${(((now - then) / then) * 100).toFixed(1)}%`;
  const row = (label: string, memory: ProcessMemory): string[] => [
    label, formatMb(memory.rssMb), percent(memory.rssMb, fresh.rssMb),
    formatMb(memory.anonMb), percent(memory.anonMb, fresh.anonMb), formatMb(memory.fileMb), formatMb(memory.pssMb), formatMb(memory.privateMb),
  ];
  const mappingRow = (label: string, parts: MappingMemory | undefined): string[] => parts === undefined
    ? [label, "n/a", "n/a", "n/a", "n/a", "n/a"]
    : [label, formatMb(parts.textMb), formatMb(parts.rodataMb), formatMb(parts.dataMb), formatMb(parts.heapMb), formatMb(parts.jitMb)];
  const target: TargetCheck = {
    measure: `worker RSS after ${formatCount(total)} mixed sessions (idle) vs fresh`,
    target: "within 10% of fresh",
    measured: `${formatMb(idle.rssMb)} vs ${formatMb(fresh.rssMb)} (${percent(idle.rssMb, fresh.rssMb)})`,
    met: idle.rssMb <= fresh.rssMb * 1.1,
  };
  return {
    title: `Memory of one worker over ${formatCount(total)} sessions`,
    intro: [
      `A daemon of its own (\`${MEMORY_ARGV.join(" ")}\`: the worker is never retired, so the curve is one worker's, pid ${workerPid ?? "?"}); one held connection; the ${MIXED.length} scripts below in turn, every ${EXTERNAL_EVERY}th session \`/bin/true\` instead; every answer checked.`,
      `Scripts: ${MIXED.map(([script]) => `\`${script.replaceAll("\n", "⏎")}\``).join(", ")}.`,
      `Memory is read between sessions: fresh (after its warm-up, a full GC and ${IDLE_WAIT_MS / 1000} s idle, before the first session), every tenth of the run, then once more after ${IDLE_WAIT_MS / 1000} s without sessions. While it is busy the runtime collects when it decides; idle for a second, the worker runs a full collection itself (worker/main.ts). The target is judged on the idle reading: the busy plateau is JIT code and the allocator's cached pages, not a leak (it stops climbing).`,
      "What the columns count (/proc/PID/status and smaps_rollup): RSS (VmRSS, what the target is judged on) is every resident page the worker maps. Most of it is RssFile: pages of the executable (Bun's and JavaScriptCore's native code, read-only data, the bundle's bytecode) that the worker has touched, clean, shared with every other rushd process and the page cache, and dropped by the kernel at no cost. RssAnon is what the worker allocated (heaps, JIT code, stacks); private pages are those no other process maps; PSS divides each shared page by the processes that map it, so it depends on how many rushd processes run. The second table splits RSS by mapping.",
    ],
    tables: [{
      columns: ["sessions", "worker RSS", "vs fresh", "RssAnon", "vs fresh", "RssFile", "PSS", "private"],
      rows: [
        ...curve.map((point) => row(formatCount(point.sessions), point.memory)),
        row(`${formatCount(total)}, then ${IDLE_WAIT_MS / 1000} s idle`, idle),
      ],
    }, {
      columns: ["resident, by mapping", "executable's code (r-xp)", "read-only data (r--p)", "data and bytecode (rw-p)", "anonymous heaps (rw-p)", "JIT code (rwxp)"],
      rows: [mappingRow("fresh", mappings.fresh), mappingRow(`${formatCount(total)}, then ${IDLE_WAIT_MS / 1000} s idle`, mappings.idle)],
    }],
    targets: [target],
    notes: [
      `Idle growth by part: RssAnon ${formatMb(fresh.anonMb)} → ${formatMb(idle.anonMb)} (${percent(idle.anonMb, fresh.anonMb)}), RssFile ${formatMb(fresh.fileMb)} → ${formatMb(idle.fileMb)} (${percent(idle.fileMb, fresh.fileMb)}). A one-time step, not a leak: code compiled at higher JIT tiers than the warm-up reaches, and native paths first run by the mix (docs/ARCHITECTURE.md, "Memory of a worker", has it flat from 100,000 to 400,000 sessions).`,
    ],
    failures: [],
  };
}
