// fd passing (SCM_RIGHTS over a datagram socket): one receiver takes
// message after message (its buffers are reused: a buffer that moved would
// lose every message after the first), in any order of their nonces.

import { afterAll, expect, test } from "bun:test";
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FdReceiver, newNonce, sendFds } from "../../src/common/fd-passing.ts";

const dir = mkdtempSync(join(tmpdir(), "rushd-fd-passing-"));
const receiver = new FdReceiver(join(dir, "fds"));
afterAll(() => {
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function passed(path: string): { nonce: string; ino: number } {
  const fd = openSync(path, "r");
  const nonce = newNonce();
  try {
    sendFds(join(dir, "fds"), nonce, [fd]);
    return { nonce, ino: fstatSync(fd).ino };
  } finally {
    closeSync(fd);
  }
}

test("message after message on one receiver, each with the fd that was sent", () => {
  for (const path of ["/dev/null", "/etc/hostname", "/dev/zero", "/etc/passwd"]) {
    const { nonce, ino } = passed(path);
    const received = receiver.take(nonce);
    expect(received?.fds).toHaveLength(1);
    const [fd] = received?.fds ?? [];
    expect(fstatSync(fd as number).ino).toBe(ino);
    expect(received?.senderPid).toBe(process.pid);
    closeSync(fd as number);
  }
});

test("taken out of order: a message read on the way to another is kept for its own take", () => {
  const first = passed("/dev/null");
  const second = passed("/etc/hostname");
  const late = receiver.take(second.nonce);
  const early = receiver.take(first.nonce);
  expect(fstatSync(late?.fds[0] as number).ino).toBe(second.ino);
  expect(fstatSync(early?.fds[0] as number).ino).toBe(first.ino);
  for (const fd of [...(late?.fds ?? []), ...(early?.fds ?? [])]) closeSync(fd);
  expect(receiver.take(newNonce())).toBeUndefined();
});
