// DESIGN §8, issue 7: trust no socket that is not the user's. A socket,
// directory, log file or daemon that is not safely ours is refused with at
// most one line on stderr, and the command still runs (in process).

import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { until } from "../../src/common/until.ts";
import { readProcStat } from "../../src/common/proc-stat.ts";
import { isAlive, RUSHD, runRushd, TestDaemon, useDaemon } from "./harness.ts";

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(mode = 0o700): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-trust-")));
  chmodSync(dir, mode);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function clientEnv(socket: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmpdir(), RUSHD_SOCKET: socket, ...extra };
}

/** The daemon a client auto-started on `socket`: stopped (and its workers killed) at the end of the test. */
function stopAfter(socket: string): void {
  cleanups.push(async () => {
    if (!existsSync(socket)) return;
    const status = await runRushd(["status", "--json"], clientEnv(socket));
    const pids: number[] = [];
    try {
      const report = JSON.parse(status.stdout) as { pid?: number; workers?: { pid: number }[] };
      if (report.pid !== undefined) pids.push(report.pid, ...(report.workers ?? []).map((worker) => worker.pid));
    } catch {
      // no daemon answered
    }
    await runRushd(["stop"], clientEnv(socket));
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  });
}

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at |internal error/m);
  expect(stderr.split("\n").filter((line) => line !== "").length).toBeLessThanOrEqual(1);
}

describe.if(isRoot)("paths that are not the user's", () => {
  test("a socket directory owned by another user and open to all: no daemon there, the command runs in process", async () => {
    const foreign = join(tempDir(0o755), "foreign");
    mkdirSync(foreign);
    chownSync(foreign, NOBODY, NOBODY);
    chmodSync(foreign, 0o777);
    const socket = join(foreign, "s.sock");
    stopAfter(socket);
    const result = await runRushd(["-c", "echo hi"], clientEnv(socket));
    expect(result.stdout).toBe("hi\n");
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("refusing socket directory");
    expectNoStackTrace(result.stderr);
    expect(existsSync(socket)).toBe(false);
  });

  test("a socket served by another user gets nothing: no environment, no script, no forged output", async () => {
    const dir = tempDir(0o777);
    const socket = join(dir, "s.sock");
    const heard = join(dir, "heard");
    // A fake daemon run as nobody, which records what it is sent and answers with forged bytes.
    const fake = Bun.spawn(["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "node", "-e", `
      const net = require("net"), fs = require("fs");
      net.createServer((c) => { c.on("error", () => {}); c.on("data", (d) => fs.appendFileSync(${JSON.stringify(heard)}, d)); c.write(Buffer.from("forged")); })
        .listen(${JSON.stringify(socket)}, () => { fs.chmodSync(${JSON.stringify(socket)}, 0o777); console.log("up"); });
    `], { stdout: "pipe", stderr: "inherit" });
    cleanups.push(() => void fake.kill("SIGKILL"));
    await new Response(fake.stdout).body?.getReader().read();
    const result = await runRushd(["-c", "echo mine"], clientEnv(socket, { SECRET_TOKEN: "do-not-send-me" }));
    expect(result.stdout).toBe("mine\n");
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`served by uid ${NOBODY}`);
    expectNoStackTrace(result.stderr);
    expect(existsSync(heard)).toBe(false);
  });

  test("a symlink planted at the log file is not followed", async () => {
    const dir = tempDir();
    const socket = join(dir, "s.sock");
    const victim = join(tempDir(), "victim");
    writeFileSync(victim, "precious\n");
    symlinkSync(victim, `${socket}.log`);
    stopAfter(socket);
    const result = await runRushd(["-c", "echo ok"], clientEnv(socket));
    expect(result.stdout).toBe("ok\n");
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("symbolic link");
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
  });
});

describe("places where no daemon can start", () => {
  test.each<[string, (dir: string) => string]>([
    ["under a regular file", (dir) => {
      writeFileSync(join(dir, "file"), "");
      return join(dir, "file", "s.sock");
    }],
    ["under /proc (cannot be created)", () => "/proc/self/rushd-nowhere/s.sock"],
    ["a socket path that is a directory", (dir) => {
      mkdirSync(join(dir, "s.sock"));
      return join(dir, "s.sock");
    }],
  ])("%s: the command's own result, no stack trace", async (_name, makeSocket) => {
    const socket = makeSocket(tempDir());
    const result = await runRushd(["-c", "echo hi; exit 3"], clientEnv(socket));
    expect(result.stdout).toBe("hi\n");
    expect(result.status).toBe(3);
    expectNoStackTrace(result.stderr);
  });
});

describe("the daemon's environment and signals", () => {
  test("an auto-started daemon and its workers do not keep the starting client's environment", async () => {
    const socket = join(tempDir(), "s.sock");
    stopAfter(socket);
    const secret = "client-secret-5c1f";
    const result = await runRushd(["-c", "echo $SECRET"], clientEnv(socket, { SECRET: secret }));
    expect(result).toMatchObject({ status: 0, stdout: `${secret}\n` });
    const status = JSON.parse((await runRushd(["status", "--json"], clientEnv(socket))).stdout) as { pid: number; workers: { pid: number }[] };
    for (const pid of [status.pid, ...status.workers.map((worker) => worker.pid)]) {
      expect(readFileSync(`/proc/${pid}/environ`, "latin1")).not.toContain(secret);
    }
  });

  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "2"]);

  test("$PPID is the calling client's pid, and signals sent to the daemon do not stop it", async () => {
    const before = current().pid as number;
    const child = Bun.spawn([RUSHD, "-c", 'echo "$PPID"'], { env: current().env, stdout: "pipe" });
    const [out] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    expect(out).toBe(`${child.pid}\n`);
    for (const signal of ["HUP", "USR1", "USR2", "ALRM"]) {
      expect(await current().sh(`kill -${signal} ${before}; echo sent`)).toEqual({ status: 0, stdout: "sent\n", stderr: "" });
    }
    expect((await current().status()).pid).toBe(before);
    expect(await current().sh("echo alive")).toEqual({ status: 0, stdout: "alive\n", stderr: "" });
  });

  test("a stopped (SIGSTOP) worker is not leased: it is replaced", async () => {
    await until(async () => (await current().status()).workers.some((worker) => worker.state === "idle"), { timeoutMs: 15_000, what: "an idle worker" });
    const stopped = (await current().status()).workers.filter((worker) => worker.state === "idle").map((worker) => worker.pid);
    for (const pid of stopped) process.kill(pid, "SIGSTOP");
    cleanups.push(() => stopped.forEach((pid) => isAlive(pid) && process.kill(pid, "SIGKILL")));
    // Stopped once the kernel says so: on a loaded machine a worker can take a moment to act on
    // SIGSTOP, and one granted in that moment stops under its client.
    await until(() => stopped.every((pid) => readProcStat(pid)?.state === "T"), { timeoutMs: 5000, what: "the workers stopped" });
    expect(await current().sh("echo served")).toEqual({ status: 0, stdout: "served\n", stderr: "" });
    const workers = (await current().status()).workers.map((worker) => worker.pid);
    for (const pid of stopped) expect(workers).not.toContain(pid);
  });
});

describe("worker sockets", () => {
  test("no worker socket is left after stop, even of a worker that was killed", async () => {
    const daemon = await new TestDaemon("pool").start();
    cleanups.push(() => daemon.stop());
    await until(async () => (await daemon.status()).workers.some((worker) => worker.state === "idle"), { timeoutMs: 15_000, what: "an idle worker" });
    const [victim] = (await daemon.status()).workers;
    process.kill(victim?.pid as number, "SIGKILL");
    await until(() => !isAlive(victim?.pid as number), { timeoutMs: 10_000, what: "the killed worker to go" });
    expect((await daemon.sh("echo ok")).stdout).toBe("ok\n");
    await runRushd(["stop"], daemon.env);
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(daemon.dir).filter((name) => name.includes(".w"))).toEqual([]);
  }, 30_000);
});
