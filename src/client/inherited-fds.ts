// Which fds `rushd -c` got from its caller, to pass them on to the session
// (DESIGN §2: the command sees the caller's terminal, files, pipes and
// jobserver). /proc/self/fd is listed with getdents64 through bun:ffi:
// node:fs would cost the client ~2 ms to load, and probing every fd number
// (fcntl or one big poll) costs 200–400 µs of cold JavaScript.
//
// The runtime has fds of its own by the time this runs: its event loop
// (anon_inode:[eventpoll], [eventfd]). Those are not the caller's and are
// not passed. (It marks every inherited fd above 2 close-on-exec at start, so
// that flag tells nothing there. An earlier runtime also opened /dev/null at
// fd 10 when the caller left it free, and fd 10 on /dev/null was skipped;
// Bun 1.4.5 opens none, checked on the direct and the autostart paths, and
// the skip lost a caller's own `10</dev/null`.)
// A standard fd the caller closed is filled by the runtime with /dev/null,
// close-on-exec (a fd that came through exec cannot be close-on-exec): it
// is passed as closed, so `rushd -c 'echo x >&2' 2>&-` fails as in sh.

import { ptr } from "../common/ffi.ts";
import { libc } from "../common/libc.ts";

const O_RDONLY_DIRECTORY_CLOEXEC = 0o200000 | 0o2000000;
const F_GETFD = 1;
const FD_CLOEXEC = 1;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function target(fd: number): string {
  const buffer = new Uint8Array(256);
  const path = encoder.encode(`/proc/self/fd/${fd}\0`);
  const length = Number(libc().readlink(ptr(path), ptr(buffer), buffer.length));
  return length > 0 ? decoder.decode(buffer.subarray(0, length)) : "";
}

/** The fd numbers in /proc/self/fd (the directory's own fd among them). */
function listOpenFds(): number[] {
  const symbols = libc();
  const directory = symbols.open(ptr(encoder.encode("/proc/self/fd\0")), O_RDONLY_DIRECTORY_CLOEXEC, 0);
  if (directory < 0) return [0, 1, 2];
  const fds: number[] = [];
  try {
    const buffer = new Uint8Array(16384);
    const view = new DataView(buffer.buffer);
    for (;;) {
      const length = Number(symbols.getdents64(directory, ptr(buffer), buffer.length));
      if (length <= 0) break;
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      for (let at = 0; at < length;) {
        const recordLength = view.getUint16(at + 16, true);
        let name = 0;
        let digits = 0;
        for (let i = at + 19; buffer[i] !== 0 && i < at + recordLength; i++, digits++) name = name * 10 + ((buffer[i] ?? 48) - 48);
        if (digits > 0 && buffer[at + 19] !== 46) fds.push(name); // not "." or ".."
        at += recordLength;
      }
    }
    return fds.filter((fd) => fd !== directory).sort((a, b) => a - b);
  } finally {
    symbols.close(directory);
  }
}

/** The open fds of this process that came from its caller, in increasing order; `ownFds` are this process's own. */
export function inheritedFds(ownFds: readonly number[] = []): number[] {
  const symbols = libc();
  const fds: number[] = [];
  for (const fd of listOpenFds()) {
    if (ownFds.includes(fd)) continue;
    if (fd < 3) {
      // Where it points is asked only of a close-on-exec one (rare): a fd that came through exec is not.
      const isCloseOnExec = (symbols.fcntl(fd, F_GETFD, 0) & FD_CLOEXEC) !== 0;
      if (isCloseOnExec && target(fd) === "/dev/null") continue; // the runtime's filler for a closed fd
      fds.push(fd);
      continue;
    }
    const points = target(fd);
    if (points.startsWith("anon_inode:")) continue;
    fds.push(fd);
  }
  return fds;
}
