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
import { callerIgnoredSignals, type CallerAttributes } from "../common/caller-attributes.ts";
import { RESOURCES } from "../shell/exec/limits.ts";


/** The attributes of process `pid`, or undefined if it is gone or not readable. */
export function readCallerAttributes(pid: number): CallerAttributes | undefined {
  let limitsText: string;
  let stat: string;
  let status: string;
  try {
    limitsText = readFileSync(`/proc/${pid}/limits`, "utf8");
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw error;
  }
  const limits: Record<string, string> = {};
  const lines = limitsText.split("\n");
  for (const resource of RESOURCES) {
    const [soft, hard] = lines.find((line) => line.startsWith(resource.proc))?.slice(26).trim().split(/\s+/) ?? [];
    if (soft === undefined || hard === undefined) continue;
    limits[resource.letter] = `${resource.letter === "n" ? hard : soft}:${hard}`;
  }
  // Fields after the command name (which may hold spaces): state is field 3, nice field 19.
  const nice = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16] ?? 0);
  const mask = BigInt(`0x${/^SigIgn:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? "0"}`);
  const ignoredSignals = callerIgnoredSignals((signal) => ((mask >> BigInt(signal - 1)) & 1n) === 1n);
  return { limits, nice: Number.isInteger(nice) ? nice : 0, ignoredSignals };
}
