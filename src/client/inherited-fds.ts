// Which fds `rushd -c` got from its caller, to pass them on to the session
// (DESIGN §2: the command sees the caller's terminal, files, pipes and
// jobserver). Probed with fcntl(F_GETFD) through bun:ffi: listing
// /proc/self/fd would need node:fs, which costs the client ~2 ms to load.
//
// The runtime has fds of its own by the time this runs: its event loop
// (anon_inode:[eventpoll], [eventfd]) and, when the caller left fd 10 free,
// a /dev/null it opens at 10. Those are not the caller's and are not passed.
// A standard fd the caller closed is filled by the runtime with /dev/null,
// close-on-exec (a fd that came through exec cannot be close-on-exec): it
// is passed as closed, so `rushd -c 'echo x >&2' 2>&-` fails as in sh.

import { dlopen, FFIType, ptr } from "bun:ffi";

const F_GETFD = 1;
const FD_CLOEXEC = 1;
/** Inherited fds are looked for below this (a caller's fds above it are not passed; documented). */
const PROBE_LIMIT = 1024;
const RUNTIME_DEV_NULL_FD = 10;

function openLibc() {
  return dlopen("libc.so.6", {
    fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    readlink: { args: [FFIType.cstring, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
  });
}

function target(libc: ReturnType<typeof openLibc>, fd: number): string {
  const buffer = new Uint8Array(256);
  const path = new TextEncoder().encode(`/proc/self/fd/${fd}\0`);
  const length = Number(libc.symbols.readlink(ptr(path), ptr(buffer), buffer.length));
  return length > 0 ? new TextDecoder().decode(buffer.subarray(0, length)) : "";
}

/** The open fds of this process that came from its caller, in increasing order. */
export function inheritedFds(): number[] {
  const libc = openLibc();
  const fds: number[] = [];
  try {
    for (let fd = 0; fd < PROBE_LIMIT; fd++) {
      const fdFlags = libc.symbols.fcntl(fd, F_GETFD, 0);
      if (fdFlags < 0) continue;
      const points = target(libc, fd);
      if (fd < 3) {
        if ((fdFlags & FD_CLOEXEC) !== 0 && points === "/dev/null") continue; // the runtime's filler
        fds.push(fd);
        continue;
      }
      if (points.startsWith("anon_inode:")) continue;
      if (fd === RUNTIME_DEV_NULL_FD && points === "/dev/null") continue;
      fds.push(fd);
    }
  } finally {
    libc.close();
  }
  return fds;
}
