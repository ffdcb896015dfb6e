// Resource limits (`ulimit`). They are process-wide, and a worker process
// serves many sessions one after another, so a session's limits are its own:
// kept in the shell state (a subshell copies them), reported by `ulimit`, and
// set in each external command as it starts (sh-start.ts starts it through
// /bin/sh, which applies them, then execs it). A session starts with its
// caller's limits when the embedding gives them (ShellOptions.limits), else
// with this process's. The shell process itself is never limited: a builtin
// can still write past `ulimit -f`.
//
// Imports libc.ts and io.ts types only.

import * as fs from "node:fs";

import type { LimitValue, ResourceLimit, ResourceLimits } from "../io.ts";

/** A limit in the kernel's unit (bytes, seconds, count). */
export type Rlim = LimitValue;
export type { ResourceLimit };

export interface Resource {
  readonly letter: string;
  /** dash's name in `ulimit -a`. */
  readonly name: string;
  /** The line of /proc/self/limits. */
  readonly proc: string;
  /** Kernel units per unit `ulimit` shows (blocks of 512 bytes, kbytes). */
  readonly factor: bigint;
}

/** dash's table (Linux), in its order. */
export const RESOURCES: readonly Resource[] = [
  { letter: "t", name: "time(seconds)", proc: "Max cpu time", factor: 1n },
  { letter: "f", name: "file(blocks)", proc: "Max file size", factor: 512n },
  { letter: "d", name: "data(kbytes)", proc: "Max data size", factor: 1024n },
  { letter: "s", name: "stack(kbytes)", proc: "Max stack size", factor: 1024n },
  { letter: "c", name: "coredump(blocks)", proc: "Max core file size", factor: 512n },
  { letter: "m", name: "memory(kbytes)", proc: "Max resident set", factor: 1024n },
  { letter: "l", name: "locked memory(kbytes)", proc: "Max locked memory", factor: 1024n },
  { letter: "p", name: "process", proc: "Max processes", factor: 1n },
  { letter: "n", name: "nofiles", proc: "Max open files", factor: 1n },
  { letter: "v", name: "vmemory(kbytes)", proc: "Max address space", factor: 1024n },
  { letter: "w", name: "locks", proc: "Max file locks", factor: 1n },
  { letter: "r", name: "rtprio", proc: "Max realtime priority", factor: 1n },
];

function parseRlim(text: string | undefined): Rlim {
  return text === undefined || text === "unlimited" || !/^\d+$/.test(text) ? "unlimited" : BigInt(text);
}

/** A process's limits (this one's by default), from /proc/<pid>/limits (columns: name, soft, hard, units). */
export function processLimits(pid: number | "self" = "self"): ReadonlyMap<string, ResourceLimit> {
  const limits = new Map<string, ResourceLimit>();
  const lines = fs.readFileSync(`/proc/${pid}/limits`, "utf8").split("\n");
  for (const resource of RESOURCES) {
    const line = lines.find((l) => l.startsWith(resource.proc));
    const [soft, hard] = line?.slice(26).trim().split(/\s+/) ?? [];
    limits.set(resource.letter, { soft: parseRlim(soft), hard: parseRlim(hard) });
  }
  return limits;
}

let ownLimitsRead: ReadonlyMap<string, ResourceLimit> | undefined;

/**
 * This process's limits, read once: rushd never changes its own (a
 * session's `ulimit` is the session's, given to its children), and a worker
 * would otherwise read /proc/self/limits for each session's first command.
 */
export function ownLimits(): ReadonlyMap<string, ResourceLimit> {
  ownLimitsRead ??= processLimits();
  return ownLimitsRead;
}

/** The session's first limits from its caller's (ShellOptions.limits): the letters `ulimit` knows. */
export function sessionLimits(caller: ResourceLimits): ReadonlyMap<string, ResourceLimit> {
  const limits = new Map<string, ResourceLimit>();
  for (const resource of RESOURCES) {
    const limit = caller[resource.letter];
    if (limit !== undefined) limits.set(resource.letter, limit);
  }
  return limits;
}

/** a > b, with unlimited above every number. */
export function isAbove(a: Rlim, b: Rlim): boolean {
  if (a === "unlimited") return b !== "unlimited";
  return b !== "unlimited" && a > b;
}

function shown(value: Rlim, factor: bigint): string {
  return value === "unlimited" ? "unlimited" : String(value / factor);
}

/** How `ulimit` prints a limit (dash's printlim): in its unit, or `unlimited`. */
export function formatLimit(value: Rlim, resource: Resource): string {
  return shown(value, resource.factor);
}

/** The lower of two limits. */
function lower(a: Rlim, b: Rlim): Rlim {
  return isAbove(a, b) ? b : a;
}

/**
 * `ulimit` commands that give a child started from this process the session's
 * limits (only those that differ from the process's). The soft limit goes
 * first unless the hard one is raised (root), so each step is a valid
 * setrlimit. A hard limit above this process's (a caller's, when the worker
 * has less) cannot be given unprivileged: the child keeps this process's, and
 * its soft limit is kept under it, so no step fails.
 */
export function limitCommands(session: ReadonlyMap<string, ResourceLimit>, isPrivileged = process.getuid?.() === 0): string {
  const current = ownLimits();
  let commands = "";
  for (const resource of RESOURCES) {
    const asked = session.get(resource.letter);
    const now = current.get(resource.letter);
    if (asked === undefined || now === undefined) continue;
    const hardLimit = isPrivileged ? asked.hard : lower(asked.hard, now.hard);
    const wanted = { soft: lower(asked.soft, hardLimit), hard: hardLimit };
    const soft = wanted.soft !== now.soft ? `ulimit -S -${resource.letter} ${shown(wanted.soft, resource.factor)}; ` : "";
    const hard = wanted.hard !== now.hard ? `ulimit -H -${resource.letter} ${shown(wanted.hard, resource.factor)}; ` : "";
    commands += isAbove(wanted.hard, now.hard) ? hard + soft : soft + hard;
  }
  return commands;
}
