// One process's line of /proc/<pid>/stat, parsed (proc(5)). The command
// name (field 2) may hold spaces and parentheses: the fields that follow
// start after its last ')'.

import { readFileSync } from "node:fs";

export interface ProcStat {
  readonly pid: number;
  /** R, S, D, Z, T (stopped), t (traced), … */
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  /** The controlling terminal's device number (field 7, tty_nr: the kernel's encoding, as st_rdev has it); 0 for none. */
  readonly ttyNr: number;
  readonly nice: number;
}

/** Undefined when the process is gone (or /proc is not readable). */
export function readProcStat(pid: number): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) return undefined; // it exited meanwhile
    throw error;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); nice is field 19.
  return { pid, state: fields[0] ?? "?", ppid: Number(fields[1]), pgid: Number(fields[2]), sid: Number(fields[3]), ttyNr: Number(fields[4] ?? 0), nice: Number(fields[16] ?? 0) };
}
