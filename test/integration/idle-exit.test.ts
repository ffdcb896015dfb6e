// Idle daemons and pools (issue 8 item 8): with --idle-exit a daemon nobody
// uses stops itself as `rushd stop` would (socket and pid file removed), but
// never while a session or a session's background job runs; a daemon a
// client auto-starts gets a 15-minute --idle-exit unless the user chose one;
// and --idle-timeout shrinks a grown pool back to --workers.

import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { until } from "../../src/common/until.ts";
import { isAlive, runRushd, RUSHD, TestDaemon } from "./harness.ts";

/** Generous: a daemon's exit and a pool's shrinking wait on timers, and the machine may be loaded. */
const EXIT_TIMEOUT_MS = 30_000;

const started: TestDaemon[] = [];
afterEach(async () => {
  for (const daemon of started.splice(0)) await daemon.stop();
}, 60_000);

async function startDaemon(extraArgs: readonly string[]): Promise<TestDaemon> {
  const daemon = new TestDaemon("pool", extraArgs);
  started.push(daemon);
  return daemon.start();
}

async function expectGone(daemon: TestDaemon, workerPids: readonly number[]): Promise<void> {
  const pid = daemon.pid as number;
  await until(() => !isAlive(pid), { timeoutMs: EXIT_TIMEOUT_MS, what: `daemon ${pid} to exit by itself` });
  expect(existsSync(daemon.socket)).toBe(false);
  expect(existsSync(`${daemon.socket}.pid`)).toBe(false);
  expect(readFileSync(`${daemon.socket}.log`, "utf8")).toContain("stopping (idle for 1s");
  await until(() => workerPids.every((worker) => !isAlive(worker)), { timeoutMs: EXIT_TIMEOUT_MS, what: "the daemon's workers to exit" });
}

describe("--idle-exit", () => {
  test("the daemon exits by itself after its last session, as rushd stop would", async () => {
    const daemon = await startDaemon(["--idle-exit", "1"]);
    expect(await daemon.sh("echo hi")).toEqual({ status: 0, stdout: "hi\n", stderr: "" });
    const status = await daemon.status();
    expect(status.options).toMatchObject({ idleExitS: 1 });
    expect(status.leases_total).toBeGreaterThanOrEqual(1);
    await expectGone(daemon, status.workers.map((worker) => worker.pid));
  }, 60_000);

  test("it does not exit while a session runs", async () => {
    const daemon = await startDaemon(["--idle-exit", "1"]);
    // Three idle periods into the session, the daemon still answers (a stopping one no longer listens).
    const result = await daemon.sh('sleep 3; "$1" status --json', { args: ["sh", RUSHD] });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ running: true, pid: daemon.pid });
    await expectGone(daemon, []);
  }, 60_000);

  test("it does not exit while a session's background job runs in a retired worker", async () => {
    const daemon = await startDaemon(["--idle-exit", "1"]);
    const report = join(daemon.dir, "report.json");
    const result = await daemon.sh('( sleep 3; "$1" status --json > "$2.tmp"; mv "$2.tmp" "$2" ) & echo started', { args: ["sh", RUSHD, report] });
    expect(result).toEqual({ status: 0, stdout: "started\n", stderr: "" });
    await until(() => existsSync(report), { timeoutMs: EXIT_TIMEOUT_MS, what: "the background job's report" });
    expect(JSON.parse(readFileSync(report, "utf8"))).toMatchObject({ running: true, pid: daemon.pid });
    await expectGone(daemon, []);
  }, 60_000);
});

describe("who gets an idle exit", () => {
  /** A daemon this test's client auto-starts (the harness turns auto-start off). */
  const autoStartEnv = (daemon: TestDaemon, extra: Record<string, string> = {}) => ({ ...daemon.env, RUSHD_AUTOSTART: "1", ...extra });

  test.each([
    ["an auto-started daemon: 15 minutes", [], {}, 900],
    ["an auto-started daemon with RUSHD_IDLE_EXIT", [], { RUSHD_IDLE_EXIT: "5" }, 5],
    ["an auto-started daemon with --idle-exit", ["--idle-exit", "7"], {}, 7],
    ["an auto-started daemon with --idle-exit 0: never", ["--idle-exit=0"], {}, 0],
  ] as const)("%s", async (_name, flags, env, want) => {
    const daemon = new TestDaemon("pool");
    started.push(daemon);
    const result = await runRushd([...flags, "-c", "echo hi"], autoStartEnv(daemon, env));
    expect(result).toMatchObject({ status: 0, stdout: "hi\n", stderr: "" });
    const status = await daemon.status();
    expect(status.options).toMatchObject({ idleExitS: want });
    expect(status.leases_total).toBeGreaterThanOrEqual(1); // it ran there, not in process
  }, 60_000);

  test("rushd start by hand: never, unless given", async () => {
    const daemon = new TestDaemon("pool");
    started.push(daemon);
    expect((await runRushd(["start"], daemon.env)).status).toBe(0);
    expect((await daemon.status()).options).toMatchObject({ idleExitS: 0 });
    // The running daemon has none: asking for one names the difference instead of claiming it applies.
    const again = await runRushd(["start", "--idle-exit", "60"], daemon.env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("--idle-exit 60 (running: 0)");
  }, 60_000);
});

test("--idle-timeout: a pool grown by load shrinks back to --workers", async () => {
  const daemon = await startDaemon(["--workers", "1", "--max-workers", "3", "--idle-timeout", "1"]);
  await until(async () => (await daemon.status()).workers.some((worker) => worker.state === "idle"), { timeoutMs: EXIT_TIMEOUT_MS, what: "the first worker" });
  // Three sessions at once on one worker: the pool grows to serve them (a client that does not wait still gets a start).
  const results = await Promise.all([0, 1, 2].map((i) => daemon.sh(`sleep 1; echo ${i}`)));
  expect(results).toEqual([0, 1, 2].map((i) => ({ status: 0, stdout: `${i}\n`, stderr: "" })));
  const grown = await daemon.status();
  expect(grown.workers_peak).toBe(3);
  expect(grown.leases_refused_no_wait).toBe(0);
  const grownPids = grown.workers.map((worker) => worker.pid);
  await until(async () => (await daemon.status()).workers.length === 1, { timeoutMs: EXIT_TIMEOUT_MS, what: "the pool to shrink to 1 worker" });
  const shrunk = await daemon.status();
  const retired = grownPids.filter((pid) => !shrunk.workers.some((worker) => worker.pid === pid));
  expect(retired.length).toBe(2);
  await until(() => retired.every((pid) => !isAlive(pid)), { timeoutMs: EXIT_TIMEOUT_MS, what: "the retired workers to exit" });
  expect(await daemon.sh("echo still")).toEqual({ status: 0, stdout: "still\n", stderr: "" });
}, 60_000);
