// Whether a `rushd -c` session is attached to its caller's controlling
// terminal. A command of `sh -c` in a terminal opens /dev/tty for its
// prompts (ssh, sudo, git's credentials, gpg) and its keys (less reading a
// pipe): the kernel gives it its session's controlling terminal. A worker's
// children are in the daemon's session, which has none, and a terminal is
// the controlling terminal of one session only (the caller's), so no worker
// can give a command that: /dev/tty fails with ENXIO. Such a session is
// refused before anything runs, and the client runs the command in its own
// process, in its caller's session (cli/main.ts), as it does when no worker
// is free. A caller with no terminal, or one whose standard fds are not it
// (a program's pipes), is served by the worker as always.
//
// Imports node:fs only.

import { fstatSync } from "node:fs";

/**
 * The caller's fd (0, 1 or 2) that is its controlling terminal, if one is;
 * `passed` maps the caller's fd numbers to this process's copies of them,
 * `controllingTerminal` is the caller's tty_nr (0: it has none).
 */
export function attachedControllingTerminal(passed: ReadonlyMap<number, number>, controllingTerminal: number): number | undefined {
  if (controllingTerminal === 0) return undefined;
  for (const callerFd of [0, 1, 2]) {
    const own = passed.get(callerFd);
    if (own === undefined) continue;
    const stat = fstatSync(own);
    if (stat.isCharacterDevice() && stat.rdev === controllingTerminal) return callerFd;
  }
  return undefined;
}
