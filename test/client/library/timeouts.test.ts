// Timeouts and aborts end the whole process tree a command started (setsid
// and nohup children included), checked in /proc; a pooled worker is then
// reset and kept. Real binary, real daemon, pool and fork mode (issue 9).

import { afterEach, describe, expect, test } from "bun:test";
import { connect, RushdTimeoutError } from "../../../src/client/library/index.ts";
import { TestDaemon } from "../../integration/harness.ts";
import { useLibraryClient } from "./harness.ts";
import { awaitNoneTagged, killTagged, processesTagged, uniqueSleep } from "./processes.ts";

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  // One worker in pool mode: "kept" means the same process serves the next run.
  const fixture = useLibraryClient(mode, mode === "pool" ? ["--workers", "1", "--max-workers", "1"] : [], { maxConcurrency: 1 });
  const rushd = () => fixture().rushd;
  const daemon = () => fixture().daemon;
  const tags: string[] = [];
  const tag = (): string => {
    const made = uniqueSleep();
    tags.push(made);
    return made;
  };

  afterEach(() => {
    for (const made of tags.splice(0)) killTagged(made);
  });

  test("a timeout kills background, setsid and nohup children and an inner sh's children", async () => {
    const t = tag();
    const script = `sleep ${t} & setsid sleep ${t} & nohup sleep ${t} >/dev/null 2>&1 & sh -c 'sleep ${t} & setsid sleep ${t} & sleep ${t}'`;
    const running = rushd().run(script, { timeoutMs: 500 });
    const result = await running;
    expect(result).toMatchObject({ timedOut: true, status: 137, signal: "SIGKILL" });
    expect(await awaitNoneTagged(t)).toEqual([]);
  });

  test("after a timeout the worker is reset and kept, and the next run is clean", async () => {
    const before = mode === "pool" ? (await daemon().status()).workers.map((worker) => worker.pid) : [];
    const t = tag();
    await rushd().run(`export DIRTY=1; cd /; sleep ${t}`, { timeoutMs: 300 });
    const next = await rushd().run('echo "${DIRTY-clean}"', { encoding: "utf8", cwd: "/tmp" });
    expect(next.stdout).toBe("clean\n");
    if (mode === "pool") expect((await daemon().status()).workers.map((worker) => worker.pid)).toEqual(before);
  });

  test("throwOnTimeout: a RushdTimeoutError carrying the result", async () => {
    const t = tag();
    const error = await rushd().run(`echo partial; sleep ${t}`, { timeoutMs: 300, throwOnTimeout: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RushdTimeoutError);
    expect(new TextDecoder().decode((error as RushdTimeoutError & { result: { stdout: Uint8Array } }).result.stdout)).toBe("partial\n");
    expect(await awaitNoneTagged(t)).toEqual([]);
  });

  test("an abort kills the command's tree and rejects with an AbortError", async () => {
    const t = tag();
    const controller = new AbortController();
    const running = rushd().run(`sleep ${t} & setsid sleep ${t} & sleep ${t}`, { signal: controller.signal });
    while (processesTagged(t).length < 3) await Bun.sleep(20);
    controller.abort();
    const error = await running.catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(await awaitNoneTagged(t)).toEqual([]);
  });

  test("an abort before the run starts runs nothing", async () => {
    const error = await rushd().run("touch /tmp/rushd-should-not-exist", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(await Bun.file("/tmp/rushd-should-not-exist").exists()).toBe(false);
  });

  test("spawn().kill reaches every process of the tree", async () => {
    const t = tag();
    const child = rushd().spawn(`trap 'echo got TERM; exit 9' TERM; setsid sleep ${t} & sleep ${t}; echo after`);
    while (processesTagged(t).length < 2) await Bun.sleep(20);
    child.kill("SIGTERM");
    const result = await child.exited;
    expect(await child.stdout.text()).toBe("got TERM\n");
    expect(result.status).toBe(9);
    expect(await awaitNoneTagged(t)).toEqual([]);
  });

  test("a session's timeout ends the run's tree; the session and its earlier jobs go on", async () => {
    const t = tag();
    const keep = tag();
    const session = await rushd().session({ cwd: "/" });
    try {
      await session.run(`X=kept; sleep ${keep} &`);
      const timedOut = await session.run(`sleep ${t}; echo not reached`, { timeoutMs: 300, encoding: "utf8" });
      expect(timedOut).toMatchObject({ timedOut: true, stdout: "", sessionEnded: false });
      expect(await awaitNoneTagged(t)).toEqual([]);
      expect(processesTagged(keep).length).toBe(1);
      expect((await session.run('echo "$X"', { encoding: "utf8" })).stdout).toBe("kept\n");
    } finally {
      await session.close();
    }
  });
});

test("close() while commands run ends them with their trees and rejects them with RushdClosedError", async () => {
  const daemon = await new TestDaemon("pool").start();
  const t = uniqueSleep();
  try {
    const client = await connect({ socket: daemon.socket, autostart: false });
    const running = client.run(`sh -c 'sleep ${t} & sleep ${t}'`);
    while (processesTagged(t).length < 2) await Bun.sleep(20);
    await client.close();
    const error = await running.catch((e: unknown) => e);
    expect((error as Error).name).toBe("RushdClosedError");
    expect(await awaitNoneTagged(t)).toEqual([]);
  } finally {
    killTagged(t);
    await daemon.stop();
  }
}, 30_000);
