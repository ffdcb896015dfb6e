// What a process's resident memory is made of, from /proc (Linux). VmRSS
// alone misleads for rushd: most of a worker's RSS is pages of the
// executable (Bun's native code, mapped from the file and shared by every
// rushd process and the page cache), not memory the worker allocated.
// Imports nothing from rushd.

import { readFileSync, readlinkSync } from "node:fs";

/** Megabytes (MiB, as /proc's kB are KiB), each from one /proc line. */
export interface ProcessMemory {
  /** VmRSS: every resident page mapped, shared or not (what the targets are judged on). */
  readonly rssMb: number;
  /** RssAnon: anonymous pages (heaps, JIT code, stacks): memory this process allocated. */
  readonly anonMb: number;
  /** RssFile: resident pages of mapped files, almost all of them the executable's (shared). */
  readonly fileMb: number;
  /** Pss: each resident page divided by the number of processes that map it. */
  readonly pssMb: number;
  /** Private_Clean + Private_Dirty: pages no other process maps. */
  readonly privateMb: number;
}

/** Resident MB of each kind of mapping of the process's executable and its anonymous memory. */
export interface MappingMemory {
  /** r-xp of the executable: native code (Bun, JavaScriptCore, its JIT compilers). */
  readonly textMb: number;
  /** r--p of the executable: read-only data. */
  readonly rodataMb: number;
  /** rw-p of the executable: data, and the embedded bundle's bytecode. */
  readonly dataMb: number;
  /** rw-p anonymous mappings: the allocators' heaps (JS heap included). */
  readonly heapMb: number;
  /** rwxp anonymous mappings: code the JIT wrote. */
  readonly jitMb: number;
}

/** The figures of a live process, or undefined if it is gone. */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  const status = readProc(pid, "status");
  const rollup = readProc(pid, "smaps_rollup");
  return status === undefined || rollup === undefined ? undefined : parseProcessMemory(status, rollup);
}

export function parseProcessMemory(status: string, rollup: string): ProcessMemory {
  return {
    rssMb: kbField(status, "VmRSS") / 1024,
    anonMb: kbField(status, "RssAnon") / 1024,
    fileMb: kbField(status, "RssFile") / 1024,
    pssMb: kbField(rollup, "Pss") / 1024,
    privateMb: (kbField(rollup, "Private_Clean") + kbField(rollup, "Private_Dirty")) / 1024,
  };
}

/** Per-mapping resident memory of a live process (/proc/PID/smaps), or undefined if it is gone. */
export function readMappingMemory(pid: number): MappingMemory | undefined {
  const smaps = readProc(pid, "smaps");
  const exe = readExe(pid);
  return smaps === undefined || exe === undefined ? undefined : parseMappingMemory(smaps, exe);
}

export function parseMappingMemory(smaps: string, executable: string): MappingMemory {
  const kb = { text: 0, rodata: 0, data: 0, heap: 0, jit: 0 };
  let kind: keyof typeof kb | undefined;
  for (const line of smaps.split("\n")) {
    const header = /^[0-9a-f]+-[0-9a-f]+ (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header !== null) {
      kind = mappingKind(header[1] ?? "", header[2] ?? "", executable);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB$/.exec(line);
    if (rss !== null && kind !== undefined) kb[kind] += Number(rss[1]);
  }
  return { textMb: kb.text / 1024, rodataMb: kb.rodata / 1024, dataMb: kb.data / 1024, heapMb: kb.heap / 1024, jitMb: kb.jit / 1024 };
}

function mappingKind(perms: string, path: string, executable: string): "text" | "rodata" | "data" | "heap" | "jit" | undefined {
  if (path === executable) {
    if (perms === "r-xp") return "text";
    if (perms === "r--p") return "rodata";
    if (perms === "rw-p") return "data";
    return undefined;
  }
  // Anonymous: no path, or the kernel's [heap] (brk); [stack] and the like are left out.
  if (path !== "" && path !== "[heap]") return undefined;
  if (perms === "rw-p") return "heap";
  if (perms === "rwxp") return "jit";
  return undefined;
}

function kbField(text: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, "m").exec(text);
  if (match === null) throw new Error(`/proc: no '${name}' line`);
  return Number(match[1]);
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

function readExe(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

function isGone(error: unknown): boolean {
  return error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ESRCH");
}
