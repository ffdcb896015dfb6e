// A pooled worker serves hundreds of sessions; its first ones would run
// through cold (interpreted, not yet JIT-compiled) code. Running a few
// hundred in-memory sessions before reporting ready moves that cost off
// the first clients' path. No process is started and nothing touches the
// worker's state: the sessions use capture sinks and a private host.

import { closeSync, openSync } from "node:fs";
import { decodeMessage, encodeMessage, FrameReader, message, PROTOCOL_VERSION, WORKER_ACCEPTS } from "../protocol/index.ts";
import { Shell, type ShellHost } from "../shell/index.ts";

const WARM_UP_SCRIPTS = ["true", "echo hi", "x=1; [ \"$x\" = 1 ] && echo \"${x}y\"", "f() { return 3; }; f; echo $?", "for i in a b; do case $i in a) :;; *) echo $i;; esac; done"];

/**
 * `while read` over lines of input, the loop `rushd -c` users run over a file: cold, the
 * first 20,000-line loop on a fresh worker took 66 ms against 43 ms for the next (58 ms with this).
 */
const READ_SCRIPT = "while read -r a b; do n=$((n+1)); done; echo \"$n $a\"";
const READ_INPUT = new TextEncoder().encode("first line\n".repeat(40));

/**
 * A `rushd -c` SessionInit carries its caller's whole environment (~1.5 KB,
 * long values) and passed fds; decoding one cold took a worker 115–400 µs
 * (2.9 ms on a fresh runtime, 9 µs once compiled). Decoded this many times
 * per round, so the decoder's paths for long strings and big maps are
 * compiled before the first client.
 */
const CALLER_INIT_DECODES = 8;

function callerInit(): ReturnType<typeof message<"SessionInit">> {
  const env: Record<string, string> = {};
  for (let i = 0; i < 40; i++) env[`VARIABLE_${i}`] = `/usr/local/share/some/path/${i}:/usr/bin:/bin:${"x".repeat(i)}`;
  env.LANG = "C.UTF-8";
  env.NOT_ASCII = "naïve café";
  return message("SessionInit", {
    version: PROTOCOL_VERSION, cwd: "/home/someone/work", env, argv0: "rushd", args: ["a", "b"], umask: 0o022,
    ppid: 1, persistent: false, passedFds: [0, 1, 2], fdNonce: "0123456789abcdef0123456789abcdef",
  });
}

/** Fds like the ones a `rushd -c` client passes (here /dev/null), so the warm-up's sessions run on OS fds too. */
function nullFds(): Map<number, number> {
  return new Map([[0, openSync("/dev/null", "r")], [1, openSync("/dev/null", "w")], [2, openSync("/dev/null", "w")]]);
}

export function warmUp(rounds: number): Promise<void> {
  const host: ShellHost = { getUmask: () => 0o022, setUmask: () => {} };
  const sink = { write: () => {} };
  const env = { PATH: "/usr/bin:/bin", HOME: "/" };
  const init = message("SessionInit", { version: PROTOCOL_VERSION, cwd: "/", argv0: "rushd", args: [], umask: 0o022, persistent: false });
  const reader = new FrameReader();
  const fromCaller = encodeMessage(0, callerInit());
  return (async () => {
    for (let round = 0; round < rounds; round++) {
      for (const frame of reader.push(encodeMessage(round, init))) decodeMessage(frame.payload, WORKER_ACCEPTS);
      for (let i = 0; i < CALLER_INIT_DECODES; i++) for (const frame of reader.push(fromCaller)) decodeMessage(frame.payload, WORKER_ACCEPTS);
      for (const script of WARM_UP_SCRIPTS) {
        const shell = new Shell({ argv0: "rushd", args: [], cwd: "/", env, stdin: { kind: "null" }, stdout: { kind: "sink", sink }, stderr: { kind: "sink", sink }, host });
        await shell.run(script);
        await shell.dispose();
      }
      let offset = 0;
      const input = { read: async (maxBytes: number) => (offset >= READ_INPUT.length ? null : READ_INPUT.subarray(offset, (offset += maxBytes))) };
      const reading = new Shell({ argv0: "rushd", args: [], cwd: "/", env, stdin: { kind: "source", source: input }, stdout: { kind: "sink", sink }, stderr: { kind: "sink", sink }, host });
      await reading.run(READ_SCRIPT);
      await reading.dispose();
      // As a `rushd -c` session runs: on the caller's fds (closed again at once: the worker's fds stay its own).
      const passedFds = nullFds();
      try {
        for (const script of WARM_UP_SCRIPTS.slice(0, 2)) {
          const onFds = new Shell({ argv0: "rushd", args: [], cwd: "/", env, stdin: { kind: "null" }, stdout: { kind: "null" }, stderr: { kind: "null" }, host, passedFds });
          await onFds.run(script);
          await onFds.dispose();
        }
      } finally {
        for (const fd of passedFds.values()) closeSync(fd);
      }
      encodeMessage(round, message("ExecutionResult", { status: 0, durationUs: round }));
    }
  })();
}
