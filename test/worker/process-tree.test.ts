// killTree (worker/process-tree.ts) ends a tree that forks while it is
// killed: a setsid'd child forked after a round's scan, whose parent that
// round killed, comes to the subreaper with nothing linking it to the tree,
// and is taken by the next round as an orphan adopted during the kill. The
// storm runs in a process of its own (fixtures/kill-storm.ts), which becomes
// a subreaper; anything it leaves is killed here by pid.

import { expect, test } from "bun:test";
import { join } from "node:path";

const STORM = join(import.meta.dir, "fixtures", "kill-storm.ts");

test("a shell forking setsid'd children as fast as it can leaves none alive after killTree", async () => {
  const tag = String(process.pid);
  const child = Bun.spawn([process.execPath, STORM, tag], { stdout: "pipe", stderr: "inherit", timeout: 60_000, killSignal: "SIGKILL" });
  const [out, status] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  const alive = JSON.parse(out.trim() || "null") as number[] | null;
  for (const pid of alive ?? []) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  expect(status).toBe(0);
  expect(alive).toEqual([]);
});
