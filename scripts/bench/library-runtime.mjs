// The library's side of `bun run bench`, in plain JavaScript so that the
// machine's Node.js runs it as well as Bun does (measures-library.ts runs
// it under each and reads the JSON it prints on its last line):
//
//   node scripts/bench/library-runtime.mjs SOCKET ROUNDS SAMPLES BATCHES SOCKETS
//
// Interleaved in ROUNDS rounds, from this one runtime: the built library's
// held-connection round trip of `echo hi` (reading process.env on each run,
// and with connect()'s env given once), child_process.spawn of
// `dash -c`, a bash coprocess driven with a sentinel, and the time for 50
// concurrent runs on one client.

import { spawn } from "node:child_process";
import { connect } from "../../dist/lib/index.js";

const [socket, roundsText, samplesText, batchesText, sockets] = process.argv.slice(2);
const rounds = Number(roundsText);
const samples = Number(samplesText);
const batches = Number(batchesText);
const COMMAND = "echo hi";
const WANT = "hi\n";
const CONCURRENT = 50;

const now = () => Number(process.hrtime.bigint() / 1000n); // µs

function spawnDash() {
  return new Promise((resolve, reject) => {
    const child = spawn("dash", ["-c", COMMAND], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (status) => (status === 0 && out === WANT ? resolve() : reject(new Error(`dash -c: status ${status}, ${JSON.stringify(out)}`))));
  });
}

/** One bash, commands written to its stdin, output read up to a sentinel line. */
function startCoprocess() {
  const child = spawn("bash", ["--norc", "--noprofile"], { stdio: ["pipe", "pipe", "inherit"] });
  let buffer = "";
  let waiting;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    const end = buffer.indexOf("__END__");
    if (end >= 0 && buffer.indexOf("\n", end) >= 0 && waiting !== undefined) {
      const out = buffer.slice(0, end);
      buffer = buffer.slice(buffer.indexOf("\n", end) + 1);
      const resolve = waiting;
      waiting = undefined;
      resolve(out);
    }
  });
  return {
    run: () => new Promise((resolve, reject) => {
      waiting = (out) => (out === WANT ? resolve() : reject(new Error(`coprocess: ${JSON.stringify(out)}`)));
      child.stdin.write(`${COMMAND}; echo __END__$?\n`);
    }),
    stop: () => child.kill("SIGKILL"),
  };
}

const rushd = await connect({ socket, autostart: false, sockets, maxConcurrency: 8 });
// The same, given the environment once (connect's env option) instead of reading process.env on every run.
const rushdWithEnv = await connect({ socket, autostart: false, sockets, maxConcurrency: 8, env: { ...process.env } });
const coprocess = startCoprocess();
const runOn = (client) => async () => {
  const r = await client.run(COMMAND, { encoding: "utf8" });
  if (r.status !== 0 || r.stdout !== WANT) throw new Error(`rushd: status ${r.status}, ${JSON.stringify(r.stdout)}`);
};
const once = runOn(rushd);
const batch = async () => {
  const results = await Promise.all(Array.from({ length: CONCURRENT }, () => rushd.run(COMMAND, { encoding: "utf8" })));
  if (!results.every((r) => r.status === 0 && r.stdout === WANT)) throw new Error("a concurrent run failed");
};
const contenders = [
  { name: "library run, held connection", per: samples, run: once },
  { name: "library run, held connection, connect({ env })", per: samples, run: runOn(rushdWithEnv) },
  { name: "child_process.spawn dash -c", per: Math.max(1, Math.round(samples / 20)), run: spawnDash },
  { name: "bash coprocess + sentinel", per: samples, run: coprocess.run },
  { name: `${CONCURRENT} concurrent runs, one client`, per: batches, run: batch },
];
const results = Object.fromEntries(contenders.map((c) => [c.name, []]));
const stage = (what) => process.stderr.write(`library-runtime: ${what}\n`); // the last line says where a stuck run stopped
try {
  stage("warm-up");
  for (const contender of contenders) for (let i = 0; i < Math.min(50, contender.per); i++) await contender.run(); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      stage(`round ${round + 1}: ${contender.name}`);
      const perRound = Math.max(1, Math.round(contender.per / rounds));
      for (let i = 0; i < perRound; i++) {
        const start = now();
        await contender.run();
        results[contender.name].push(now() - start);
      }
    }
  }
} finally {
  stage("closing");
  coprocess.stop();
  await rushd.close();
  await rushdWithEnv.close();
  stage("closed");
}
console.log(JSON.stringify({ runtime: typeof Bun === "object" ? `bun ${Bun.version}` : `node ${process.version}`, sockets, results }));
