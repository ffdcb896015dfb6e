// Run by resources.test.ts in a child process whose open-files limit is low:
// one session starts 200 `sleep 5 &`, more than the fds allow. Prints one
// JSON line: the session's status and output, this process's fd count
// before and after, and how many processes the host heard of. Kills every
// process the session started.

import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Shell } from "../../../src/shell/index.ts";
import type { ShellHost } from "../../../src/shell/index.ts";
import { until, WaitTimeoutError } from "../../../src/common/until.ts";
import { CaptureSink, fakeHost } from "../helpers.ts";

// Line 3 takes the fds the sleeps left, if any (a pipe needs two, a file one):
// \`take\` nests a redirection of fd 3 in itself until an open fails (fd
// numbers stop at 9, as in dash, so one fd number opened again and again),
// then runs lines 4 and 5 with every fd still held.
const SCRIPT = `: > file; i=0; pids=
while [ $i -lt 200 ]; do sleep 5 & pids="$pids $!"; i=$((i+1)); done
take() { { take; } 3<file || held; }; held() {
/bin/echo fg; echo "foreground $?"
(/bin/echo a | /bin/cat); echo "pipeline $?"
true; }; take
echo started
killed=0; failed=0; other=0
for p in $pids; do wait $p; case $? in 137) killed=$((killed+1));; 126) failed=$((failed+1));; *) other=$((other+1));; esac; done
echo "killed=$killed failed=$failed other=$other"
`;

const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/tmp" };
const DIR = fs.mkdtempSync(join(tmpdir(), "rushd-fd-exhaustion-"));

const started: number[] = [];
const host: ShellHost = { ...fakeHost(), processStarted: (pid) => started.push(pid) };

function killAll(): void {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch (error) {
      // ESRCH: that one is gone already.
      if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
    }
  }
}

async function runSession(script: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: DIR, env: ENV, host,
    stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
  });
  const running = shell.run(script);
  // Every sleep that could start is running: end them, so that the `wait`s return.
  void stdout.waitFor("started\n").then(killAll);
  const status = await running;
  await shell.dispose();
  await shell.jobsSettled();
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

function countFds(): number {
  return fs.readdirSync("/proc/self/fd").length;
}

try {
  const fdsBefore = countFds();
  const result = await runSession(SCRIPT);
  try {
    // Bun closes its own copy of a pipe's read end a few event-loop turns after the stream
    // ends, with no event to await.
    await until(() => countFds() <= fdsBefore, { timeoutMs: 5_000, what: "the fds to be closed" });
  } catch (error) {
    // A leak: the count below says so.
    if (!(error instanceof WaitTimeoutError)) throw error;
  }
  const fdsAfter = countFds();
  process.stdout.write(`${JSON.stringify({ ...result, fdsBefore, fdsAfter, started: started.length })}\n`);
} finally {
  killAll();
  fs.rmSync(DIR, { recursive: true, force: true });
}
