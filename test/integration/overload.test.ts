// DESIGN §8, issue 7: overload is refused, never a crash. Past the connection
// limit idle connections are shed and busy ones refused with BUSY; a worker's
// socket turns away a second client; oversized frames and silent
// connections do not hold the daemon's memory or slots.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { encode } from "@msgpack/msgpack";
import { encodeFrame, message, PROTOCOL_VERSION, encodeMessage } from "../../src/protocol/index.ts";
import { DaemonClient } from "../../src/client/daemon-client.ts";
import { WorkerLink } from "../../src/client/worker-link.ts";
import { cliTransport } from "../../src/client/transport/cli-transport.ts";
import { until } from "../../src/common/until.ts";
import { DAEMON_HOOK_TIMEOUT_MS, TestDaemon, useDaemon } from "./harness.ts";
import { openMany, RawConnection } from "./raw-socket.ts";

describe("a flood of connections", () => {
  const current = useDaemon("pool", ["--max-connections", "50", "--connection-timeout", "2"]);

  test("2000 connections at once: the daemon sheds idle ones and keeps serving, during and after", async () => {
    const before = current().pid;
    const flood = await openMany(current().socket, 2000);
    expect(flood.length).toBeGreaterThan(0);
    expect(await current().sh("echo during")).toEqual({ status: 0, stdout: "during\n", stderr: "" });
    const status = await current().status();
    expect(status.pid).toBe(before as number);
    expect(status.connections as number).toBeLessThanOrEqual(50);
    expect((status.connections_shed as number) + (status.connections_refused as number)).toBeGreaterThan(0);
    for (const connection of flood) connection.close();
    expect(await current().sh("echo after")).toEqual({ status: 0, stdout: "after\n", stderr: "" });
    expect((await current().status()).pid).toBe(before as number);
  }, 60_000);

  test("a connection that sends half a frame, or one request and then nothing, is closed after --connection-timeout", async () => {
    const half = await RawConnection.open(current().socket);
    half.write(new Uint8Array([0, 0, 0, 40, 0, 0, 0, 1, 1, 2, 3]));
    const quiet = await RawConnection.open(current().socket);
    quiet.write(encodeMessage(1, message("Status", {})));
    await Promise.all([half.closed, quiet.closed]);
    expect(half.errorCodes()).toEqual(["TIMEOUT"]);
    expect(quiet.received.map((msg) => msg.type)).toEqual(["StatusReply", "Error"]);
    expect(quiet.errorCodes()).toEqual(["TIMEOUT"]);
  }, 20_000);

  test("the daemon refuses a frame above its small limit before reading its body", async () => {
    const big = await RawConnection.open(current().socket);
    // A 1 MiB Lease: far more than any daemon request needs (the worker's limit is 16 MiB).
    big.write(encodeFrame(1, encode({ type: "Lease", version: PROTOCOL_VERSION, pad: "x".repeat(1 << 20) })).subarray(0, 64 * 1024));
    await big.closed;
    expect(big.errorCodes()).toEqual(["FRAME_TOO_LARGE"]);
  });
});

describe("every connection busy", () => {
  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1", "--max-connections", "4"]);

  test("past the limit with a request in flight on each, a newcomer gets BUSY; the holders are served afterwards", async () => {
    const daemon = await DaemonClient.connect(current().socket, cliTransport);
    const held = await WorkerLink.open(await daemon.lease(), { transport: cliTransport }); // the only worker, kept busy by a command waiting for input
    daemon.close();
    let release: (data: Uint8Array | null) => void = () => undefined;
    const busy = held.run({ cwd: "/", env: { PATH: "/usr/bin:/bin" }, argv0: "sh", args: [], umask: 0o022 }, "read x; echo $x", {
      stdout: () => undefined,
      stderr: () => undefined,
      stdin: () => new Promise((resolve) => (release = resolve)),
    });
    // Connections that each queue a Lease for the busy worker fill every slot; until the daemon has
    // read a connection's Lease it is idle and may be shed for a newer one. Knock (with a Lease,
    // kept open) until the daemon has no idle connection left to shed and refuses.
    const waiting: RawConnection[] = [];
    let refused = false;
    await until(async () => {
      const newcomer = await RawConnection.open(current().socket).catch(() => undefined);
      // A refusal can be so quick that the connect itself fails (ECONNRESET): that is a refusal too.
      if (newcomer === undefined) return (refused = true);
      newcomer.write(encodeMessage(1, message("Lease", { version: PROTOCOL_VERSION })));
      await until(() => newcomer.received.length > 0 || newcomer.isClosed, { timeoutMs: 200, what: "an answer" }).catch(() => undefined);
      if (newcomer.errorCodes().includes("BUSY")) return (refused = true);
      waiting.push(newcomer);
      return false;
    }, { timeoutMs: 10_000, what: "a refusal" });
    expect(refused).toBe(true);
    expect(waiting.filter((connection) => !connection.isClosed).length).toBe(4);
    release(null);
    expect((await busy).status).toBe(0);
    held.close();
    await until(() => waiting.some((connection) => connection.received.some((msg) => msg.type === "LeaseGrant")), { timeoutMs: 10_000, what: "a queued lease granted" });
    for (const connection of waiting) connection.close();
  }, 30_000);
});

describe("a worker's socket", () => {
  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1"]);

  test("a second connection to a busy worker is refused and the running command is unaffected", async () => {
    const daemon = await DaemonClient.connect(current().socket, cliTransport);
    const grant = await daemon.lease();
    daemon.close();
    const link = await WorkerLink.open(grant, { transport: cliTransport });
    const stdout: Uint8Array[] = [];
    const running = link.run({ cwd: "/", env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, argv0: "sh", args: [], umask: 0o022 }, "read line; echo \"got $line\"", {
      stdout: (data) => void stdout.push(data),
      stderr: () => undefined,
      stdin: async () => {
        // While the command waits for input, a stranger knocks with and without a token.
        for (const token of [undefined, grant.token, "forged"]) {
          const stranger = await RawConnection.open(grant.socket);
          stranger.write(encodeMessage(1, message("SessionInit", { version: PROTOCOL_VERSION, token, cwd: "/", argv0: "x", args: [], umask: 0o022, persistent: false })));
          await stranger.closed;
          expect(["BUSY", "BAD_TOKEN"]).toContain(stranger.errorCodes()[0] ?? "none");
        }
        return new TextEncoder().encode("hello\n");
      },
    });
    expect((await running).status).toBe(0);
    expect(new TextDecoder().decode(Buffer.concat(stdout))).toBe("got hello\n");
    link.close();
  }, 30_000);

  test("an idle connection without a token does not keep the next leased client out", async () => {
    const daemon = await DaemonClient.connect(current().socket, cliTransport);
    const grant = await daemon.lease();
    const squatter = await RawConnection.open(grant.socket); // connects first, says nothing
    const link = await WorkerLink.open(grant, { transport: cliTransport });
    const result = await link.run({ cwd: "/", env: { PATH: "/usr/bin:/bin" }, argv0: "sh", args: [], umask: 0o022 }, "exit 7", { stdout: () => undefined, stderr: () => undefined, stdin: async () => null });
    expect(result.status).toBe(7);
    link.close();
    daemon.close();
    squatter.close();
  }, 30_000);
});

describe("a full disk", () => {
  let daemon: TestDaemon;
  let child: ReturnType<typeof Bun.spawn> | undefined;
  beforeAll(() => {
    daemon = new TestDaemon("pool");
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    await daemon.stop();
  }, DAEMON_HOOK_TIMEOUT_MS);

  test("log lines that cannot be written (ENOSPC) are dropped and counted; the daemon goes on", async () => {
    const { existsSync, openSync } = await import("node:fs");
    if (!existsSync("/dev/full")) return;
    const fd = openSync("/dev/full", "w");
    child = Bun.spawn([(await import("./harness.ts")).RUSHD, "daemon", "--socket", daemon.socket, "--workers", "1", "--notify-ready"], { env: daemon.env, stdout: "pipe", stderr: fd });
    const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
    let ready = "";
    while (!ready.includes("rushd-ready")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the daemon exited before it was ready");
      ready += new TextDecoder().decode(value);
    }
    // Bad input makes the daemon log a line (it used to die of the failed write).
    for (let i = 0; i < 3; i++) {
      const bad = await RawConnection.open(daemon.socket);
      bad.write(new Uint8Array([0, 0, 0, 3, 0, 0, 0, 1, 0xc1, 0xc1, 0xc1]));
      await bad.closed;
    }
    expect(await daemon.sh("echo still here")).toEqual({ status: 0, stdout: "still here\n", stderr: "" });
    const status = await daemon.status();
    expect(status.pid).toBe(child.pid);
    expect(status.log_lines_dropped as number).toBeGreaterThanOrEqual(3);
  }, 30_000);
});

describe("workers that cannot start", () => {
  let daemon: TestDaemon | undefined;
  afterAll(async () => {
    await daemon?.stop();
  }, DAEMON_HOOK_TIMEOUT_MS);

  test("restarts back off exponentially; the daemon stays up and clients run in process meanwhile", async () => {
    const { copyFileSync, unlinkSync } = await import("node:fs");
    const { join } = await import("node:path");
    daemon = new TestDaemon("pool");
    // The daemon runs from a copy of the executable, which is then deleted (an upgrade under a
    // running daemon): new workers can no longer be started from it.
    const copy = join(daemon.dir, "rushd-copy");
    copyFileSync((await import("./harness.ts")).RUSHD, copy);
    const started = Bun.spawnSync([copy, "start", "--socket", daemon.socket, "--workers", "1", "--max-workers", "1"], { env: daemon.env });
    expect(started.exitCode).toBe(0);
    await until(async () => (await daemon?.status())?.workers.some((worker) => worker.state === "idle") ?? false, { timeoutMs: 15_000, what: "an idle worker" });
    unlinkSync(copy);
    const status = await daemon.status();
    for (const worker of status.workers) process.kill(worker.pid, "SIGKILL");
    await until(async () => ((await daemon?.status())?.worker_start_failures as number) >= 3, { timeoutMs: 20_000, what: "three failed starts" });
    const after = await daemon.status();
    expect(after.pid).toBe(status.pid);
    // 200, 400, 800 … ms: the third failure schedules a wait of at least 800 ms.
    expect(after.worker_start_backoff_ms as number).toBeGreaterThanOrEqual(800);
    expect(await daemon.sh("echo served; exit 4")).toEqual({ status: 4, stdout: "served\n", stderr: "" });
    // The executable is back: the next try succeeds and the pool serves again.
    copyFileSync((await import("./harness.ts")).RUSHD, copy);
    await until(async () => (await daemon?.status())?.workers.some((worker) => worker.state === "idle") ?? false, { timeoutMs: 40_000, what: "the pool to recover" });
    const pid = Number((await daemon.sh("echo $$")).stdout);
    expect((await daemon.status()).workers.map((worker) => worker.pid)).toContain(pid);
  }, 60_000);
});

describe("a low open-files limit", () => {
  let child: ReturnType<typeof Bun.spawn> | undefined;
  let daemon: TestDaemon | undefined;
  afterAll(async () => {
    child?.kill("SIGKILL");
    await daemon?.stop();
  }, DAEMON_HOOK_TIMEOUT_MS);

  test("many idle connections never exhaust the daemon's fds: it sheds them and serves the next client", async () => {
    daemon = new TestDaemon("pool");
    const { RUSHD } = await import("./harness.ts");
    child = Bun.spawn(["prlimit", "--nofile=96:96", RUSHD, "daemon", "--socket", daemon.socket, "--workers", "1", "--max-workers", "2", "--notify-ready"], { env: daemon.env, stdout: "pipe", stderr: "ignore" });
    const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
    for (let ready = ""; !ready.includes("rushd-ready");) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the daemon exited before it was ready");
      ready += new TextDecoder().decode(value);
    }
    const flood = await openMany(daemon.socket, 300);
    expect(await daemon.sh("echo ok")).toEqual({ status: 0, stdout: "ok\n", stderr: "" });
    const status = await daemon.status();
    expect(status.connection_limit as number).toBeLessThan(96);
    expect(status.connections as number).toBeLessThanOrEqual(status.connection_limit as number);
    for (const connection of flood) connection.close();
  }, 30_000);
});
