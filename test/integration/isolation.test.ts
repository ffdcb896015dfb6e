// The seed's contract (DESIGN §3, issue 3 §5): nothing leaks from one
// session to the next, in pool mode (same worker, reset) and fork mode
// (fresh worker), through the real binary and a real daemon.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { connect } from "../../src/client/library/index.ts";
import { TestDaemon } from "./harness.ts";

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  let daemon: TestDaemon;
  let clientDir: string;

  beforeAll(async () => {
    // One worker in pool mode, so every session below lands on the same process.
    daemon = await new TestDaemon(mode, mode === "pool" ? ["--workers", "1", "--max-workers", "1"] : []).start();
    clientDir = join(daemon.dir, "client-cwd");
    mkdirSync(clientDir);
    clientDir = realpathSync(clientDir);
  }, 30_000);

  afterAll(async () => {
    await daemon.stop();
  }, 30_000);

  test("cd does not carry over; the session runs in the client's cwd", async () => {
    expect(await daemon.sh("cd /tmp && pwd", { cwd: clientDir })).toEqual({ status: 0, stdout: "/tmp\n", stderr: "" });
    expect(await daemon.sh("pwd", { cwd: clientDir })).toEqual({ status: 0, stdout: `${clientDir}\n`, stderr: "" });
  });

  test("exported variables do not carry over; the client's env does reach the session", async () => {
    expect((await daemon.sh("export FOO=bar; echo $FOO")).stdout).toBe("bar\n");
    expect((await daemon.sh('echo "${FOO-unset}"')).stdout).toBe("unset\n");
    expect((await daemon.sh('echo "$MY_CLIENT_VAR"', { env: { MY_CLIENT_VAR: "from-client" } })).stdout).toBe("from-client\n");
    expect((await daemon.sh('echo "${MY_CLIENT_VAR-unset}"')).stdout).toBe("unset\n");
  });

  test("exit status is the command's and does not carry over", async () => {
    expect((await daemon.sh("exit 42")).status).toBe(42);
    expect(await daemon.sh("true")).toEqual({ status: 0, stdout: "", stderr: "" });
    expect((await daemon.sh('echo "$?"')).stdout).toBe("0\n");
  });

  test("functions, variables and aliases do not carry over", async () => {
    expect((await daemon.sh("f() { echo in-f; }; X=1; alias ll=echo; f")).stdout).toBe("in-f\n");
    const f = await daemon.sh("f");
    expect(f.status).toBe(127);
    expect(f.stderr).toContain("not found");
    expect((await daemon.sh('echo "${X-unset}"')).stdout).toBe("unset\n");
    expect((await daemon.sh("ll hi")).status).toBe(127);
  });

  test("umask does not carry over; the client's umask reaches the session", async () => {
    expect((await daemon.sh("umask 077; umask")).stdout).toBe("0077\n");
    expect((await daemon.run(["-c", "umask"], {})).stdout).toBe(`${process.umask().toString(8).padStart(4, "0")}\n`);
  });

  test("traps and opened fds do not carry over", async () => {
    expect((await daemon.sh("trap 'echo bye' EXIT; echo hi")).stdout).toBe("hi\nbye\n");
    expect((await daemon.sh("echo after")).stdout).toBe("after\n");
    const file = join(daemon.dir, "fd3.txt");
    expect((await daemon.sh(`exec 3>${file}; echo into-3 >&3`)).status).toBe(0);
    const fd3 = await daemon.sh("echo again >&3");
    expect(fd3.status).not.toBe(0);
    expect(fd3.stderr).not.toBe("");
    expect(await Bun.file(file).text()).toBe("into-3\n");
  });

  test("a background job left running does not delay or disturb the next session", async () => {
    // No timing assertion: the sleep outlives the test's timeout if the session waited for it.
    expect((await daemon.sh("sleep 60 >/dev/null 2>&1 & echo started")).stdout).toBe("started\n");
    expect(await daemon.sh("echo next")).toEqual({ status: 0, stdout: "next\n", stderr: "" });
    // With streamed output (the library) a job that keeps the session's stdout does not hold the
    // result back either. (Through rushd -c it holds the caller's own stdout, as under sh -c.)
    const client = await connect({ socket: daemon.socket, autostart: false });
    try {
      expect(new TextDecoder().decode((await client.run("sleep 60 & echo $! >/dev/null; echo with-output")).stdout)).toBe("with-output\n");
    } finally {
      client.close();
    }
    expect(await daemon.sh("echo clean")).toEqual({ status: 0, stdout: "clean\n", stderr: "" });
    await daemon.sh("pkill -f 'sleep 60' || true");
  }, 20_000);

  test("the sessions were served as the mode promises", async () => {
    const status = await daemon.status();
    expect(status.mode).toBe(mode);
    expect(status.resets_failed).toBe(0);
    expect(status.requests_total).toBeGreaterThanOrEqual(15);
    if (mode === "pool") {
      // One worker served them all, so its reset really ran between sessions.
      expect(status.workers.length).toBe(1);
      expect(status.workers[0]?.requests).toBe(status.requests_total);
      expect(status.reset_us.count).toBe(status.requests_total);
    } else {
      expect(status.workers.every((worker) => worker.requests <= 1)).toBe(true);
    }
  });
});

test("fork mode gives every session a fresh worker pid", async () => {
  const daemon = await new TestDaemon("fork").start();
  try {
    const pids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const result = await daemon.sh("echo $$");
      expect(result.status).toBe(0);
      pids.add(result.stdout);
    }
    expect(pids.size).toBe(5);
  } finally {
    await daemon.stop();
  }
});

test("pool mode serves every session from the same worker", async () => {
  const daemon = await new TestDaemon("pool", ["--workers", "1", "--max-workers", "1"]).start();
  try {
    const pids: number[] = [];
    for (let i = 0; i < 5; i++) pids.push(Number((await daemon.sh("echo $$")).stdout));
    // One worker served every session the daemon took. (On a loaded machine the next client can
    // arrive before the worker has reported idle: rushd -c then runs in process rather than wait,
    // and status counts it.)
    const status = await daemon.status();
    expect(status.workers_started).toBe(1);
    const workerPid = status.workers[0]?.pid;
    const inProcess = pids.filter((pid) => pid !== workerPid).length;
    expect(inProcess).toBe(status.leases_refused_no_wait as number);
    expect(inProcess).toBeLessThan(5);
  } finally {
    await daemon.stop();
  }
});
