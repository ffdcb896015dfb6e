// The caller's process attributes given to a session (ShellOptions.limits,
// ignoredSignals, nice): the shell and the commands it starts behave as
// under `sh -c` run by that caller. What dash does is in each test's name;
// e.g. `(trap '' USR1; dash -c 'trap "echo x" USR1; trap; kill -USR1 $$;
// echo alive')` prints `trap -- 'echo x' USR1` and `alive`.

import { expect, test } from "bun:test";
import { Shell } from "../../src/shell/index.ts";
import type { InputSource, ResourceLimits, ShellOptions } from "../../src/shell/index.ts";
import { limitCommands, processLimits } from "../../src/shell/exec/limits.ts";
import { ownNiceValue } from "../../src/shell/exec/libc.ts";
import { CaptureSink, fakeHost } from "./helpers.ts";

const ENV = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: "/tmp" };
const SIGUSR1 = 10;
const SIGTERM = 15;

/** Input that arrives only when the test says so: the script waits in `read` meanwhile. */
class GateSource implements InputSource {
  private release: () => void = () => undefined;
  private readonly opened = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  private isDone = false;
  /** Resolves when the script first asks for input. */
  readonly asked: Promise<void>;
  private markAsked: () => void = () => undefined;
  constructor() {
    this.asked = new Promise((resolve) => {
      this.markAsked = resolve;
    });
  }
  open(): void {
    this.release();
  }
  async read(): Promise<Uint8Array | null> {
    this.markAsked();
    await this.opened;
    if (this.isDone) return null;
    this.isDone = true;
    return new TextEncoder().encode("line\n");
  }
}

function session(extra: Partial<ShellOptions>, stdin: InputSource | undefined = undefined) {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/tmp", env: ENV, host: fakeHost(),
    stdin: stdin === undefined ? { kind: "null" } : { kind: "source", source: stdin },
    stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr },
    ...extra,
  });
  return { shell, stdout, stderr };
}

async function run(script: string, extra: Partial<ShellOptions>) {
  const { shell, stdout, stderr } = session(extra);
  const status = await shell.run(script);
  await shell.dispose();
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/** Limits below this process's (so that any process may set them): soft and hard open files. */
function lowerOpenFiles(): ResourceLimits {
  const own = processLimits().get("n");
  if (own === undefined || own.hard === "unlimited" || own.hard < 300n) throw new Error("the test needs an open-files hard limit of 300 or more");
  return { n: { soft: 200n, hard: 300n } };
}

test("limits: ulimit reports the caller's, and external commands start with them (dash: as inherited)", async () => {
  const result = await run("ulimit -n; ulimit -Hn; sh -c 'ulimit -Sn; ulimit -Hn'; ulimit -n 150; sh -c 'ulimit -n'", { limits: lowerOpenFiles() });
  expect(result).toEqual({ status: 0, stdout: "200\n300\n200\n300\n150\n", stderr: "" });
});

test("limits: a hard limit above this process's is not raised unprivileged; the soft one is kept under it, so no ulimit fails", () => {
  const own = processLimits().get("n");
  if (own === undefined || own.hard === "unlimited") return;
  const above = new Map([["n", { soft: own.hard + 10n, hard: own.hard + 20n }]]);
  const soft = own.soft === own.hard ? "" : `ulimit -S -n ${own.hard}; `;
  expect(limitCommands(above, false)).toBe(soft);
  expect(limitCommands(above, true)).toBe(`ulimit -H -n ${own.hard + 20n}; ulimit -S -n ${own.hard + 10n}; `);
});

test("ignored signals: trap records and lists an action but the signal stays ignored, for the shell and its children", async () => {
  const script = `trap 'echo x' USR1; trap; kill -USR1 $$; echo alive
/bin/sh -c 'kill -USR1 $$; echo child alive'
trap - USR1; trap; kill -USR1 $$; echo still alive`;
  const result = await run(script, { ignoredSignals: [SIGUSR1] });
  expect(result).toEqual({ status: 0, stdout: "trap -- 'echo x' USR1\nalive\nchild alive\nstill alive\n", stderr: "" });
});

test("ignored signals: without it in the set, the same script dies of USR1 at once", async () => {
  const result = await run("kill -USR1 $$; echo alive", {});
  expect(result).toEqual({ status: 128 + SIGUSR1, stdout: "", stderr: "" });
});

test("ignored signals: a children's disposition is SIG_IGN (as /proc says), for each signal given", async () => {
  const result = await run("grep SigIgn /proc/self/status", { ignoredSignals: [SIGUSR1, SIGTERM] });
  // Bits 9 (USR1) and 14 (TERM): signal N is bit N-1.
  expect(result).toEqual({ status: 0, stdout: "SigIgn:\t0000000000004200\n", stderr: "" });
});

test("ignored signals: Shell.signal with one does not end the shell nor interrupt its wait", async () => {
  const gate = new GateSource();
  const { shell, stdout } = session({ ignoredSignals: [SIGTERM] }, gate);
  const running = shell.run("trap 'echo trapped' TERM; read x; echo got $x");
  await gate.asked;
  shell.signal("SIGTERM");
  gate.open();
  expect(await running).toBe(0);
  await shell.dispose();
  expect(stdout.text()).toBe("got line\n");
  expect(shell.terminatingSignal).toBeUndefined();
});

test("nice: external commands run at the caller's nice value when it is above this process's", async () => {
  const own = ownNiceValue();
  if (own > 16) return; // no room above
  const result = await run("nice; sh -c nice", { nice: own + 3 });
  expect(result).toEqual({ status: 0, stdout: `${own + 3}\n${own + 3}\n`, stderr: "" });
});

test("nice: the process's own value needs nothing", async () => {
  const result = await run("nice", { nice: ownNiceValue() });
  expect(result).toEqual({ status: 0, stdout: `${ownNiceValue()}\n`, stderr: "" });
});
