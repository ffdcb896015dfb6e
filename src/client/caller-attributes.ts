// The signals this process's caller left ignored, for the in-process path
// (`rushd --no-daemon`, the fallback): they stay ignored in the session, as
// under `sh -c` (POSIX: not trappable). Read through bun:ffi (sigaction);
// limits and nice need nothing here, the process has them itself. (A worker
// reads the same of its client from /proc: worker/caller-attributes.ts.)

import { ptr } from "../common/ffi.ts";
import { callerIgnoredSignals } from "../common/caller-attributes.ts";
import { libc } from "../common/libc.ts";

const SIG_IGN = 1n;

/** Is `signal` ignored in this process now (its disposition SIG_IGN)? */
export function isIgnored(signal: number): boolean {
  const action = new BigUint64Array(19); // struct sigaction (glibc, LP64): 152 bytes, the handler first
  return libc().sigaction(signal, null, ptr(action)) === 0 && action[0] === SIG_IGN;
}

export function ignoredSignals(): number[] {
  return callerIgnoredSignals(isIgnored);
}
