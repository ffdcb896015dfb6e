// The process attributes of `rushd -c`'s caller that a command run by
// `sh -c` would inherit: resource limits, nice value, ignored signals (and
// the pid, the session's $PPID). Read through bun:ffi (getrlimit,
// getpriority, sigaction), not /proc with node:fs, which costs the client
// ~2 ms to load.
//
// What the runtime has already changed by the time this runs cannot be
// seen: it raises the open-files soft limit to the hard limit at start (as
// Node does), it ignores SIGPIPE and SIGXFSZ itself, and it catches the
// crash signals (SIGSEGV, SIGBUS, SIGILL, …). So the open-files limit is
// passed as its hard limit, and those signals are never reported as the
// caller's ignored ones (docs/ARCHITECTURE.md).

import { ptr } from "bun:ffi";
import { callerIgnoredSignals, type CallerAttributes } from "../common/caller-attributes.ts";
import { moreLibc } from "../common/libc.ts";

/** RLIMIT_* numbers (Linux) by the letter `ulimit` uses for them (src/shell/exec/limits.ts). */
const RLIMITS: Readonly<Record<string, number>> = { t: 0, f: 1, d: 2, s: 3, c: 4, m: 5, p: 6, n: 7, l: 8, v: 9, w: 10, r: 14 };
const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
const PRIO_PROCESS = 0;
const SIG_IGN = 1n;
export type { CallerAttributes };

export function callerAttributes(): CallerAttributes {
  const symbols = moreLibc();
  const limits: Record<string, string> = {};
  const rlimit = new BigUint64Array(2);
  for (const [letter, resource] of Object.entries(RLIMITS)) {
    if (symbols.getrlimit(resource, ptr(rlimit)) !== 0) continue;
    const hard = format(rlimit[1] ?? RLIM_INFINITY);
    // The runtime raised the open-files soft limit to the hard one: the caller's soft limit is gone.
    limits[letter] = `${letter === "n" ? hard : format(rlimit[0] ?? RLIM_INFINITY)}:${hard}`;
  }
  const action = new BigUint64Array(19); // struct sigaction (glibc, LP64): 152 bytes, the handler first
  const ignoredSignals = callerIgnoredSignals((signal) => symbols.sigaction(signal, null, ptr(action)) === 0 && action[0] === SIG_IGN);
  return { limits, nice: symbols.getpriority(PRIO_PROCESS, 0), ignoredSignals };
}

function format(value: bigint): string {
  return value === RLIM_INFINITY ? "unlimited" : value.toString();
}
