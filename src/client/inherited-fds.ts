// Which fds `rushd -c` got from its caller, to pass them on to the session
// (DESIGN §2: the command sees the caller's terminal, files, pipes and
// jobserver). One poll(2) over fds 0..PROBE_LIMIT-1 tells which are open
// (POLLNVAL marks the others): 1024 fcntl calls through bun:ffi cost
// ~210 µs, listing /proc/self/fd would need node:fs (~2 ms to load).
//
// The runtime has fds of its own by the time this runs: its event loop
// (anon_inode:[eventpoll], [eventfd]) and, when the caller left fd 10 free,
// a /dev/null it opens at 10. Those are not the caller's and are not passed.
// A standard fd the caller closed is filled by the runtime with /dev/null,
// close-on-exec (a fd that came through exec cannot be close-on-exec): it
// is passed as closed, so `rushd -c 'echo x >&2' 2>&-` fails as in sh.

import { ptr } from "bun:ffi";
import { libc } from "../common/libc.ts";

/** Inherited fds are looked for below this (a caller's fds above it are not passed; documented). */
const PROBE_LIMIT = 1024;
const POLLNVAL = 0x20;
const F_GETFD = 1;
const FD_CLOEXEC = 1;
const RUNTIME_DEV_NULL_FD = 10;

function target(fd: number): string {
  const buffer = new Uint8Array(256);
  const path = new TextEncoder().encode(`/proc/self/fd/${fd}\0`);
  const length = Number(libc().readlink(ptr(path), ptr(buffer), buffer.length));
  return length > 0 ? new TextDecoder().decode(buffer.subarray(0, length)) : "";
}

/** The open fds of this process that came from its caller, in increasing order. */
export function inheritedFds(): number[] {
  const symbols = libc();
  // struct pollfd { int fd; short events; short revents; }, events 0: only POLLNVAL matters.
  const pollfds = new Int32Array(PROBE_LIMIT * 2);
  for (let fd = 0; fd < PROBE_LIMIT; fd++) pollfds[fd * 2] = fd;
  if (symbols.poll(ptr(pollfds), PROBE_LIMIT, 0) < 0) return [0, 1, 2];
  const revents = new Int16Array(pollfds.buffer);
  const fds: number[] = [];
  for (let fd = 0; fd < PROBE_LIMIT; fd++) {
    if (((revents[fd * 4 + 3] ?? 0) & POLLNVAL) !== 0) continue;
    const points = target(fd);
    if (fd < 3) {
      const isCloseOnExec = (symbols.fcntl(fd, F_GETFD, 0) & FD_CLOEXEC) !== 0;
      if (isCloseOnExec && points === "/dev/null") continue; // the runtime's filler for a closed fd
      fds.push(fd);
      continue;
    }
    if (points.startsWith("anon_inode:")) continue;
    if (fd === RUNTIME_DEV_NULL_FD && points === "/dev/null") continue;
    fds.push(fd);
  }
  return fds;
}
