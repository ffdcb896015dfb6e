// Daemon control commands (issue 7): `rushd stop` says why it cannot use a
// socket, `rushd status --json` answers when no daemon runs, `rushd start`
// on a running daemon names the options it did not apply.

import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAlive, RUSHD, runRushd, useDaemon, type BinaryRunResult } from "./harness.ts";

/** A private directory per test for sockets that are not a daemon's. */
let scratch: string | undefined;

function scratchDir(): string {
  scratch ??= realpathSync(mkdtempSync(join(tmpdir(), "rushd-ctl-")));
  chmodSync(scratch, 0o700);
  return scratch;
}

afterEach(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

function control(args: readonly string[], socket: string, env: Record<string, string> = {}): Promise<BinaryRunResult> {
  return runRushd([...args, "--socket", socket], { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratchDir(), RUSHD_AUTOSTART: "0", ...env });
}

/** A socket file nobody listens on: a hard link outlives the listener's unlink. */
function staleSocket(path: string): void {
  const live = `${path}.live`;
  const server = Bun.listen({ unix: live, socket: { data() {} } });
  linkSync(live, path);
  server.stop(true);
}

function paths(): Record<string, string> {
  const dir = scratchDir();
  const file = join(dir, "file");
  writeFileSync(file, "not a socket\n");
  const directory = join(dir, "directory");
  mkdirSync(directory);
  const stale = join(dir, "stale.sock");
  staleSocket(stale);
  return { file, directory, underFile: join(file, "d.sock"), missing: join(dir, "missing.sock"), stale };
}

function oneLine(text: string): string {
  expect(text.endsWith("\n")).toBe(true);
  expect(text.slice(0, -1)).not.toContain("\n");
  return text.slice(0, -1);
}

describe("stop", () => {
  test.each([
    ["file", "it is a regular file, not a socket"],
    ["directory", "it is a directory, not a socket"],
    ["underFile", "a component of the path is not a directory"],
  ])("on a path it cannot use (%s): says why in one line, status 1", async (which, why) => {
    const socket = paths()[which] as string;
    const result = await control(["stop"], socket);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: "" });
    expect(oneLine(result.stderr)).toBe(`rushd: cannot use the socket ${socket}: ${why}`);
  });

  test.each([
    ["missing", "nothing at this path"],
    ["stale", "a stale socket: nothing listens on it"],
  ])("with no daemon (%s): says so, status 0", async (which, why) => {
    const socket = paths()[which] as string;
    const result = await control(["stop"], socket);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: "" });
    expect(oneLine(result.stderr)).toBe(`rushd: no daemon running on ${socket} (${why})`);
  });

  // Root passes every permission check, so the EACCES case runs as nobody (uid 65534).
  const setpriv = Bun.which("setpriv");
  test.skipIf(process.getuid?.() !== 0 || setpriv === null)("in a directory closed to this user: permission denied, status 1", async () => {
    const socket = join(scratchDir(), "d.sock"); // the directory is root's, mode 700
    const child = Bun.spawn([setpriv as string, "--reuid=65534", "--regid=65534", "--clear-groups", RUSHD, "stop", "--socket", socket], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/", RUSHD_AUTOSTART: "0" },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const [stdout, stderr, status] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      expect({ status, stdout }).toEqual({ status: 1, stdout: "" });
      expect(oneLine(stderr)).toStartWith(`rushd: cannot use the socket ${socket}: permission denied (EACCES)`);
    } finally {
      if (isAlive(child.pid)) process.kill(child.pid, "SIGKILL");
    }
  });
});

describe("status with no daemon", () => {
  test.each([
    ["missing", 3, "no daemon running (nothing at this path)"],
    ["stale", 3, "no daemon running (a stale socket: nothing listens on it)"],
    ["file", 4, "cannot use the socket: it is a regular file, not a socket"],
  ])("--json (%s): prints running false and the reason, status %p", async (which, status, reason) => {
    const socket = paths()[which] as string;
    const result = await control(["status", "--json"], socket);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status, stderr: "" });
    expect(JSON.parse(oneLine(result.stdout))).toEqual({ running: false, socket, reason });
  });

  test("without --json: one line on stderr, status 3", async () => {
    const socket = paths().missing as string;
    const result = await control(["status"], socket);
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 3, stdout: "" });
    expect(oneLine(result.stderr)).toBe(`rushd: no daemon running on ${socket} (nothing at this path)`);
  });
});

describe("a running daemon", () => {
  // The harness starts it with --mode pool --workers 2 --verify-reset.
  const daemon = useDaemon("pool");

  test("status --json says running, with its pid and options", async () => {
    const result = await daemon().run(["status", "--json"]);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    const report = JSON.parse(oneLine(result.stdout)) as Record<string, unknown>;
    expect(report.running).toBe(true);
    expect(report.pid).toBe(daemon().pid);
    expect(report.options).toMatchObject({ mode: "pool", workers: 2, verifyReset: true });
  });

  test.each([
    ["no option", [], {}],
    ["--workers 2", ["--workers", "2"], {}],
    ["--workers=2 --verify-reset --mode pool", ["--workers=2", "--verify-reset", "--mode", "pool"], {}],
    ["RUSHD_WORKERS=2", [], { RUSHD_WORKERS: "2" }],
  ])("start with %s (none differs): already running, status 0", async (_label, args, env) => {
    const result = await daemon().run(["start", ...args], { env });
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 0, stdout: "" });
    expect(oneLine(result.stderr)).toStartWith(`rushd: already running on ${daemon().socket} (pid ${daemon().pid})`);
    expect(result.stderr).not.toContain("not applied");
  });

  test.each([
    ["--workers 3", ["--workers", "3"], {}, "--workers 3 (running: 2)"],
    ["--mode=fork --workers 2 --max-queue 7", ["--mode=fork", "--workers", "2", "--max-queue", "7"], {}, "--mode=fork (running: pool), --max-queue 7 (running: 100)"],
    ["RUSHD_WORKERS=5", [], { RUSHD_WORKERS: "5" }, "RUSHD_WORKERS=5 (running: 2)"],
    ["--workers 6 over RUSHD_WORKERS=5", ["--workers", "6"], { RUSHD_WORKERS: "5" }, "--workers 6 (running: 2)"],
  ])("start with %s (some differ): names those not applied, status 1", async (_label, args, env, named) => {
    const result = await daemon().run(["start", ...args], { env });
    expect({ status: result.status, stdout: result.stdout }).toEqual({ status: 1, stdout: "" });
    expect(oneLine(result.stderr)).toBe(`rushd: already running on ${daemon().socket} (pid ${daemon().pid}); not applied: ${named}; 'rushd restart' applies them`);
    const status = await daemon().status();
    expect({ pid: status.pid, options: status.options }).toMatchObject({ pid: daemon().pid, options: { workers: 2, mode: "pool" } });
  });
});
