// The system calls rushd's client, daemon and workers need and Node lacks,
// through bun:ffi, bound once per process. Every dlopen compiles a
// trampoline per function (measured: ~90 µs, then ~10 µs a function), and
// the client pays for it on every `rushd -c`: so `libc()` holds only what
// the client path uses (its sockets, fd passing and listing, sigaction), and
// `moreLibc()` the rest (the fd receiver and process tree of a worker). The interpreter has its
// own binding (src/shell/exec/libc.ts): src/shell imports nothing from here.

import { dlopen, readI32 } from "./ffi.ts";

function openClientSet() {
  return dlopen("libc.so.6", {
    getsockopt: { args: ["i32", "i32", "i32", "ptr", "ptr"], returns: "i32" },
    socket: { args: ["i32", "i32", "i32"], returns: "i32" },
    sendmsg: { args: ["i32", "ptr", "i32"], returns: "i64" },
    close: { args: ["i32"], returns: "i32" },
    open: { args: ["ptr", "i32", "i32"], returns: "i32" },
    getdents64: { args: ["i32", "ptr", "u64"], returns: "i64" },
    readlink: { args: ["ptr", "ptr", "u64"], returns: "i64" },
    fcntl: { args: ["i32", "i32", "i32"], returns: "i32" },
    sigaction: { args: ["i32", "ptr", "ptr"], returns: "i32" },
    __errno_location: { args: [], returns: "ptr" },
    // rushd -c's blocking sockets (client/transport/blocking-socket.ts).
    connect: { args: ["i32", "ptr", "u32"], returns: "i32" },
    read: { args: ["i32", "ptr", "u64"], returns: "i64" },
    write: { args: ["i32", "ptr", "u64"], returns: "i64" },
    poll: { args: ["ptr", "u64", "i32"], returns: "i32" },
  });
}

function openOtherSet() {
  return dlopen("libc.so.6", {
    setsockopt: { args: ["i32", "i32", "i32", "ptr", "u32"], returns: "i32" },
    bind: { args: ["i32", "ptr", "u32"], returns: "i32" },
    recvmsg: { args: ["i32", "ptr", "i32"], returns: "i64" },
    prctl: { args: ["i32", "u64", "u64", "u64", "u64"], returns: "i32" },
    waitpid: { args: ["i32", "ptr", "i32"], returns: "i32" },
  });
}

const cache: { client?: ReturnType<typeof openClientSet>; other?: ReturnType<typeof openOtherSet> } = {};

/** The functions the client path uses, opened on first use. */
export function libc(): ReturnType<typeof openClientSet>["symbols"] {
  cache.client ??= openClientSet();
  return cache.client.symbols;
}

/** The others (a worker's fd receiver and process tree). */
export function moreLibc(): ReturnType<typeof openOtherSet>["symbols"] {
  cache.other ??= openOtherSet();
  return cache.other.symbols;
}

/** errno of the last failed call on this thread. */
export function errno(): number {
  const location = libc().__errno_location();
  return location === null ? 0 : readI32(location, 0);
}
