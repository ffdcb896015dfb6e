// Finding a test's processes in /proc by a tag in their command line, to
// prove that a timeout, an abort or a kill left none of them behind.

import { readdirSync, readFileSync } from "node:fs";

/** Pids of live (not zombie) processes whose command line contains `tag`. */
export function processesTagged(tag: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      if (!cmdline.includes(tag)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z") found.push(pid);
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** Kill what a failed test left (by pid), so one failure does not leak into the next tests. */
export function killTagged(tag: string): void {
  for (const pid of processesTagged(tag)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** A tag no other test or run uses: a sleep of this many seconds is ours alone. */
export function uniqueSleep(): string {
  return `${1000 + Math.floor(Math.random() * 8000)}.${process.pid % 1000}${Math.floor(Math.random() * 1000)}`;
}

/** Poll until no tagged process is left, or `timeoutMs` passed; returns what is left. */
export async function awaitNoneTagged(tag: string, timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = processesTagged(tag);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
