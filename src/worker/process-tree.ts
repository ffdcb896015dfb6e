// The processes a session started, found and ended as one tree (DESIGN §8:
// a timeout or a vanished client ends the command's whole process tree,
// setsid children included).
//
// The worker is a child subreaper (prctl PR_SET_CHILD_SUBREAPER): when a
// process a session started exits, its children are reparented to the
// worker, not to init, so they stay below the worker. A session's tree is
// then the processes it spawned (the shell reports each through
// ShellHost.processStarted) and, to a fixed point, every process whose
// parent, process group or session id is one of them: `setsid cmd` keeps
// its pid, and its children carry its session id after it is gone.
//
// Orphans the worker adopts must be reaped by it (Bun waits only for the
// children it spawned), with waitpid on their pid, never waitpid(-1), which
// could take the status of a child Bun is about to collect.

import { readdirSync, readFileSync } from "node:fs";
import { readProcStat, type ProcStat } from "../common/proc-stat.ts";
import { ptr } from "bun:ffi";
import { moreLibc } from "../common/libc.ts";

const PR_SET_CHILD_SUBREAPER = 36;
const WNOHANG = 1;

/** Make orphaned descendants come to this process instead of init. False if the kernel refused. */
export function becomeSubreaper(): boolean {
  return moreLibc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) === 0;
}

/** Every process of the machine we can see, from /proc/<pid>/stat. */
function listProcesses(): ProcStat[] {
  const processes: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const info = readProcStat(pid);
    if (info !== undefined) processes.push(info);
  }
  return processes;
}

/** The tree grown from `roots` (pids the session spawned, alive or not), without this process. */
export function treeOf(roots: Iterable<number>, processes: readonly ProcStat[] = listProcesses()): number[] {
  const ids = new Set(roots);
  ids.delete(process.pid);
  if (ids.size === 0) return [];
  const members = new Set<number>();
  for (let grew = true; grew;) {
    grew = false;
    for (const info of processes) {
      if (members.has(info.pid) || info.pid === process.pid) continue;
      if (ids.has(info.pid) || ids.has(info.ppid) || ids.has(info.pgid) || ids.has(info.sid)) {
        members.add(info.pid);
        ids.add(info.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

/** Send `signal` to every process of the tree; returns how many were signalled. */
export function signalTree(roots: Iterable<number>, signal: NodeJS.Signals): number {
  let signalled = 0;
  for (const pid of treeOf(roots)) {
    try {
      process.kill(pid, signal);
      signalled += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  }
  return signalled;
}

/**
 * SIGKILL the tree until nothing of it is left (a process may fork while we
 * kill). `spawned`: the children Bun started for this worker, which are a
 * tree's only if they are among `roots`.
 *
 * A child forked after a round's scan, whose parent that round then killed,
 * comes to this process (the subreaper); if it had called setsid, nothing
 * links it to the tree any more (its parent is us, its group and session
 * its own). So an orphan adopted since the kill began (our child, not one
 * Bun spawned, not there at the start) is the tree's; one adopted before is
 * left alone (an earlier command's, in a persistent session). Orphans are
 * found in each round's scan of /proc, not in /proc/self/task/N/children,
 * which may miss children while they come and go in numbers (measured: a
 * shell forking setsid'd children in a loop left hundreds alive that way).
 */
export function killTree(roots: Iterable<number>, spawned: ReadonlySet<number> = new Set()): void {
  const all = new Set(roots);
  const isOrphan = (info: ProcStat): boolean => info.ppid === process.pid && !spawned.has(info.pid);
  const adoptedBefore = new Set(listProcesses().filter(isOrphan).map((info) => info.pid));
  for (let round = 0; round < 20; round++) {
    const processes = listProcesses();
    for (const info of processes) if (isOrphan(info) && !adoptedBefore.has(info.pid)) all.add(info.pid);
    // The round's scan says which are zombies already: no second read of each one's /proc entry.
    const zombies = new Set(processes.filter((info) => info.state === "Z").map((info) => info.pid));
    const members = treeOf(all, processes).filter((pid) => !zombies.has(pid));
    if (members.length === 0) return;
    for (const pid of members) {
      all.add(pid);
      try {
        process.kill(pid, "SIGKILL");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
      }
    }
  }
}

/** Children of this process that it did not spawn itself (adopted orphans), alive or zombie. */
export function adoptedChildren(spawned: ReadonlySet<number>): ProcStat[] {
  return listChildren().filter((info) => !spawned.has(info.pid));
}

/** Reap adopted orphans that have exited; returns how many. `spawned`: pids Bun waits for itself. */
export function reapAdopted(spawned: ReadonlySet<number>): number {
  let reaped = 0;
  const status = new Int32Array(1);
  for (const info of adoptedChildren(spawned)) {
    if (info.state !== "Z") continue;
    if (moreLibc().waitpid(info.pid, ptr(status), WNOHANG) === info.pid) reaped += 1;
  }
  return reaped;
}

/** This process's children, from /proc/self/task/<tid>/children (one line of pids per thread). */
function listChildren(): ProcStat[] {
  const children: ProcStat[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) return children;
    throw error;
  }
  for (const task of tasks) {
    let line: string;
    try {
      line = readFileSync(`/proc/self/task/${task}/children`, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== undefined) continue;
      throw error;
    }
    for (const word of line.trim().split(" ")) {
      const info = word === "" ? undefined : readProcStat(Number(word));
      if (info !== undefined) children.push(info);
    }
  }
  return children;
}

/** Forget pids that no longer exist (the set of spawned pids would otherwise only grow). */
export function pruneExited(pids: Set<number>): void {
  for (const pid of pids) if (readProcStat(pid) === undefined) pids.delete(pid);
}
