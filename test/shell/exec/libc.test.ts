// seekFd (lseek through bun:ffi): offsets past 32 bits both ways, and errno
// names for the fds it cannot move; readFd (read(2) for `read`'s blocks).

import { afterAll, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SystemCallError } from "../../../src/shell/exec/errno.ts";
import { osPipe, readFd, SEEK_CUR, SEEK_SET, seekFd } from "../../../src/shell/exec/libc.ts";

const DIR = fs.mkdtempSync(join(tmpdir(), "rushd-libc-"));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

test("seekFd moves a file's offset past 4 GiB and back (off_t is 64 bits)", () => {
  const fd = fs.openSync(join(DIR, "sparse"), "w+");
  try {
    const far = 2 ** 40 + 3; // 1 TiB: past any 32-bit offset, within every file system's limit
    expect(seekFd(fd, far, SEEK_SET)).toBe(far);
    expect(seekFd(fd, -3, SEEK_CUR)).toBe(2 ** 40);
    expect(seekFd(fd, 0, SEEK_CUR)).toBe(2 ** 40);
    expect(seekFd(fd, 7, SEEK_SET)).toBe(7);
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
      seekFd(fd, code === "EINVAL" ? -1 : 0, code === "EINVAL" ? SEEK_SET : SEEK_CUR);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SystemCallError);
    expect((failure as SystemCallError).code).toBe(code);
  } finally {
    close();
  }
});

test("readFd reads from the fd's offset and moves it, and gives 0 at the end", () => {
  const file = join(DIR, "text");
  fs.writeFileSync(file, "first\nsecond\n");
  const fd = fs.openSync(file, "r");
  try {
    const buffer = new Uint8Array(6);
    expect(readFd(fd, buffer)).toBe(6);
    expect(new TextDecoder().decode(buffer)).toBe("first\n");
    expect(seekFd(fd, 0, SEEK_CUR)).toBe(6);
    expect(readFd(fd, new Uint8Array(64))).toBe(7);
    expect(readFd(fd, new Uint8Array(64))).toBe(0);
  } finally {
    fs.closeSync(fd);
  }
});

test("readFd on an fd open for writing only fails with EBADF", () => {
  const fd = fs.openSync(join(DIR, "write-only"), "w");
  try {
    let failure: unknown;
    try {
      readFd(fd, new Uint8Array(8));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SystemCallError);
    expect((failure as SystemCallError).code).toBe("EBADF");
  } finally {
    fs.closeSync(fd);
  }
});
