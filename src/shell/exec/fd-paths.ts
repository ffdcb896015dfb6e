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

import type { FdTable, FdTarget } from "./fds.ts";

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

/**
 * The path a builtin stats, tests or reads for `resolved` (absolute,
 * normalized): itself, unless it names a shell fd; then that fd's
 * /proc/self/fd entry, /dev/null for /dev/null or a stream that is no fd
 * (the library's output and input), or "closed" when the fd is not open
 * (`[ -e /dev/fd/3 ]` is false, as the kernel's ENOENT makes it under dash).
 */
export function pathForBuiltin(fd: (n: number) => FdTarget | undefined, resolved: string): string | "closed" {
  const named = fdNamedBy(resolved);
  if (named === undefined) return resolved;
  const target = fd(named);
  if (target === undefined) return "closed";
  return target.kind === "os" ? `/proc/self/fd/${target.fd}` : "/dev/null";
}

/**
 * What opening the path of shell fd `fd` gives: `{ path }` to open in its
 * place (an OS fd's /proc/self/fd entry), `{ target }` to share as it is,
 * or `"closed"` (the kernel's ENOENT: the fd is not open).
 */
export function openedByFdPath(fds: FdTable, fd: number): { readonly path: string } | { readonly target: FdTarget } | "closed" {
  const target = fds.get(fd);
  if (target === undefined) return "closed";
  if (target.kind === "os") return { path: `/proc/self/fd/${target.fd}` };
  return { target };
}
