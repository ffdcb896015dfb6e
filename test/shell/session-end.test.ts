// The end of a session (`Shell.dispose`), as when `sh -c` exits: background
// jobs run to completion, their writes to the session's sinks break like a
// write to a pipe nobody reads, and the pipes of external commands still
// writing there are closed. Also the host's view of every process started.
//
// The jobs wait on a FIFO the test writes to after dispose: an event, not a delay.

import { afterEach, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Shell } from "../../src/shell/index.ts";
import type { OutputSink, ShellHost } from "../../src/shell/index.ts";
import { until } from "../../src/common/until.ts";
import { fakeHost, makeShell } from "./helpers.ts";

const ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/root" };

/** Processes a test started and must not leave behind. */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch (error) {
      // ESRCH: it is gone already, as it should be.
      if (!(error instanceof Error && "code" in error && error.code === "ESRCH")) throw error;
    }
  }
});

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(join(tmpdir(), "rushd-session-end-")));
}

/** A FIFO in `dir`, for a job to wait on until the test writes a line to it. */
function makeFifo(dir: string, name = "go"): string {
  const file = join(dir, name);
  const made = Bun.spawnSync(["mkfifo", file]);
  expect(made.exitCode).toBe(0);
  return file;
}

test.each([
  ["a subshell", "(read line < go; f) &"],
  ["a group", "{ read line < go; f; } &"],
  ["an and-or list", "read line < go && f &"],
  ["a pipeline", "read line < go | f &"],
  ["a job started by a job", "( (read line < go; f) & ) &"],
  ["a loop", "for i in 1; do read line < go; f; done &"],
])("%s in the background runs to completion after dispose, with its variables, cwd and functions", async (_name, job) => {
  const dir = tempDir();
  fs.mkdirSync(join(dir, "sub"));
  makeFifo(join(dir, "sub"));
  const { shell, stdout, stderr } = makeShell({ cwd: dir });
  expect(await shell.run(`cd sub; x=done; f() { echo "$x in $PWD" > out; }; ${job}`)).toBe(0);
  await shell.dispose();
  expect(shell.hasRunningJobs).toBe(true);
  await fs.promises.writeFile(join(dir, "sub", "go"), "go\n");
  await shell.jobsSettled();
  expect(shell.hasRunningJobs).toBe(false);
  expect(fs.readFileSync(join(dir, "sub", "out"), "utf8")).toBe(`done in ${dir}/sub\n`);
  expect({ stdout: stdout.text(), stderr: stderr.text() }).toEqual({ stdout: "", stderr: "" });
});

test("jobsSettled resolves at once when no job runs, and hasRunningJobs is false", async () => {
  const { shell } = makeShell();
  expect(await shell.run("true & wait; echo x")).toBe(0);
  expect(shell.hasRunningJobs).toBe(false);
  await shell.jobsSettled();
  await shell.dispose();
  await shell.jobsSettled();
  expect(shell.hasRunningJobs).toBe(false);
});

test("after dispose, a job's writes to the session's stdout and stderr end the writer as SIGPIPE does (141), and reach no sink", async () => {
  const dir = tempDir();
  makeFifo(dir);
  const { shell, stdout, stderr } = makeShell({ cwd: dir });
  const job = [
    "read line < go",
    '(echo late); echo "builtin $?" >> statuses',
    '(echo late >&2); echo "stderr $?" >> statuses',
    '(printf "%s\\n" late | cat); echo "pipeline $?" >> statuses',
    '(/bin/echo late); echo "external $?" >> statuses',
    '(/bin/echo late >&2); echo "external stderr $?" >> statuses',
    '(nosuchcommand_zz); echo "message $?" >> statuses',
    'x=$(echo captured); echo "capture $x" >> statuses',
  ].join("; ");
  expect(await shell.run(`echo before; { ${job}; } &`)).toBe(0);
  await shell.dispose();
  await fs.promises.writeFile(join(dir, "go"), "go\n");
  await shell.jobsSettled();
  expect(fs.readFileSync(join(dir, "statuses"), "utf8")).toBe(
    "builtin 141\nstderr 141\npipeline 141\nexternal 141\nexternal stderr 141\nmessage 141\ncapture captured\n",
  );
  expect({ stdout: stdout.text(), stderr: stderr.text() }).toEqual({ stdout: "before\n", stderr: "" });
});

test("rushd --no-daemon -c waits for its in-process background jobs before it exits", async () => {
  const dir = tempDir();
  const fifo = makeFifo(dir);
  // Opened read-write, the FIFO holds the line until the job reads it (a FIFO open that way never waits).
  const held = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  try {
    fs.writeSync(held, "go\n");
    const main = join(import.meta.dir, "../../src/cli/main.ts");
    const child = Bun.spawn([process.execPath, main, "--no-daemon", "-c", "(read line < go; /bin/echo done > out) & echo main"], {
      cwd: dir, env: ENV, stdout: "pipe", stderr: "pipe", timeout: 20_000, killSignal: "SIGKILL",
    });
    const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect({ stdout, stderr, status }).toEqual({ stdout: "main\n", stderr: "", status: 0 });
  } finally {
    fs.closeSync(held);
  }
  expect(fs.readFileSync(join(dir, "out"), "utf8")).toBe("done\n");
});

test("a job that loops writing to the session ends once it is disposed", async () => {
  const dir = tempDir();
  const { shell, stdout } = makeShell({ cwd: dir });
  expect(await shell.run("{ while :; do echo tick; done; echo never > out; } & echo fg")).toBe(0);
  await stdout.waitFor("tick");
  await shell.dispose();
  const atDispose = stdout.text();
  await shell.jobsSettled();
  expect(stdout.text()).toBe(atDispose);
  expect(fs.existsSync(join(dir, "out"))).toBe(false);
});

test("traps of the main shell are dropped at dispose; a job's `kill $$` then finds no shell", async () => {
  const dir = tempDir();
  makeFifo(dir);
  const { shell, stdout } = makeShell({ cwd: dir });
  expect(await shell.run("trap 'echo trapped > trapped' USR1 TERM; (read line < go; kill -USR1 $$ 2>/dev/null; echo \"kill $?\" > out) &")).toBe(0);
  await shell.dispose();
  await fs.promises.writeFile(join(dir, "go"), "go\n");
  await shell.jobsSettled();
  expect(fs.readFileSync(join(dir, "out"), "utf8")).toBe("kill 1\n");
  expect(fs.existsSync(join(dir, "trapped"))).toBe(false);
  expect(stdout.text()).toBe("");
});

/** Pipes of this process that are the other end of `pid`'s fd `fd`. */
function pipesShared(pid: number, fd: number): number {
  const inode = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
  expect(inode).toMatch(/^pipe:/);
  let count = 0;
  for (const own of fs.readdirSync("/proc/self/fd")) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${own}`) === inode) count++;
    } catch (error) {
      // The fd of the directory listing itself is gone by now.
      if (!(error instanceof Error && "code" in error)) throw error;
    }
  }
  return count;
}

test("dispose closes the pipes of an external background command that writes nothing", async () => {
  const { shell, stdout } = makeShell();
  expect(await shell.run("sleep 30 & echo $!")).toBe(0);
  const pid = Number(stdout.text());
  started.push(pid);
  // Our read end, and Bun's own copy of it while it streams.
  expect(pipesShared(pid, 1)).toBeGreaterThan(0);
  expect(pipesShared(pid, 2)).toBeGreaterThan(0);
  await shell.dispose();
  // Our end is closed by then; Bun closes its copy a few event-loop turns after the stream is
  // cancelled, with no event to await.
  await until(() => pipesShared(pid, 1) === 0 && pipesShared(pid, 2) === 0, { timeoutMs: 5_000, what: "the pipes of sleep to be closed" });
});

/** A sink that keeps only the first chunks (an endless writer must not fill the test's memory). */
class HeadSink implements OutputSink {
  text = "";
  private readonly line = Promise.withResolvers<string>();
  /** Resolves with the first line written. */
  readonly firstLine = this.line.promise;
  write(chunk: Uint8Array): void {
    if (this.text.length >= 100) return;
    this.text += new TextDecoder().decode(chunk);
    if (this.text.includes("\n")) this.line.resolve(this.text.slice(0, this.text.indexOf("\n")));
  }
}

test("an endless external writer (`yes &`) gets SIGPIPE once the session is disposed, and exits by itself", async () => {
  const dir = tempDir();
  const stdout = new HeadSink();
  const stderr = new HeadSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: dir, env: ENV, host: fakeHost(),
    stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
  });
  // The group is an in-process job, so jobsSettled waits for yes to end; its pid comes first on stderr.
  expect(await shell.run("{ sh -c 'echo $$ >&2; exec yes'; echo \"yes $?\" > status; } &")).toBe(0);
  started.push(Number(await stderr.firstLine));
  await shell.dispose();
  await shell.jobsSettled();
  expect(fs.readFileSync(join(dir, "status"), "utf8")).toBe("yes 141\n");
  expect(stdout.text).toMatch(/^(y\n)*y?$/);
});

test("the host hears of every external process, from subshells, jobs, pipeline stages and command substitutions", async () => {
  const pids: number[] = [];
  const host: ShellHost = { ...fakeHost(), processStarted: (pid) => pids.push(pid) };
  const stdout = new (class implements OutputSink {
    text = "";
    write(chunk: Uint8Array): void {
      this.text += new TextDecoder().decode(chunk);
    }
  })();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/tmp", env: ENV, host,
    stdin: { kind: "null" }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "null" },
  });
  const script = [
    "sh -c 'echo $$'", // a simple command
    "(sh -c 'echo $$')", // a subshell
    "sh -c 'echo $$' | cat", // two pipeline stages
    "echo $(sh -c 'echo $$')", // a command substitution
    "sh -c 'echo $$' & wait", // a background job
    "(trap '' USR1; sh -c 'echo $$')", // started through /bin/sh, which execs it (same pid)
  ].join("; ");
  expect(await shell.run(script)).toBe(0);
  await shell.dispose();
  const printed = stdout.text.trim().split("\n").map(Number);
  expect(printed).toHaveLength(6);
  // Every printed pid was reported, plus `cat`; each once.
  expect(pids).toHaveLength(7);
  expect(new Set(pids).size).toBe(7);
  for (const pid of printed) expect(pids).toContain(pid);
});
