// `read` on a real OS fd as stdin, the way the CLI (in process) and a worker
// (the caller's fd, passed) give it: a regular file is read in blocks with the
// offset moved back to just after the line, so the fd's offset is exactly
// where dash's byte-at-a-time read leaves it; a pipe is never read past the
// line either (read-stream.test.ts has pipes and sockets). The same scripts on
// `< f` redirections, compared with dash, are conformance cases (dash-scripts.sh).

import { afterAll, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { osPipe, SEEK_CUR, seekFd } from "../../../src/shell/exec/libc.ts";
import { Shell } from "../../../src/shell/index.ts";
import { CaptureSink, fakeHost } from "../helpers.ts";

const DIR = fs.mkdtempSync(join(tmpdir(), "rushd-read-"));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

interface Outcome {
  readonly status: number;
  readonly stdout: Buffer;
  readonly stderr: string;
  /** stdin's offset once the script is done. */
  readonly offset: number;
}

/** Run `script` with stdin an fd on a file holding `content` (the shell's fd 0 is that fd itself). */
async function runOnFile(script: string, content: string | Uint8Array): Promise<Outcome> {
  const file = join(DIR, "input");
  fs.writeFileSync(file, content);
  const fd = fs.openSync(file, "r");
  try {
    return await runOnFd(script, fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function runOnFd(script: string, fd: number): Promise<Outcome> {
  const stdout = new CaptureSink();
  const stderr = new CaptureSink();
  const shell = new Shell({
    argv0: "sh", args: [], cwd: DIR, env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: DIR },
    stdin: { kind: "fd", fd }, stdout: { kind: "sink", sink: stdout }, stderr: { kind: "sink", sink: stderr }, host: fakeHost(),
  });
  const status = await shell.run(script);
  await shell.dispose();
  const offset = fs.fstatSync(fd).isFile() ? seekFd(fd, 0, SEEK_CUR) : -1;
  return { status, stdout: stdout.bytes(), stderr: stderr.bytes().toString(), offset };
}

function outcome(status: number, stdout: string | Uint8Array, offset: number): { status: number; stdout: Buffer; stderr: string; offset: number } {
  return { status, stdout: Buffer.from(stdout), stderr: "", offset };
}

const lines = Array.from({ length: 3000 }, (_, i) => `${i}:${"x".repeat((i * 37) % 1500)}\n`);
const LINES = lines.join("");

test("`read a; read b` leaves the offset just past the second line", async () => {
  expect(await runOnFile("read a; read b; echo \"$b$a\"", "first\nsecond\nthird\n")).toEqual(outcome(0, "secondfirst\n", 13));
});

test("a while-read loop stopped part way: an external cat prints exactly the rest", async () => {
  // Lines up to 1,500 bytes: many span the first block, some several blocks.
  const stop = 1234;
  const got = await runOnFile(`while read -r l; do case $l in ${stop}:*) break;; esac; done; cat`, LINES);
  const consumed = lines.slice(0, stop + 1).join("").length;
  expect(got).toEqual(outcome(0, LINES.slice(consumed), LINES.length));
});

test("every line of a file, whatever its length, read back as written", async () => {
  const got = await runOnFile("n=0; while IFS= read -r l; do n=$((n+1)); printf '%s\\n' \"$l\"; done; echo $n", LINES);
  expect(got).toEqual(outcome(0, `${LINES}3000\n`, LINES.length));
});

test.each([254, 255, 256, 510, 511, 512, 513, 1022, 1023, 1024, 2047, 2048, 4095, 4096, 70_000])(
  "a backslash-newline continuation after %p bytes (at or across a block's end) joins the lines",
  async (before) => {
    const content = `${"a".repeat(before)}\\\nbb\nrest\n`;
    const got = await runOnFile("read l; echo ${#l}; cat", content);
    expect(got).toEqual(outcome(0, `${before + 2}\nrest\n`, content.length));
  },
);

test.each([511, 512, 513])("an escaped backslash before the newline after %p bytes ends the line", async (before) => {
  const content = `${"a".repeat(before)}\\\\\nnext\n`;
  expect(await runOnFile("read l; echo ${#l}; cat", content)).toEqual(outcome(0, `${before + 1}\nnext\n`, content.length));
  expect(await runOnFile("read -r l; echo ${#l}; cat", content)).toEqual(outcome(0, `${before + 2}\nnext\n`, content.length));
});

test("the last line without a newline: status 1, the variable still set", async () => {
  expect(await runOnFile("read x; read y; echo \"$?:$x:$y\"; read z; echo \"$?:[$z]\"", "a\nb")).toEqual(outcome(0, "1:a:b\n1:[]\n", 3));
});

test("bytes that are not UTF-8 are kept exactly; NUL bytes are dropped, as dash does", async () => {
  const content = Uint8Array.from([0xff, 0x61, 0xfe, 0x00, 0x0a, 0xe2, 0x82, 0xac, 0x0a, 0x72, 0x0a]);
  const got = await runOnFile("read x; printf %s \"$x\"; read -r y; printf %s \"$y\"; cat", content);
  expect(got).toEqual(outcome(0, Uint8Array.from([0xff, 0x61, 0xfe, 0xe2, 0x82, 0xac, 0x72, 0x0a]), content.length));
  // A NUL after the line, in the same block, changes nothing for the line before it.
  expect(await runOnFile("read a; read b; echo \"$a|$b\"", "x\n\0y\n")).toEqual(outcome(0, "x|y\n", 5));
});

test("-d reads up to another delimiter, and leaves the offset just past it", async () => {
  expect(await runOnFile("read -d : x; read -d : y; echo \"$x$y\"", "a:b\n:c\n")).toEqual(outcome(0, "ab\n", 5));
});

test("from a pipe, read still takes no byte past the line", async () => {
  const pipe = osPipe();
  try {
    fs.writeSync(pipe.write, "a\nb\n");
    fs.closeSync(pipe.write);
    const got = await runOnFd("read x; echo \"x=$x\"", pipe.read);
    expect({ status: got.status, stdout: got.stdout.toString(), stderr: got.stderr }).toEqual({ status: 0, stdout: "x=a\n", stderr: "" });
    const rest = Buffer.alloc(16);
    expect(rest.toString("utf8", 0, fs.readSync(pipe.read, rest))).toBe("b\n");
  } finally {
    fs.closeSync(pipe.read);
  }
});
