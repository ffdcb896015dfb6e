// spawn(): output as async iterables while the command runs, a writable
// stdin, backpressure from a slow consumer reaching the command, kill().
// Real binary, real daemon, pool and fork mode (issue 9).

import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { useLibraryClient } from "./harness.ts";
import { killTagged, processesTagged, uniqueSleep } from "./processes.ts";

/** Bytes a process has written so far (/proc/<pid>/io). */
function bytesWritten(pid: number): number {
  const match = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
  return Number(match?.[1] ?? -1);
}

describe.each(["pool", "fork"] as const)("%s mode", (mode) => {
  const fixture = useLibraryClient(mode);
  const rushd = () => fixture().rushd;

  test("output arrives while the command runs; stdin is written by the caller", async () => {
    const child = rushd().spawn('while read line; do echo "got $line"; done; echo done >&2');
    const chunks = child.stdout[Symbol.asyncIterator]();
    await child.stdin?.write("one\n");
    expect(new TextDecoder().decode((await chunks.next()).value)).toBe("got one\n");
    await child.stdin?.write("two\n");
    expect(new TextDecoder().decode((await chunks.next()).value)).toBe("got two\n");
    child.stdin?.end();
    expect((await chunks.next()).done).toBe(true);
    expect(await child.stderr.text()).toBe("done\n");
    expect((await child.exited).status).toBe(0);
  });

  test("a consumer that does not read holds the command back; reading it all gets every byte", async () => {
    const size = 32 * 1024 * 1024;
    const tag = uniqueSleep();
    // The tag names the writer so that it can be found in /proc.
    const child = rushd().spawn(`exec sh -c 'head -c ${size} /dev/zero; : ${tag}'`);
    try {
      let pids: number[] = [];
      while ((pids = processesTagged(tag)).length === 0) await Bun.sleep(20);
      const shell = pids[0] as number;
      await Bun.sleep(500);
      // Once the pipes and buffers between it and us are full, the writer (head, a child of that sh) stops.
      const writers = () => readFileSync(`/proc/${shell}/task/${shell}/children`, "utf8").trim().split(" ").filter(Boolean).map(Number);
      const [head] = writers();
      expect(head).toBeDefined();
      const before = bytesWritten(head as number);
      await Bun.sleep(300);
      expect(bytesWritten(head as number)).toBe(before);
      expect(before).toBeLessThan(size);
      let total = 0;
      for await (const chunk of child.stdout) total += chunk.length;
      expect(total).toBe(size);
      expect((await child.exited).status).toBe(0);
    } finally {
      killTagged(tag);
    }
  });

  test("exited carries status and signal; a kill before the command started still reaches it", async () => {
    const tag = uniqueSleep();
    const child = rushd().spawn(`sleep ${tag}`);
    child.kill("SIGKILL");
    const result = await child.exited;
    expect(result.status).toBe(137);
    expect(processesTagged(tag)).toEqual([]);
  });
});
