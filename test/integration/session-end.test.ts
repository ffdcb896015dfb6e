// DESIGN §8, issue 7: work a session started is neither lost nor left
// running where it must stop. Background jobs complete as under `sh -c`; a
// timeout or a vanished client ends the session's whole process tree; a
// finished session is never reported as lost; small protocol edges.

import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DaemonClient } from "../../src/client/daemon-client.ts";
import { connect } from "../../src/client/library/index.ts";
import { WorkerLink, WorkerLostError } from "../../src/client/worker-link.ts";
import { cliTransport } from "../../src/client/transport/cli-transport.ts";
import { until } from "../../src/common/until.ts";
import { isAlive, RUSHD, useDaemon } from "./harness.ts";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function workDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "rushd-end-")));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Pids of processes whose command line contains `marker` (a unique sleep length). */
function processesWith(marker: string): number[] {
  const result = Bun.spawnSync(["pgrep", "-f", marker]);
  return new TextDecoder().decode(result.stdout).split("\n").filter((line) => line !== "").map(Number);
}

function killAll(marker: string): void {
  for (const pid of processesWith(marker)) if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

const uniqueSeconds = () => `${1000 + Math.floor(Math.random() * 8000)}.${Math.floor(Math.random() * 90 + 10)}`;

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const current = useDaemon(mode, ["--workers", "1"]);

  test("background compound commands run to completion after the session, as under sh -c", async () => {
    const dir = workDir();
    const scripts = ["(sleep 0.3; echo sub > a) &", "{ sleep 0.3; echo group > b; } &", "sleep 0.3 && echo and > c &"];
    for (const script of scripts) expect(await current().sh(script, { cwd: dir })).toEqual({ status: 0, stdout: "", stderr: "" });
    await until(() => ["a", "b", "c"].every((name) => existsSync(join(dir, name)) && readFileSync(join(dir, name), "utf8") !== ""), { timeoutMs: 15_000, what: "the background jobs' files" });
    expect(["a", "b", "c"].map((name) => readFileSync(join(dir, name), "utf8"))).toEqual(["sub\n", "group\n", "and\n"]);
    // The next session is served as usual (by a fresh worker: the old one ran the jobs).
    expect(await current().sh("echo next")).toEqual({ status: 0, stdout: "next\n", stderr: "" });
  }, 30_000);

  test("through rushd -c a background job writes to the caller's own stdout, as under sh -c (which the caller reads to its end)", async () => {
    expect(await current().sh("(sleep 0.3; echo late) & echo now")).toEqual({ status: 0, stdout: "now\nlate\n", stderr: "" });
  }, 30_000);

  test("with streamed output (the library) a job's output after its session never reaches a later session", async () => {
    const client = await connect({ socket: current().socket, autostart: false });
    try {
      expect(new TextDecoder().decode((await client.run("(sleep 0.3; echo late) &")).stdout)).toBe("");
      const later = await client.run("sleep 0.6; echo mine");
      expect([later.status, new TextDecoder().decode(later.stdout)]).toEqual([0, "mine\n"]);
    } finally {
      client.close();
    }
  }, 30_000);

  test("with streamed output a background writer left by a session (yes &) is ended by a broken pipe once the session is over", async () => {
    const marker = uniqueSeconds();
    cleanups.push(() => killAll(`yes ${marker}`));
    const client = await connect({ socket: current().socket, autostart: false });
    try {
      expect(new TextDecoder().decode((await client.run(`yes ${marker} & echo started`)).stdout)).toBe("started\n");
      await until(() => processesWith(`yes ${marker}`).length === 0, { timeoutMs: 15_000, what: "yes to end" });
    } finally {
      client.close();
    }
  }, 30_000);

  test("a finished session is not failed by the lease closing while its output is still being written", async () => {
    const client = await connect({ socket: current().socket, autostart: false });
    try {
      const chunks: Uint8Array[] = [];
      let workerPid = 0;
      const result = await client.run("echo $$; seq 1 3000", {
        onStdout: async (data) => {
          chunks.push(data);
          if (workerPid !== 0) return;
          workerPid = Number(new TextDecoder().decode(data).split("\n")[0]);
          // Hold the first write until the worker has closed the lease (fork mode: until it has exited).
          if (mode === "fork") await until(() => !isAlive(workerPid), { timeoutMs: 10_000, what: "the worker to exit" });
        },
      });
      expect(result.status).toBe(0);
      const lines = new TextDecoder().decode(Buffer.concat(chunks)).split("\n");
      expect(lines.slice(1, -1)).toEqual(Array.from({ length: 3000 }, (_, i) => String(i + 1)));
    } finally {
      client.close();
    }
  }, 30_000);
});

describe("a cwd removed under the session", () => {
  const current = useDaemon("pool", ["--workers", "1"]);
  // As dash 0.5.12 (recorded): the command still starts in the removed directory; a new file cannot be made there.
  const script = 'd=$(mktemp -d); cd "$d"; rmdir "$d"; ls; echo "ls=$?"; { echo x >f; } 2>/dev/null; echo "redir=$?"; cd /; echo "cd=$?"';
  const dash = { status: 0, stdout: "ls=0\nredir=2\ncd=0\n", stderr: "" };

  test("through the daemon and in process, as in dash", async () => {
    expect(await current().sh(script)).toEqual(dash);
    const inProcess = await current().run(["--no-daemon", "-c", script]);
    expect(inProcess).toEqual(dash);
  });
});

describe("--request-timeout", () => {
  const current = useDaemon("pool", ["--workers", "1", "--request-timeout", "1"]);

  test("ends the request's whole tree, setsid children and background jobs included", async () => {
    const tag = uniqueSeconds();
    cleanups.push(() => killAll(`sleep ${tag}`));
    const result = await current().sh(`setsid sleep ${tag}5 & sleep ${tag}6 & (sleep ${tag}7) & sleep 100`);
    expect(result.status).toBe(124);
    expect(result.stderr).toContain("request timeout");
    await until(() => processesWith(`sleep ${tag}`).length === 0, { timeoutMs: 10_000, what: "the request's processes to be killed" });
    expect(await current().sh("echo next")).toEqual({ status: 0, stdout: "next\n", stderr: "" });
  }, 30_000);
});

describe("a client that vanishes", () => {
  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1"]);

  test("a command that ignores SIGHUP is killed after the grace period and the worker is freed", async () => {
    const tag = uniqueSeconds();
    cleanups.push(() => killAll(`sleep ${tag}`));
    const client = Bun.spawn([RUSHD, "-c", `trap '' HUP; echo up; sleep ${tag}`], { env: current().env, stdout: "pipe" });
    await client.stdout.getReader().read(); // "up": the command runs
    await until(() => processesWith(`sleep ${tag}`).length > 0, { timeoutMs: 10_000, what: "the command to start" });
    client.kill("SIGKILL");
    await until(() => processesWith(`sleep ${tag}`).length === 0, { timeoutMs: 15_000, what: "the session's command to be killed" });
    // The only worker serves again.
    expect(await current().sh("echo free")).toEqual({ status: 0, stdout: "free\n", stderr: "" });
  }, 30_000);
});

describe("protocol edges", () => {
  const current = useDaemon("pool", ["--workers", "1", "--max-workers", "1"]);

  async function lease(): Promise<WorkerLink> {
    const daemon = await DaemonClient.connect(current().socket, cliTransport);
    try {
      return await WorkerLink.open(await daemon.lease(), { transport: cliTransport });
    } finally {
      daemon.close();
    }
  }

  test("an out-of-range umask is a BAD_FIELD, and the worker is not retired for it", async () => {
    const before = (await current().status()).workers.map((worker) => worker.pid);
    const link = await lease();
    const outcome = await link.run({ cwd: "/", env: {}, argv0: "sh", args: [], umask: 0o7777 }, "true", { stdout: () => undefined, stderr: () => undefined, stdin: async () => null }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(WorkerLostError);
    expect((outcome as WorkerLostError).code).toBe("BAD_FIELD");
    link.close();
    expect(await current().sh("echo ok")).toEqual({ status: 0, stdout: "ok\n", stderr: "" });
    const status = await current().status();
    expect(status.resets_failed).toBe(0);
    expect(status.workers.map((worker) => worker.pid)).toEqual(before);
  });

  test("a signal sent before the command started is delivered when it starts", async () => {
    const link = await lease();
    const running = link.run({ cwd: "/", env: { PATH: "/usr/bin:/bin" }, argv0: "sh", args: [], umask: 0o022 }, "trap 'echo got TERM; exit 5' TERM; sleep 5; echo missed", {
      stdout: () => undefined,
      stderr: () => undefined,
      stdin: async () => null,
    });
    link.signal("SIGTERM"); // overtakes SessionInit and Execute, which wait their turn in the worker
    const result = await running;
    expect(result.status).toBe(5);
    link.close();
  }, 20_000);
});
