// `$0` of `rushd -c` without a name operand (src/cli/shell-name.ts): the
// name rushd was invoked by, as dash's is — a symlink named `sh` found in
// PATH gives `sh`, one run by its path gives that path, `exec -a` gives its
// name — and the shell's messages carry it. In process (--no-daemon) and
// through a daemon. Runs dist/rushd (`npm test` builds it).

import { afterAll, describe, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RUSHD, useDaemon } from "../integration/harness.ts";

const DIR = fs.realpathSync(fs.mkdtempSync(join(tmpdir(), "rushd-shell-name-")));
const BIN = join(DIR, "bin");
fs.mkdirSync(BIN);
fs.symlinkSync(RUSHD, join(BIN, "sh"));
fs.symlinkSync(RUSHD, join(BIN, "mysh"));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

/** Longer than any case takes; a hung child is killed. */
const CHILD_LIMIT_MS = 20_000;

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `script` run by dash with BIN first in PATH, in DIR; `env` adds to it. */
async function viaDash(script: string, env: Record<string, string> = {}): Promise<Outcome> {
  const child = Bun.spawn(["/usr/bin/dash", "-c", script], {
    cwd: DIR,
    env: { PATH: `${BIN}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: DIR, ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: CHILD_LIMIT_MS,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { status: child.exitCode, stdout, stderr };
}

/** The cases, for a mode's extra arguments (`--no-daemon`, or none to go through the daemon). */
function cases(mode: readonly string[], env: () => Record<string, string>): void {
  const flags = mode.join(" ");
  test("a symlink named sh found in PATH: $0 is sh", async () => {
    expect(await viaDash(`sh ${flags} -c 'echo "$0"'`, env())).toEqual({ status: 0, stdout: "sh\n", stderr: "" });
  });

  test("another name: $0 is that name", async () => {
    expect(await viaDash(`mysh ${flags} -c 'echo "$0"'`, env())).toEqual({ status: 0, stdout: "mysh\n", stderr: "" });
  });

  test("run by its path: $0 is the path as typed", async () => {
    expect(await viaDash(`./bin/sh ${flags} -c 'echo "$0"'`, env())).toEqual({ status: 0, stdout: "./bin/sh\n", stderr: "" });
  });

  test("exec -a: $0 is the name given", async () => {
    // dash has no exec -a; bash's does what a program's execve with another argv[0] does.
    const child = Bun.spawn([RUSHD, ...mode, "-c", 'echo "$0"'], { argv0: "given-name", cwd: DIR, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: DIR, ...env() }, stdout: "pipe", stderr: "pipe", timeout: CHILD_LIMIT_MS });
    const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect({ stdout, stderr }).toEqual({ stdout: "given-name\n", stderr: "" });
  });

  test("messages name the shell as invoked", async () => {
    const outcome = await viaDash(`sh ${flags} -c 'nonexistent_command_xyz'`, env());
    expect(outcome).toEqual({ status: 127, stdout: "", stderr: "sh: 1: nonexistent_command_xyz: not found\n" });
  });

  test("a name operand wins", async () => {
    expect(await viaDash(`sh ${flags} -c 'echo "$0 $1"' name arg`, env())).toEqual({ status: 0, stdout: "name arg\n", stderr: "" });
  });
}

describe("in process (--no-daemon)", () => {
  cases(["--no-daemon"], () => ({}));
});

describe("through a daemon", () => {
  const daemon = useDaemon("pool");
  cases([], () => ({ RUSHD_SOCKET: daemon().socket, RUSHD_AUTOSTART: "0" }));
});
