// `read` from an fd that is not a regular file (builtins/read-stream.ts): a
// pipe or socket is looked at before it is taken from, so a line comes in a
// few system calls and nothing past it is taken; while nothing is there the
// shell keeps running (writers in this process get their turn) and a signal
// interrupts the read as it interrupts dash's read(2): its trap runs, `read`
// returns 1, and the bytes that come later are left for the next reader.
// Expected outputs are dash's for the same input.

import { afterAll, expect, test } from "bun:test";
import { dlopen, FFIType, ptr } from "bun:ffi";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { osPipe } from "../../../src/shell/exec/libc.ts";
import { Shell } from "../../../src/shell/index.ts";
import { CaptureSink, fakeHost } from "../helpers.ts";

const DIR = fs.mkdtempSync(join(tmpdir(), "rushd-read-stream-"));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

const libc = dlopen("libc.so.6", { socketpair: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 } });
const AF_UNIX = 1;
const SOCK_STREAM = 1;

function socketPair(): { readonly read: number; readonly write: number } {
  const fds = new Int32Array(2);
  if (libc.symbols.socketpair(AF_UNIX, SOCK_STREAM, 0, ptr(fds)) !== 0) throw new Error("socketpair failed");
  return { read: fds[0] ?? -1, write: fds[1] ?? -1 };
}

function shellOn(fd: number): { shell: Shell; stdout: CaptureSink } {
  const stdout = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: DIR, env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: DIR },
    stdin: { kind: "fd", fd }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: new CaptureSink() }, host: fakeHost(),
  });
  return { shell, stdout };
}

async function run(script: string, fd: number): Promise<{ status: number; stdout: string }> {
  const { shell, stdout } = shellOn(fd);
  const status = await shell.run(script);
  await shell.dispose();
  return { status, stdout: stdout.text() };
}

/** What is left to read on `fd` once its writer is closed. */
function rest(fd: number): string {
  let text = "";
  const buffer = Buffer.alloc(65536);
  for (let count = fs.readSync(fd, buffer); count > 0; count = fs.readSync(fd, buffer)) text += buffer.toString("latin1", 0, count);
  return text;
}

/** Lines around the 4 KiB a look takes in, and far past it. */
const LINES = [0, 1, 4094, 4095, 4096, 4097, 9000, 3].map((length, i) => `${i}${"x".repeat(length)}\n`);

for (const [name, makePair] of [["a pipe", () => osPipe()], ["a socket", socketPair]] as const) {
  test(`from ${name}: every line as written, and no byte past the last one taken`, async () => {
    const pair = makePair();
    try {
      const input = `${LINES.join("")}left\nover\n`;
      const written = fs.writeSync(pair.write, input);
      expect(written).toBe(input.length);
      fs.closeSync(pair.write);
      const script = `i=0; while [ $i -lt ${LINES.length} ] && read -r l; do printf '%s\\n' "$l"; i=$((i+1)); done`;
      expect(await run(script, pair.read)).toEqual({ status: 0, stdout: LINES.join("") });
      expect(rest(pair.read)).toBe("left\nover\n");
    } finally {
      fs.closeSync(pair.read);
    }
  });

  test(`from ${name}: continuations, NUL bytes and a last line without a newline`, async () => {
    const pair = makePair();
    try {
      fs.writeSync(pair.write, "a\\\nb\nc\0d\ne\\\\\nlast");
      fs.closeSync(pair.write);
      const script = 'read x; read y; read -r z; read w; s=$?; printf "%s|%s|%s|%s|%s\\n" "$x" "$y" "$z" "$w" "$s"';
      expect(await run(script, pair.read)).toEqual({ status: 0, stdout: "ab|cd|e\\\\|last|1\n" });
    } finally {
      fs.closeSync(pair.read);
    }
  });
}

for (const [name, makePair] of [["a pipe", () => osPipe()], ["a socket", socketPair]] as const) {
  test(`from ${name} with nothing there yet: while read waits, a writer in this process gets its turns`, async () => {
    const pair = makePair();
    try {
      const pieces = ["fir", "st\\", "\nline\nsec", "ond\n"];
      const writer = (async () => {
        for (const piece of pieces) {
          await Bun.sleep(30);
          fs.writeSync(pair.write, piece);
        }
        fs.closeSync(pair.write);
      })();
      const result = await run('while read l; do echo "<$l>"; done', pair.read);
      await writer;
      expect(result).toEqual({ status: 0, stdout: "<firstline>\n<second>\n" });
    } finally {
      fs.closeSync(pair.read);
    }
  });
}

test("stdin open for writing only: read fails at once with 1, as in dash (nothing to wait for)", async () => {
  const pipe = osPipe();
  try {
    expect(await run('read x; echo "status $?"', pipe.write)).toEqual({ status: 0, stdout: "status 1\n" });
  } finally {
    fs.closeSync(pipe.write);
    fs.closeSync(pipe.read);
  }
});

test("a trapped signal interrupts a read that waits: the trap runs, read gives 1, the later bytes stay", async () => {
  const pipe = osPipe();
  try {
    const { shell, stdout } = shellOn(pipe.read);
    fs.writeSync(pipe.write, "par");
    const running = shell.run('trap "echo trapped" USR1; read x; echo "status $? x=$x"; read y; echo "y=$y"');
    await Bun.sleep(60);
    shell.signal("USR1");
    await Bun.sleep(60);
    fs.writeSync(pipe.write, "late\n");
    fs.closeSync(pipe.write);
    expect(await running).toBe(0);
    await shell.dispose();
    expect(stdout.text()).toBe("trapped\nstatus 1 x=par\ny=late\n");
  } finally {
    fs.closeSync(pipe.read);
  }
});

test("SIGINT while a read waits ends the shell by SIGINT", async () => {
  const pipe = osPipe();
  try {
    const { shell, stdout } = shellOn(pipe.read);
    const running = shell.run('read x; echo "not reached"');
    await Bun.sleep(60);
    shell.signal("INT");
    expect(await running).toBe(130);
    expect(shell.terminatingSignal).toBe("SIGINT");
    await shell.dispose();
    expect(stdout.text()).toBe("");
  } finally {
    fs.closeSync(pipe.write);
    fs.closeSync(pipe.read);
  }
});

test("from an in-memory pipe: lines in pieces, and the rest left to the next reader", async () => {
  const script = `printf 'one\\ntw' ; printf 'o\\\\\\nthree\\nfour\\nfive\\n'`;
  const result = await run(`{ ${script}; } | { read a; read b; read -r c; cat; echo "$a|$b|$c"; }`, 0);
  expect(result).toEqual({ status: 0, stdout: "five\none|twothree|four\n" });
});
