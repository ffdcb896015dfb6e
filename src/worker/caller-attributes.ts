// The process attributes a command of `sh -c` inherits from its caller —
// resource limits, nice value, ignored signals — read here from
// /proc/<pid> of the `rushd -c` client on the other end of the lease (its
// pid from SO_PEERCRED), not sent by it: reading them in the client through
// bun:ffi cost it ~0.4 ms per run (measured), and the client is the caller's
// own process, which inherited all of them.
//
// What the client's runtime changed before anyone could look is lost: it
// raises the open-files soft limit to the hard one at start (as Node does),
// ignores SIGPIPE and SIGXFSZ, and catches the crash signals. So the
// open-files soft limit is taken to be the hard one, and those signals are
// never reported as ignored by the caller (docs/ARCHITECTURE.md).

import { readFileSync } from "node:fs";
import { callerIgnoredSignals } from "../common/caller-attributes.ts";
import { readProcStat } from "../common/proc-stat.ts";
import { processLimits } from "../shell/exec/limits.ts";
import type { ResourceLimit, ResourceLimits } from "../shell/io.ts";

export interface CallerAttributes {
  readonly limits: ResourceLimits;
  readonly nice: number;
  /** Signal numbers the caller ignored (SIG_IGN), as a command of `sh -c` would inherit them. */
  readonly ignoredSignals: number[];
  /** The device number of the caller's controlling terminal (as st_rdev gives it), 0 for none. */
  readonly controllingTerminal: number;
}

/** The attributes of process `pid`, or undefined if it is gone or not readable. */
export function readCallerAttributes(pid: number): CallerAttributes | undefined {
  let limits: ReadonlyMap<string, ResourceLimit>;
  let status: string;
  try {
    limits = processLimits(pid);
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw error;
  }
  const stat = readProcStat(pid);
  if (stat === undefined) return undefined;
  const open = limits.get("n");
  const mask = BigInt(`0x${/^SigIgn:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? "0"}`);
  return {
    limits: { ...Object.fromEntries(limits), ...(open === undefined ? {} : { n: { soft: open.hard, hard: open.hard } }) },
    nice: Number.isInteger(stat.nice) ? stat.nice : 0,
    ignoredSignals: callerIgnoredSignals((signal) => ((mask >> BigInt(signal - 1)) & 1n) === 1n),
    controllingTerminal: Number.isInteger(stat.ttyNr) ? stat.ttyNr : 0,
  };
}
