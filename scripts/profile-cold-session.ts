// The worker's side of `rushd -c`-like sessions: each on a fresh daemon
// connection and lease, the caller's fds passed, the environment sent as
// `rushd -c` sends it, a pause between them (a shell loop calling rushd -c
// leaves the worker idle for milliseconds, and its caches go cold). Prints
// the median of each stage the worker reports (the daemon must run with
// --profile-stages). The environment goes as `rushd -c` sends it (the
// worker reads it from /proc: SessionInit.envFromCaller); `--env packed` or
// `--env plain` sends it as bytes or as a map instead, for a before/after.
//
//   bun scripts/profile-cold-session.ts SOCKET [sessions] [pause-ms] [--env caller|packed|plain] [--script TEXT]

import { DaemonClient } from "../src/client/daemon-client.ts";
import { cliTransport, passFdsToWorker } from "../src/client/transport/cli-transport.ts";
import { WorkerLink } from "../src/client/worker-link.ts";
import { packEnvironment } from "../src/protocol/index.ts";

const args = process.argv.slice(2);
const envAt = args.indexOf("--env");
const envMode = envAt >= 0 ? args.splice(envAt, 2)[1] : "caller";
const scriptAt = args.indexOf("--script");
const script = scriptAt >= 0 ? (args.splice(scriptAt, 2)[1] ?? "true") : "true";
const [socket, sessionsText = "100", pauseText = "8"] = args;
if (socket === undefined || !["caller", "packed", "plain"].includes(envMode ?? "")) throw new Error("usage: profile-cold-session.ts SOCKET [sessions] [pause-ms] [--env caller|packed|plain] [--script TEXT]");
const sessions = Number(sessionsText);
const pauseMs = Number(pauseText);
const WARM_UP = 20;

const env: Record<string, string> = {};
for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
const base = { cwd: process.cwd(), argv0: "sh", args: [], umask: 0o022, ppid: process.pid, passFds: [0, 1, 2] };
const io = { stdout: () => {}, stderr: () => {}, stdin: async () => null };
const stages = new Map<string, number[]>();

for (let i = 0; i < WARM_UP + sessions; i++) {
  const daemon = await DaemonClient.connect(socket, cliTransport);
  try {
    const link = await WorkerLink.open(await daemon.lease({ wait: false }), { transport: cliTransport, passFds: passFdsToWorker });
    const spec = envMode === "plain" ? { ...base, env } : envMode === "packed" ? { ...base, envPacked: packEnvironment(env) } : { ...base, envFromCaller: true };
    const result = await link.run(spec, script, io);
    link.close();
    if (result.stages === undefined) throw new Error("no stages in the result: start the daemon with --profile-stages");
    if (i >= WARM_UP) for (const [stage, ns] of Object.entries(result.stages)) stages.set(stage, [...(stages.get(stage) ?? []), ns / 1000]);
  } finally {
    daemon.close();
  }
  await Bun.sleep(pauseMs);
}
console.log(`${sessions} sessions of ${JSON.stringify(script)}, ${pauseMs} ms apart, environment ${envMode}: worker stages, median µs`);
for (const [stage, values] of stages) {
  values.sort((a, b) => a - b);
  console.log(`  ${stage.padEnd(24)} ${(values[values.length >> 1] ?? Number.NaN).toFixed(1)}`);
}
