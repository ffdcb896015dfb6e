// An external command through the interpreter against the same command
// spawned directly, in one process, interleaved: what the shell's own
// external-command path (spawn.ts, child-fds.ts, pumps.ts) adds, without the
// socket and the worker around it. Both give the child /dev/null for stdin
// and read its stdout and stderr through pipes to the end.
//
//   bun scripts/profile-external.ts [iterations]

import { Connection, type ByteSocket, type MessageType } from "../src/protocol/index.ts";
import { ParseCache, Shell } from "../src/shell/index.ts";
import { FrameSink } from "../src/worker/remote-io.ts";

const iterations = Number(process.argv[2] ?? 400);
const socket: ByteSocket = { write: (bytes) => bytes.length, end() {}, pause() {}, resume() {} };
const connection = new Connection(socket, new Set<MessageType>(), { onMessage() {}, onClose() {} });
const env: Record<string, string> = { ...(process.env as Record<string, string>), PWD: "/tmp" };
const parseCache = new ParseCache();
let umask = 0o022;

async function throughShell(): Promise<void> {
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/tmp", env, stdin: { kind: "null" },
    stdout: { kind: "sink", sink: new FrameSink(connection, "Stdout", () => 1) },
    stderr: { kind: "sink", sink: new FrameSink(connection, "Stderr", () => 1) },
    host: { getUmask: () => umask, setUmask: (mask) => (umask = mask), processStarted() {} },
    ppid: 1, passedFds: undefined, limits: undefined, nice: undefined, ignoredSignals: undefined,
    flags: undefined, longOptions: undefined, checkpoint: undefined, parseCache,
  });
  await shell.run("/bin/true", { continues: false });
  await shell.dispose();
}

async function direct(): Promise<void> {
  const child = Bun.spawn(["/bin/true"], { cwd: "/tmp", env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  await Promise.all([new Response(child.stdout).arrayBuffer(), new Response(child.stderr).arrayBuffer(), child.exited]);
}

function medianUs(samplesNs: number[]): number {
  return (samplesNs.sort((a, b) => a - b)[samplesNs.length >> 1] ?? Number.NaN) / 1000;
}

for (let i = 0; i < 50; i++) {
  await throughShell();
  await direct();
}
const shellNs: number[] = [];
const directNs: number[] = [];
for (let i = 0; i < iterations; i++) {
  let start = Bun.nanoseconds();
  await throughShell();
  shellNs.push(Bun.nanoseconds() - start);
  start = Bun.nanoseconds();
  await direct();
  directNs.push(Bun.nanoseconds() - start);
}
const [shell, spawned] = [medianUs(shellNs), medianUs(directNs)];
console.log(`/bin/true ×${iterations}: through the shell ${shell.toFixed(0)} µs, direct Bun.spawn ${spawned.toFixed(0)} µs (medians), ${(shell / spawned).toFixed(3)}×`);
