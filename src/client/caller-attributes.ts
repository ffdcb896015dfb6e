// The signals this process's caller left ignored, for the in-process path
// (`rushd --no-daemon`, the fallback): they stay ignored in the session, as
// under `sh -c` (POSIX: not trappable). Read through bun:ffi (sigaction);
// limits and nice need nothing here, the process has them itself. (A worker
// reads the same of its client from /proc: worker/caller-attributes.ts.)

import { ptr } from "bun:ffi";
import { callerIgnoredSignals } from "../common/caller-attributes.ts";
import { moreLibc } from "../common/libc.ts";

const SIG_IGN = 1n;

export function ignoredSignals(): number[] {
  const symbols = moreLibc();
  const action = new BigUint64Array(19); // struct sigaction (glibc, LP64): 152 bytes, the handler first
  return callerIgnoredSignals((signal) => symbols.sigaction(signal, null, ptr(action)) === 0 && action[0] === SIG_IGN);
}
