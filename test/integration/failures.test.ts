// Failures the user must survive (DESIGN §8): a worker or the daemon killed
// under a client, a client that goes away mid-command.

import { afterEach, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { until } from "../../src/common/until.ts";
import { isAlive, RUSHD, TestDaemon } from "./harness.ts";

let daemon: TestDaemon | undefined;

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
}, 30_000);

test("kill -9 of a worker mid-command: the client gets a clear error, the pool replaces the worker", async () => {
  daemon = await new TestDaemon("pool").start();
  const child = Bun.spawn([RUSHD, "-c", "echo started; exec sleep 30"], { env: daemon.env, stdout: "pipe", stderr: "pipe" });
  const reader = child.stdout.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toBe("started\n");
  // The worker tells the daemon it is leased after the session's first turn (worker/main.ts).
  const current = daemon;
  let leased: { pid: number; state: string }[] = [];
  await until(async () => (leased = (await current.status()).workers.filter((worker) => worker.state === "leased")).length === 1, { timeoutMs: 5000, what: "the worker leased" });
  process.kill(leased[0]!.pid, "SIGKILL");
  expect(await child.exited).toBe(255);
  expect(await new Response(child.stderr).text()).toContain("connection to the worker lost");
  expect(await daemon.sh("echo ok")).toEqual({ status: 0, stdout: "ok\n", stderr: "" });
  await until(async () => (await current.status()).workers.length === 2, { timeoutMs: 10_000, what: "the pool to replace the worker" });
});

test("kill -9 of the daemon: the next rushd -c starts a new one over the stale socket and pid file", async () => {
  daemon = await new TestDaemon("pool").start();
  const oldPid = daemon.pid as number;
  const workers = (await daemon.status()).workers.map((worker) => worker.pid);
  process.kill(oldPid, "SIGKILL");
  await until(() => !isAlive(oldPid), { timeoutMs: 5_000, what: "the daemon to die" });
  // Its workers notice the lost IPC channel and leave.
  await until(() => workers.every((pid) => !isAlive(pid)), { timeoutMs: 10_000, what: "orphaned workers to exit" });
  expect(existsSync(daemon.socket)).toBe(true); // stale
  const result = await daemon.sh("echo back", { env: { RUSHD_AUTOSTART: "1" } });
  expect(result).toEqual({ status: 0, stdout: "back\n", stderr: "" });
  const newPid = Number.parseInt(readFileSync(`${daemon.socket}.pid`, "utf8"), 10);
  expect(newPid).not.toBe(oldPid);
  expect((await daemon.status()).pid).toBe(newPid);
});

test("no daemon and auto-start off: the command runs in process", async () => {
  daemon = new TestDaemon("pool"); // never started
  expect(await daemon.sh("echo here; exit 3")).toEqual({ status: 3, stdout: "here\n", stderr: "" });
});

test("a client killed mid-command does not hurt the worker or the next client", async () => {
  daemon = await new TestDaemon("pool", ["--workers", "1", "--max-workers", "1"]).start();
  const child = Bun.spawn([RUSHD, "-c", "echo started; sleep 30"], { env: daemon.env, stdout: "pipe", stderr: "pipe" });
  const reader = child.stdout.getReader();
  await reader.read();
  child.kill("SIGKILL");
  await child.exited;
  // The only worker must come back: the lease ends, the command is stopped, the state reset.
  expect(await daemon.sh("echo next")).toEqual({ status: 0, stdout: "next\n", stderr: "" });
  expect((await daemon.status()).resets_failed).toBe(0);
});

test("parallel clients with no daemon start exactly one", async () => {
  daemon = new TestDaemon("pool");
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => daemon!.sh(`echo ${i}`, { env: { RUSHD_AUTOSTART: "1" } })));
  results.forEach((result, i) => expect(result).toEqual({ status: 0, stdout: `${i}\n`, stderr: "" }));
  const log = readFileSync(`${daemon.socket}.log`, "utf8");
  expect(log.match(/listening on/g)?.length).toBe(1);
});

test("a command past --request-timeout is killed with status 124; its worker is reset, verified and kept", async () => {
  daemon = await new TestDaemon("pool", ["--workers", "1", "--max-workers", "1", "--request-timeout", "1"]).start();
  const before = (await daemon.status()).workers.map((worker) => worker.pid);
  const result = await daemon.sh("export DIRTY=1; cd /; echo started; sleep 30; echo never");
  expect(result.status).toBe(124);
  expect(result.stdout).toBe("started\n");
  expect(result.stderr).toContain("request timeout");
  // The same worker serves the next request, clean (the daemon runs with --verify-reset).
  expect(await daemon.sh('echo "next ${DIRTY-clean}"')).toEqual({ status: 0, stdout: "next clean\n", stderr: "" });
  const status = await daemon.status();
  expect(status.workers.map((worker) => worker.pid)).toEqual(before);
  expect(status.resets_failed).toBe(0);
});
