// Paths that name one of the shell's own fds: /dev/stdin, /dev/stdout,
// /dev/stderr, /dev/fd/N and /proc/self/fd/N. Under dash the kernel
// resolves them in the shell's process, whose fds are the script's. A
// session's fds are not the worker's (the caller's passed fds sit at other
// numbers, the library's streams are not fds at all), so a redirection to
// one of these paths, and a builtin's look at one (`[ -e /dev/fd/3 ]`,
// `. /dev/stdin`), is resolved here, against the session's fd table:
// `echo oops >/dev/stderr` reaches the caller's stderr, not the daemon's.
//
// Linux opens /dev/fd/N anew (a new open file description of what fd N
// refers to: `>/dev/fd/3` truncates the file fd 3 has open); an OS fd is
// opened the same way through /proc/self/fd of this process. A stream that
// is not an OS fd (the library's output, a here-document) is shared, as
// `>&N` would share it.
//
// Imports sibling executor modules.

import type { FdTarget } from "./fds.ts";

const STANDARD_PATHS: ReadonlyMap<string, number> = new Map([["/dev/stdin", 0], ["/dev/stdout", 1], ["/dev/stderr", 2]]);

/** procfs takes only plain decimal names (no sign, no leading zero): `/dev/fd/03` does not exist. */
const FD_PATH = /^\/(?:dev\/fd|proc\/self\/fd)\/(0|[1-9][0-9]{0,8})$/;

/** The shell fd an absolute, normalized path names, if it names one. */
export function fdNamedBy(resolved: string): number | undefined {
  const standard = STANDARD_PATHS.get(resolved);
  if (standard !== undefined) return standard;
  const match = FD_PATH.exec(resolved);
  return match === null ? undefined : Number(match[1]);
}

/** What the shell has at an fd number (an FdTable's get, Interp.fd). */
export type FdLookup = (fd: number) => FdTarget | undefined;

/**
 * What opening `resolved` (absolute, normalized) gives when it names a
 * shell fd: `{ path }` to open in its place (an OS fd's /proc/self/fd
 * entry), `{ target }` to share as it is, or "closed" (the kernel's ENOENT:
 * the fd is not open). Undefined: it names no fd, open it as it is.
 */
export function reopenedFd(fd: FdLookup, resolved: string): { readonly path: string } | { readonly target: FdTarget } | "closed" | undefined {
  const named = fdNamedBy(resolved);
  if (named === undefined) return undefined;
  const target = fd(named);
  if (target === undefined) return "closed";
  if (target.kind === "os") return { path: `/proc/self/fd/${target.fd}` };
  return { target };
}

/**
 * The path a builtin stats, tests or reads for `resolved`: itself, unless
 * it names a shell fd (reopenedFd); then that fd's /proc/self/fd entry,
 * /dev/null for /dev/null or a stream that is no fd (the library's output
 * and input), or "closed" (`[ -e /dev/fd/3 ]` is false, as under dash).
 */
export function pathForBuiltin(fd: FdLookup, resolved: string): string | "closed" {
  const reopened = reopenedFd(fd, resolved);
  if (reopened === undefined) return resolved;
  if (reopened === "closed") return "closed";
  return "path" in reopened ? reopened.path : "/dev/null";
}
