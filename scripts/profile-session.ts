// Per-phase cost of one worker session, in process, built the way
// src/worker/lease-connection.ts builds it: a Shell with sink stdout/stderr
// (FrameSink over a Connection whose socket takes every byte) and a source
// stdin (RemoteInput), then run, then dispose. Prints medians and p99 in µs
// of construct, run (what ExecutionResult.durationUs measures) and dispose.
//
//   bun scripts/profile-session.ts [iterations] [script ...]
//   bun scripts/profile-session.ts 20000 true 'echo hi'

import { Connection, type ByteSocket, type MessageType } from "../src/protocol/index.ts";
import { ParseCache, Shell } from "../src/shell/index.ts";
import { FrameSink, RemoteInput } from "../src/worker/remote-io.ts";

const iterations = Number(process.argv[2] ?? 20_000);
const scripts = process.argv.length > 3 ? process.argv.slice(3) : ["true", "echo hi"];

let bytesWritten = 0;
const socket: ByteSocket = {
  write(bytes) {
    bytesWritten += bytes.length;
    return bytes.length;
  },
  end() {},
  pause() {},
  resume() {},
};
const connection = new Connection(socket, new Set<MessageType>(), { onMessage() {}, onClose() {} });
const env: Record<string, string> = { ...(process.env as Record<string, string>) };
let umask = 0o022;
// As a worker has one (src/worker/main.ts); RUSHD_PROFILE_NO_CACHE=1 leaves it out.
const parseCache = process.env.RUSHD_PROFILE_NO_CACHE === "1" ? undefined : new ParseCache();

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function summary(name: string, samplesNs: number[]): string {
  const sorted = samplesNs.sort((a, b) => a - b);
  const us = (ns: number): string => (ns / 1000).toFixed(2);
  return `${name} median ${us(percentile(sorted, 0.5))} p99 ${us(percentile(sorted, 0.99))}`;
}

async function profile(script: string): Promise<void> {
  const construct: number[] = [];
  const run: number[] = [];
  const dispose: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const tag = { requestId: i + 1 };
    const t0 = Bun.nanoseconds();
    const input = new RemoteInput(connection, () => tag.requestId, false);
    const shell = new Shell({
      argv0: "sh",
      args: [],
      cwd: "/tmp",
      env,
      stdin: { kind: "source", source: input },
      stdout: { kind: "sink", sink: new FrameSink(connection, "Stdout", () => tag.requestId) },
      stderr: { kind: "sink", sink: new FrameSink(connection, "Stderr", () => tag.requestId) },
      host: { getUmask: () => umask, setUmask: (mask) => (umask = mask), processStarted() {} },
      ppid: 1,
      passedFds: undefined,
      limits: undefined,
      nice: undefined,
      ignoredSignals: undefined,
      flags: undefined,
      longOptions: undefined,
      checkpoint: undefined,
      parseCache,
    });
    const t1 = Bun.nanoseconds();
    await shell.run(script, { continues: false });
    const t2 = Bun.nanoseconds();
    await shell.dispose();
    const t3 = Bun.nanoseconds();
    construct.push(t1 - t0);
    run.push(t2 - t1);
    dispose.push(t3 - t2);
  }
  console.log(`${JSON.stringify(script)} ×${iterations}: ${summary("construct", construct)} | ${summary("run", run)} | ${summary("dispose", dispose)}`);
}

for (let round = 0; round < 2; round++) {
  console.log(round === 0 ? "warm-up round" : "measured round");
  for (const script of scripts) await profile(script);
}
console.log(`(${bytesWritten} bytes written)`);
