// What both readers of a caller's ignored signals share (the client's,
// through bun:ffi, for the in-process path; the worker's, from /proc of its
// client): which signals say nothing about the caller because the runtime
// owns them.

/**
 * Signals the runtime ignores (SIGPIPE, SIGXFSZ) or catches itself (the crash
 * signals) before anyone can look, and SIGKILL and SIGSTOP, which cannot be
 * ignored: their state says nothing about the caller.
 */
const NOT_THE_CALLERS = new Set([4, 5, 6, 7, 8, 9, 11, 13, 19, 25, 30, 31]);
const LAST_STANDARD_SIGNAL = 31;

/** The standard signals whose ignored state is the caller's, for `isIgnored` to be asked about. */
export function callerIgnoredSignals(isIgnored: (signal: number) => boolean): number[] {
  const ignored: number[] = [];
  for (let signal = 1; signal <= LAST_STANDARD_SIGNAL; signal++) {
    if (!NOT_THE_CALLERS.has(signal) && isIgnored(signal)) ignored.push(signal);
  }
  return ignored;
}
