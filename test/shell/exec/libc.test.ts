// seekFd (lseek through bun:ffi): 64-bit offsets as bigints both ways, and
// errno names for the fds it cannot move.

import { afterAll, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SystemCallError } from "../../../src/shell/exec/errno.ts";
import { osPipe, SEEK_CUR, SEEK_SET, seekFd } from "../../../src/shell/exec/libc.ts";

const DIR = fs.mkdtempSync(join(tmpdir(), "rushd-libc-"));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

test("seekFd moves a file's offset past 4 GiB and back (off_t is 64 bits)", () => {
  const fd = fs.openSync(join(DIR, "sparse"), "w+");
  try {
    const far = 2n ** 40n + 3n; // 1 TiB: past any 32-bit offset, within every file system's limit
    expect(seekFd(fd, far, SEEK_SET)).toBe(far);
    expect(seekFd(fd, -3n, SEEK_CUR)).toBe(2n ** 40n);
    expect(seekFd(fd, 0n, SEEK_CUR)).toBe(2n ** 40n);
    expect(seekFd(fd, 7n, SEEK_SET)).toBe(7n);
  } finally {
    fs.closeSync(fd);
  }
});

test.each([
  ["a pipe", "ESPIPE", (): { fd: number; close: () => void } => {
    const pipe = osPipe();
    return { fd: pipe.read, close: () => [pipe.read, pipe.write].forEach((fd) => fs.closeSync(fd)) };
  }],
  ["an offset before the start", "EINVAL", (): { fd: number; close: () => void } => {
    const fd = fs.openSync(join(DIR, "small"), "w+");
    return { fd, close: () => fs.closeSync(fd) };
  }],
])("seekFd on %s fails with %s", (_what, code, open) => {
  const { fd, close } = open();
  try {
    let failure: unknown;
    try {
      seekFd(fd, code === "EINVAL" ? -1n : 0n, code === "EINVAL" ? SEEK_SET : SEEK_CUR);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SystemCallError);
    expect((failure as SystemCallError).code).toBe(code);
  } finally {
    close();
  }
});
