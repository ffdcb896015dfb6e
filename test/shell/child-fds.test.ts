// The fd table an external command starts with (exec/child-fds.ts): the
// shell's own, same numbers, closed where the shell has them closed, with
// the session on real OS fds (as `rushd --no-daemon` and a worker with the
// caller's fds run). Expected tables recorded from dash: a child lists
// which of its fds 0-9 are open.

import { afterAll, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Shell } from "../../src/shell/index.ts";
import { CaptureSink, fakeHost } from "./helpers.ts";

const ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/tmp" };
const DIR = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), "rushd-child-fds-")));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

/** Run with stdin a file holding `input`, stdout captured, stderr a file: all three real OS fds but stdout. */
async function runOnFds(script: string, input = "") {
  const inFile = join(DIR, "in");
  const errFile = join(DIR, "err");
  fs.writeFileSync(inFile, input);
  const stdin = fs.openSync(inFile, "r");
  const stderr = fs.openSync(errFile, "w");
  const stdout = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: DIR, env: ENV, host: fakeHost(),
    stdin: { kind: "fd", fd: stdin }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "fd", fd: stderr },
  });
  const status = await shell.run(script);
  await shell.dispose();
  fs.closeSync(stdin);
  fs.closeSync(stderr);
  return { status, stdout: stdout.text(), stderr: fs.readFileSync(errFile, "utf8") };
}

/** Run on this process's own fds 0 and 2 (Bun.spawn misreads fd 0 anywhere but at 0, and 1 or 2 at 0), stdout captured. */
async function runOnOwnFds(script: string) {
  const stdout = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: DIR, env: ENV, host: fakeHost(),
    stdin: { kind: "fd", fd: 0 }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "fd", fd: 2 },
  });
  const status = await shell.run(script);
  await shell.dispose();
  return { status, stdout: stdout.text() };
}

test("exec 7<&0 </dev/null, then external commands: they run, and fd 7 is the old stdin (autoconf's start)", async () => {
  const result = await runOnOwnFds("exec 7<&0 </dev/null\nls -d /\nsh -c 'readlink /proc/$$/fd/7; readlink /proc/$$/fd/0'\necho $?\n");
  expect(result).toEqual({ status: 0, stdout: `/\n${fs.readlinkSync("/proc/self/fd/0")}\n/dev/null\n0\n` });
});

test("this process's fd 0 at another number, and fd 2 at 0, reach the child as they are", async () => {
  const result = await runOnOwnFds("sh -c 'readlink /proc/$$/fd/3; readlink /proc/$$/fd/0' 3<&0 0<&2");
  expect(result).toEqual({ status: 0, stdout: `${fs.readlinkSync("/proc/self/fd/0")}\n${fs.readlinkSync("/proc/self/fd/2")}\n` });
});

test("the old stdin saved at fd 7 is read by the child there", async () => {
  const result = await runOnFds("exec 7<&0 </dev/null\nsh -c 'cat <&7'\n", "seven\n");
  expect(result).toEqual({ status: 0, stdout: "seven\n", stderr: "" });
});

const LIST = `sh -c 'for fd in 0 1 2 3 4 5 6 7 8 9; do [ -e /proc/$$/fd/$fd ] && printf "%s " $fd; done; echo'`;

test.each([
  ["exec 3>a 5>b", "0 1 2 3 5 "],
  ["exec 3>a 5>b; exec 3>&-", "0 1 2 5 "],
  ["exec 6</dev/null 9>a", "0 1 2 6 9 "],
  ["exec 4>a; exec 8>&4 4>&-", "0 1 2 8 "],
])("%p: the child has exactly %p", async (setup, fds) => {
  const result = await runOnFds(`${setup}\n${LIST}`);
  expect(result).toEqual({ status: 0, stdout: `${fds}\n`, stderr: "" });
});

test.each([
  ["4>&1", "0 1 2 4 "],
  ["<&- 2>&-", "1 "],
  ["3<<EOF\nx\nEOF", "0 1 2 3 "],
])("%p on the command: the child has exactly %p", async (redirects, fds) => {
  const result = await runOnFds(`${LIST} ${redirects}`);
  expect(result).toEqual({ status: 0, stdout: `${fds}\n`, stderr: "" });
});

test("a here-document at fd 3 and a file at fd 9 are read by the child there", async () => {
  const result = await runOnFds("echo nine > f9; exec 9<f9; sh -c 'cat <&3; cat <&9' 3<<EOF\nthree\nEOF\n");
  expect(result).toEqual({ status: 0, stdout: "three\nnine\n", stderr: "" });
});

test("a background job has its own copies: the group that started it closes its file, the job still writes there", async () => {
  const result = await runOnFds("{ (read x; echo job $x) & } > out; wait; cat out", "line\n");
  // The job's stdin is /dev/null (no job control): read fails, echo still writes.
  expect(result).toEqual({ status: 0, stdout: "job\n", stderr: "" });
});
