// A daemon whose queue of connections not yet accepted is full (a flood)
// is alive, not gone: Bun reports connect(2)'s EAGAIN as ECONNREFUSED, the
// answer a stale socket gives. A second daemon must not take the socket
// over, and `rushd status` must not say that nothing runs
// (common/connect-errno.ts). The full queue is made by a listener that
// never accepts (python3, with a backlog of 1); it and every process here
// are killed by pid.

import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectErrno, EAGAIN, ECONNREFUSED, isListening } from "../../src/common/connect-errno.ts";
import { probeSocket } from "../../src/common/probe.ts";
import { RUSHD, runRushd } from "./harness.ts";

const PYTHON = Bun.which("python3");
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function privateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "rushd-queue-"));
  chmodSync(dir, 0o700);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A socket at `path` that listens, never accepts, and has connected to itself until its queue (a backlog of 1) is full. */
async function listenWithoutAccepting(path: string): Promise<void> {
  const script = `
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(1)
queued = []
while True:
    c = socket.socket(socket.AF_UNIX)
    c.setblocking(False)
    try:
        c.connect(sys.argv[1])
        queued.append(c)
    except BlockingIOError:
        break
sys.stdout.write("full\\n")
sys.stdout.flush()
time.sleep(60)
`;
  const child = Bun.spawn([PYTHON as string, "-c", script, path], { stdout: "pipe", stderr: "inherit" });
  cleanups.push(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  // Until the line is whole (it may come in more than one read).
  const reader = child.stdout.getReader();
  let line = "";
  while (!line.endsWith("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    line += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  expect(line).toBe("full\n");
}

describe.skipIf(PYTHON === null)("a listener whose queue is full", () => {
  test("connect(2) says EAGAIN: it listens; a path with nothing is ENOENT, a stale socket ECONNREFUSED", async () => {
    const dir = privateDir();
    const path = join(dir, "busy.sock");
    await listenWithoutAccepting(path);
    expect(connectErrno(path)).toBe(EAGAIN);
    expect(isListening(path)).toBe(true);
    expect(await probeSocket(path)).toBe("alive"); // what the daemon and the launcher ask before starting one
    expect(connectErrno(join(dir, "nothing"))).toBe(2);
    const stale = join(dir, "stale.sock");
    Bun.spawnSync([PYTHON as string, "-c", "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.close()", stale]);
    expect(connectErrno(stale)).toBe(ECONNREFUSED);
    expect(isListening(stale)).toBe(false);
    expect(await probeSocket(stale)).toBe("dead");
  });

  test("a daemon started on its path refuses to start and leaves the socket alone", async () => {
    const dir = privateDir();
    const path = join(dir, "d.sock");
    await listenWithoutAccepting(path);
    const inode = statSync(path).ino;
    const result = await runRushd(["daemon", "--socket", path], { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`a daemon is already running on ${path}`);
    expect(existsSync(path) && statSync(path).ino).toBe(inode);
  });

  test("rushd status says a daemon listens but cannot be reached now: status unknown (4), not 'not running' (3)", async () => {
    const dir = privateDir();
    const path = join(dir, "d.sock");
    await listenWithoutAccepting(path);
    const result = await runRushd(["status", "--socket", path], { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir });
    expect(result.status).toBe(4);
    expect(result.stderr).toContain("accepts no connection now");
  });
});

test("the binary under test exists", () => {
  expect(existsSync(RUSHD)).toBe(true);
});
