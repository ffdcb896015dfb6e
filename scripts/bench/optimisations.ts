// Every optimisation of the hot paths, with what it measured before and
// after and the command that measured it (issue 10 asks for the record).
// Hand-kept data: a change that claims a gain adds its row here, and the
// bench prints the table into BENCHMARKS.md after the measures, so the
// record and the current numbers sit in one file.

import type { Section } from "./report.ts";

interface Optimisation {
  readonly date: string;
  readonly change: string;
  readonly measure: string;
  readonly before: string;
  readonly after: string;
  readonly command: string;
}

const PROFILE_DAEMON = "`dist/rushd start --socket S --workers 1 --profile-stages`, then";

const OPTIMISATIONS: readonly Optimisation[] = [
  { date: "2026-12-01", change: "parse cache keyed by the script text; fewer promise hops in Shell.run and dispose", measure: "worker's durationUs, `true` / `echo hi`, median", before: "10 / 17 µs", after: "1–2 / 4–5 µs", command: "`bun scripts/profile-session.ts 20000 true 'echo hi'`" },
  { date: "2026-12-01", change: "retire on evidence (RSS growth), not every 1000 sessions; count backstop 100,000", measure: "4 clients, `true`, requests/s", before: "6,943", after: "44,555", command: "`bun run bench` (Throughput)" },
  { date: "2026-12-01", change: "client start-up: lazy node:fs, hand-written msgpack codec, fd listing during the lease wait", measure: "`rushd -c true`, whole process, median", before: "9.6 ms", after: "8.0 ms", command: "`bun scripts/startup-profile.ts`" },
  { date: "2026-12-02", change: "decoder: short ASCII strings interned by a hash of their bytes; no DataView (no ArrayBuffer materialized)", measure: "worker decode of SessionInit + Execute, median", before: "1.9 µs", after: "0.7 µs", command: `${PROFILE_DAEMON} \`bun scripts/profile-round-trip.ts S 10000 true\`` },
  { date: "2026-12-02", change: "client: process.env compared in place, no spreads (message(), the spec, run()'s result), one scratch encoder, frames sliced not viewed, recall of byte-identical payloads", measure: "library: build and encode the request, median", before: "6.8 µs", after: "2.5 µs", command: `${PROFILE_DAEMON} \`bun scripts/profile-round-trip.ts S 10000 true\`` },
  { date: "2026-12-02", change: "the two rows above, the worker running a message's step at once, the library taking a free link without a promise", measure: "held connection, round trip median, `true` / `echo hi`", before: "25.5 / 28.7 µs", after: "16.2 / 17.3 µs (echo hi now 1.06× faster than a bash coprocess)", command: "`bun run bench` (two default runs, 2026-12-02 00:53 and 02:25 UTC)" },
  { date: "2026-12-02", change: "encoder: a grown buffer keeps 1 KiB of slack (a regression of this session's message(), which adds `type` after a Stdout frame's 64 KiB of data, made the buffer grow twice)", measure: "bulk output into a FrameSink, in process, `head -c 512 MiB`", before: "~1,400 MB/s (the regression; ~1,900 before it)", after: "~1,900 MB/s", command: "a Shell with a FrameSink over a discarding socket, 4 runs (as scripts/profile-session.ts builds its sessions)" },
  { date: "2026-12-02", change: "worker: caller's /proc attributes read at accept; fd receiver reuses its buffers; `leased` reported after the session's first turn", measure: "cold `rushd -c`-like session, worker's session set-up, median", before: "116 µs", after: "72 µs", command: `${PROFILE_DAEMON} \`bun scripts/profile-cold-session.ts S 100 8\`` },
  { date: "2026-12-02", change: "SessionInit.envPacked: rushd -c packs its environment during the lease wait; the worker reuses what it decoded for the same bytes", measure: "cold `rushd -c`-like session, worker's decode, median", before: "70 µs (`--env plain`)", after: "42 µs", command: `${PROFILE_DAEMON} \`bun scripts/profile-cold-session.ts S 60 8 [--env plain]\`` },
  { date: "2026-12-02", change: "executable built without reading `.env`/`bunfig.toml` from the cwd and with JIT thresholds ×100 until a long-lived role resets them (scripts/build-executable.ts); the worker reads the client's environment from /proc/<pid>/environ (SessionInit.envFromCaller)", measure: "`rushd -c true`, whole process, median (hello-world 3.36 ms)", before: "7.83 ms (2.33×)", after: "7.20 ms (2.14×)", command: "`bun scripts/startup-profile.ts --samples 300 --socket S` with the old and new binaries as contenders, one daemon" },
  { date: "2026-12-02", change: "rushd -c's direct path: blocking sockets through bun:ffi instead of Bun's sockets, no Connection or promise per message, the general client loaded only when it must take over (client/direct-run.ts)", measure: "`rushd -c true`, whole process, median (hello-world 3.24 ms)", before: "7.67 ms (2.37×, HEAD e357c4b)", after: "6.41 ms (1.98×)", command: "`bun scripts/startup-profile.ts --samples 200 --socket S` with the old and new binaries as contenders, one daemon" },
  { date: "2026-12-02", change: "library: connect({ env }) gives every run its environment once, instead of each run reading and comparing process.env (under Node.js each read is a call into the host: 41.6% of the CPU of a run loop in `node --cpu-prof`)", measure: "library round trip from node v20, `echo hi`, median", before: "42.0–44.5 µs (default, each run reads process.env)", after: "19.8–22.8 µs (connect({ env: { ...process.env } }))", command: "a node script: connect() to a pool daemon, 20,000 sequential `run(\"echo hi\")`, two runs of each" },
  { date: "2026-12-02", change: "the client path's FFI through the runtime's own functions (Bun.FFI, common/ffi.ts) instead of the bun:ffi module, whose JavaScript wrapper is compiled on every start; the caller's standard fds listed without a readlink each", measure: "`rushd -c true`, whole process, median (hello-world 3.66 ms)", before: "6.49 ms (1.77×)", after: "6.01 ms (1.64×)", command: "`bun scripts/startup-profile.ts --samples 300 --socket S` with the old and new binaries as contenders, one daemon" },
  { date: "2026-12-02", change: "an idle worker (1 s without a session) runs a full garbage collection", measure: "one worker's RSS after 100,000 mixed sessions, then 3 s idle", before: "98 MB (no collection: the busy plateau stays)", after: "67.6 MB (fresh: 58.8 MB)", command: "`bun run bench` (Memory of one worker)" },
  { date: "2026-12-02", change: "PATH lookup without an exception per entry that lacks the name (statSync throwIfNoEntry); the worker reads its own limits once and looks for nice(1) only when needed", measure: "cold `rushd -c`-like `head -c 10 /dev/zero >/dev/null`, worker's durationUs, median", before: "1,021 µs", after: "957 µs", command: `${PROFILE_DAEMON} two daemons (old and new binary), 200 sessions each, interleaved, 8 ms apart (as \`scripts/profile-cold-session.ts S 200 8 --script '…'\`)` },
  { date: "2026-12-02", change: "`read` on a regular file through read(2) by FFI instead of fs.readSync, lseek with numbers instead of a bigint per line", measure: "`while read l; do :; done` over 20,000 lines of a file, through `rushd -c`, median (dash 26.3 ms)", before: "36.1 ms", after: "33.7 ms", command: "a bash loop of 41 rounds: dash, the old binary on its own daemon, the new one on its own" },
  { date: "2026-12-02", change: "`read` on a pipe or socket looks first (tee(2), recv MSG_PEEK) and takes one line's bytes; an in-memory pipe hands over pieces up to a delimiter (was: a byte per system call, a view per byte)", measure: "200,000 lines through `while read`: the caller's pipe through `rushd -c` / `seq … \\| while read` in a script (dash 0.22 s)", before: "0.90 s / 0.43 s", after: "0.41 s / 0.29 s", command: "`/usr/bin/time`, 3 runs each, old and new binary" },
  { date: "2026-12-02", change: "`read` on the library's stdin takes a line at once from what the worker has read ahead (RemoteInput.takeLine), not a byte per promise", measure: "library `run('while read l; do n=$((n+1)); done; echo $n', { stdin })`, 200,000 lines (dash 0.34 s)", before: "1.05 s", after: "0.31 s", command: "a Bun script holding one connection, 3 runs each, old and new daemon" },
  { date: "2026-12-02", change: "Execute.noStdin: a library run without `stdin` says so, and the worker ends the command's input at once instead of a StdinWanted/StdinEnd round trip while an external command runs", measure: "library `run('/bin/true')` on a held connection, worker's durationUs, median of 3 runs of 1,000 (direct Bun.spawn ~585 µs on this machine)", before: "696–708 µs", after: "670–684 µs", command: "a Bun script alternating `run('/bin/true')` with a direct Bun.spawn, against the old and the new daemon (`--workers 1`)" },
  { date: "2026-12-02", change: "a Stdout/Stderr chunk of 16 KiB or more leaves in one write with its frame's head, copied into a buffer the connection keeps, at the chunk's own offset modulo 64 (glibc's memmove on AMD CPUs is ~15× slower between buffers not so aligned); was: encoded into a new frame, then copied again into the batch. The frame reader holds a frame's chunks and joins them once, not at every chunk", measure: "library `run('head -c 1073741824 /dev/zero', { onStdout })`, held connection, median of 5 (a direct Bun.spawn of head ~685 ms here) / the worker's CPU time per GiB", before: "1,529 ms (47% of direct) / 1,300 ms", after: "1,074 ms (63%) / 600 ms", command: "a Bun script alternating the run with a direct Bun.spawn of head, 5 rounds, against the old and the new daemon (`--workers 1 --max-workers 1`); CPU from /proc/PID/stat" },
  { date: "2026-12-02", change: "an external command whose stdin is already at its end (a library run without `stdin`) gets /dev/null instead of a pipe and a pump; whether an environment holds bytes that are not UTF-8 is remembered per environment object instead of scanned per spawn", measure: "library `run('/bin/true')` on a held connection, worker's durationUs, median of 3 runs of 800", before: "646–662 µs", after: "631–641 µs", command: "a Bun script alternating `run('/bin/true')` with a direct Bun.spawn, against the old and the new daemon (`--workers 1`), runs interleaved" },
  { date: "2026-12-02", change: "spawn: pipe2 writes into one kept buffer instead of a new typed array and ptr() per pipe; whether an environment holds a NUL is remembered per environment object instead of scanned per command", measure: "in process, `/bin/true` through the shell vs a direct Bun.spawn (stdout and stderr piped), ratio of medians, 3 runs of 400 alternating old and new", before: "1.229 / 1.249 / 1.309×", after: "1.214 / 1.223 / 1.251× (within this machine's noise)", command: "`bun scripts/profile-external.ts 400`" },
];

export function optimisationsSection(): Section {
  return {
    title: "Optimisations, before and after",
    intro: [
      "Each change that was made for speed or memory, with the number it moved and the command that measured it, before and after (kept by hand in scripts/bench/optimisations.ts; the tables above are this run's).",
    ],
    tables: [{
      columns: ["date", "change", "measure", "before", "after", "command"],
      rows: OPTIMISATIONS.map((row) => [row.date, row.change, row.measure, row.before, row.after, row.command]),
    }],
    targets: [],
    notes: [],
    failures: [],
  };
}
