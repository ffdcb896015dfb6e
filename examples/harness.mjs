// A small agent-style harness on the rushd library, runnable with plain
// Node.js (≥ 18) or Bun once the package is installed (`npm install rushd`
// or a path to this checkout, built):
//
//   node examples/harness.mjs
//
// It runs what a harness runs all day: a persistent shell for the "agent"
// (cd and export stick), one-shot isolated commands, a command that hangs
// and is stopped after 2 s with its whole process tree, a failing command
// (a result, not an exception), a background job, a checkpoint of the
// agent's shell resumed later.

import { connect } from "rushd";

const rushd = await connect(); // finds the daemon, or starts one with the package's dist/rushd

// The agent's own shell: state carries from one step to the next.
const shell = await rushd.session({ cwd: "/" });
for (const step of ["cd /tmp", "export PROJECT=demo", "mkdir -p \"$PROJECT\" && cd \"$PROJECT\"", "pwd", "ls -a | head -3", "false"]) {
  const r = await shell.run(step, { encoding: "utf8", timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
  console.log(`$ ${step}\n${r.stdout}${r.stderr}[status ${r.status}]`);
}

// A command that hangs: stopped after 2 s, the sleeps it started with it (setsid or not).
const hung = await shell.run("sleep 100 & setsid sleep 100 & sleep 100", { timeoutMs: 2000 });
console.log(`hung command: timedOut=${hung.timedOut} signal=${hung.signal}; the session goes on:`,
  (await shell.run("echo $PROJECT in $(pwd)", { encoding: "utf8" })).stdout.trim());

// One-shot commands, isolated from the agent's shell and from each other, many at once.
const files = await Promise.all(["/etc/hostname", "/etc/os-release", "/nonexistent"].map((path) =>
  rushd.run('wc -c < "$1"', { args: [path], encoding: "utf8" })));
files.forEach((r, i) => console.log(`wc #${i}: status ${r.status} ${r.stdout.trim() || r.stderr.trim()}`));

// A background job in a one-shot run: the run returns at once.
const bg = await rushd.run("sleep 1 & echo started job $!", { encoding: "utf8" });
console.log(bg.stdout.trim());

// Checkpoint the agent's shell, close it, and resume it (here or in another process, from the JSON).
const checkpoint = JSON.stringify(await shell.exportState());
await shell.close();
const resumed = await rushd.session({ state: JSON.parse(checkpoint) });
console.log("resumed in:", (await resumed.run("pwd; echo $PROJECT", { encoding: "utf8" })).stdout.trim().replace("\n", " with "));
await resumed.close();

await rushd.close();
