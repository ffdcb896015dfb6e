// What connect(2) itself says about a Unix socket, through bun:ffi. Bun
// reports a connect that failed with EAGAIN (the listener's queue of
// connections not yet accepted is full: a daemon under a flood) as
// ECONNREFUSED, which is also what a stale socket gives, so "nobody
// listens" cannot be told from "a busy daemon listens" by Bun's answer
// alone (measured with strace: connect() = -1 EAGAIN, Bun's error
// ECONNREFUSED). Asking before a socket is taken for stale keeps a second
// daemon from removing a live one's socket, and `rushd status` from saying
// that a daemon it cannot reach for a moment is not running. Bun only.

import { errno, libc } from "./libc.ts";
import { ptr } from "./ffi.ts";
import { AF_UNIX, SOCK_CLOEXEC, SOCK_NONBLOCK, SOCK_STREAM, unixAddress } from "./unix-address.ts";

export const EAGAIN = 11;
export const ECONNREFUSED = 111;

const ENAMETOOLONG = 36;

/**
 * A Unix stream socket connected to `path` (close-on-exec; blocking unless
 * `nonBlocking`): its fd, or the errno of socket(2) or connect(2), negated.
 * Shared with the client's blocking sockets (client/transport/blocking-socket.ts).
 */
export function connectUnix(path: string, nonBlocking: boolean): number {
  const address = unixAddress(path);
  if (address === undefined) return -ENAMETOOLONG;
  const symbols = libc();
  const fd = symbols.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) return -errno();
  if (symbols.connect(fd, ptr(address), address.length) === 0) return fd;
  const code = errno();
  symbols.close(fd);
  return -code;
}

/** 0 if a non-blocking connect to `path` succeeds (the connection is closed at once), else its errno. */
export function connectErrno(path: string): number {
  const fd = connectUnix(path, true);
  if (fd < 0) return -fd;
  libc().close(fd);
  return 0;
}

/** Does something listen on `path`, even if its queue is full now? */
export function isListening(path: string): boolean {
  const code = connectErrno(path);
  return code === 0 || code === EAGAIN;
}
