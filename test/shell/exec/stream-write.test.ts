// A builtin's writes to a pipe or socket the shell did not make
// (exec/stream-write.ts): a full pipe never stops the shell (a reader in this
// same process drains it meanwhile), every byte arrives in order, a signal
// that ends the shell cuts the wait short as it interrupts dash's write(2),
// and a trapped one lets the write go on (its trap runs after, as in dash).

import { expect, test } from "bun:test";
import { dlopen, FFIType, ptr } from "bun:ffi";
import * as fs from "node:fs";
import { osPipe } from "../../../src/shell/exec/libc.ts";
import { Shell } from "../../../src/shell/index.ts";
import { CaptureSink, fakeHost } from "../helpers.ts";
import { openTerminal, readTerminalOutput, stopOutput, resumeOutput } from "../../pseudo-terminal.ts";

const libc = dlopen("libc.so.6", { socketpair: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });

function socketPair(): { readonly read: number; readonly write: number } {
  const fds = new Int32Array(2);
  if (libc.symbols.socketpair(1, 1, 0, ptr(fds)) !== 0) throw new Error("socketpair failed");
  return { read: fds[0] ?? -1, write: fds[1] ?? -1 };
}

function shellWritingTo(fd: number): { shell: Shell; stderr: CaptureSink } {
  const stderr = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: "/", env: { PATH: "/usr/bin:/bin" },
    stdin: { kind: "null" }, stdout: { kind: "fd", fd }, stderr: { kind: "sink", sink: stderr }, host: fakeHost(),
  });
  return { shell, stderr };
}

/** Read `fd` slowly until end of input: a chunk every few milliseconds, so the writer meets a full pipe many times. */
async function drainSlowly(fd: number): Promise<string> {
  let text = "";
  const buffer = Buffer.alloc(16384);
  for (;;) {
    await Bun.sleep(2);
    const count = fs.readSync(fd, buffer);
    if (count === 0) return text;
    text += buffer.toString("latin1", 0, count);
  }
}

const LINES = 40_000;
const expected = Array.from({ length: LINES }, (_, i) => `line ${i}\n`).join("");
const loop = `i=0; while [ $i -lt ${LINES} ]; do echo "line $i"; i=$((i+1)); done`;

for (const [name, makePair] of [["a pipe", () => osPipe()], ["a socket", socketPair]] as const) {
  test(`to ${name} that fills up: the shell goes on, every byte arrives in order`, async () => {
    const pair = makePair();
    const { shell } = shellWritingTo(pair.write);
    const reading = drainSlowly(pair.read);
    try {
      expect(await shell.run(loop)).toBe(0);
    } finally {
      await shell.dispose();
      fs.closeSync(pair.write);
    }
    expect(await reading).toBe(expected);
    fs.closeSync(pair.read);
  });
}

test("SIGINT while a write waits for room ends the shell by SIGINT", async () => {
  const pipe = osPipe();
  try {
    const { shell } = shellWritingTo(pipe.write);
    const running = shell.run("while :; do echo yyyyyyyyyyyyyyyyyyyy; done");
    await Bun.sleep(100); // the pipe is full by now, and nobody reads it
    shell.signal("INT");
    expect(await running).toBe(130);
    expect(shell.terminatingSignal).toBe("SIGINT");
    await shell.dispose();
  } finally {
    fs.closeSync(pipe.write);
    fs.closeSync(pipe.read);
  }
});

test("a trapped signal lets the waiting write go on: all the output, then the trap", async () => {
  const pipe = osPipe();
  const { shell, stderr } = shellWritingTo(pipe.write);
  const running = shell.run(`trap 'echo trapped >&2' USR1; ${loop}; echo "end $?" >&2`);
  await Bun.sleep(100);
  shell.signal("USR1");
  const reading = drainSlowly(pipe.read);
  try {
    expect(await running).toBe(0);
  } finally {
    await shell.dispose();
    fs.closeSync(pipe.write);
  }
  expect(await reading).toBe(expected);
  expect(stderr.text()).toBe("trapped\nend 0\n");
  fs.closeSync(pipe.read);
});

// A terminal: no per-call non-blocking write exists for it, so the shell asks poll(2) first. A
// terminal whose output is stopped (Ctrl-S, here tcflow TCOOFF) takes nothing, and the write waits
// with the event loop free (this test runs in the shell's own process: a blocking write would hang it).
test("to a terminal whose output is stopped: the write waits without stopping the shell, and goes on when output resumes", async () => {
  const { master, terminal } = openTerminal();
  try {
    stopOutput(terminal);
    const { shell } = shellWritingTo(terminal);
    let finished = false;
    const running = shell.run("echo one; echo two").then((status) => {
      finished = true;
      return status;
    });
    await Bun.sleep(100);
    expect(finished).toBe(false);
    expect(readTerminalOutput(master)).toBe("");
    resumeOutput(terminal);
    expect(await running).toBe(0);
    expect(readTerminalOutput(master)).toBe("one\r\ntwo\r\n"); // the terminal's ONLCR
    await shell.dispose();
  } finally {
    fs.closeSync(terminal);
    fs.closeSync(master);
  }
});

test("SIGINT while a write waits on a stopped terminal ends the shell by SIGINT", async () => {
  const { master, terminal } = openTerminal();
  try {
    stopOutput(terminal);
    const { shell } = shellWritingTo(terminal);
    const running = shell.run("echo never; echo after");
    await Bun.sleep(100);
    shell.signal("INT");
    expect(await running).toBe(130);
    expect(shell.terminatingSignal).toBe("SIGINT");
    await shell.dispose();
    resumeOutput(terminal);
    expect(readTerminalOutput(master)).toBe("");
  } finally {
    fs.closeSync(terminal);
    fs.closeSync(master);
  }
});

test("to a terminal read by another process: more than its buffer holds arrives whole and in order", async () => {
  const { master, terminal } = openTerminal({ blockingMaster: true });
  const text = expected.replaceAll("\n", "\r\n"); // the terminal's ONLCR
  // head, not this process, reads the terminal: a write that waits for room is waiting for someone else.
  const reader = Bun.spawn(["head", "-c", String(text.length)], { stdin: master, stdout: "pipe", stderr: "inherit" });
  const { shell } = shellWritingTo(terminal);
  try {
    expect(await shell.run(loop)).toBe(0);
  } finally {
    await shell.dispose();
  }
  expect(await new Response(reader.stdout).text()).toBe(text);
  expect(await reader.exited).toBe(0);
  fs.closeSync(terminal);
  fs.closeSync(master);
});
