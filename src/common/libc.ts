// The system calls rushd's client, daemon and workers need and Node lacks,
// through bun:ffi, bound once per process. Every dlopen compiles a
// trampoline per function (measured: ~90 µs, then ~10 µs a function), and
// the client pays for it on every `rushd -c`: so `libc()` holds only what
// the client path uses (its sockets, fd passing and listing, sigaction), and
// `moreLibc()` the rest (the fd receiver and process tree of a worker). The interpreter has its
// own binding (src/shell/exec/libc.ts): src/shell imports nothing from here.

import { dlopen, FFIType, read } from "bun:ffi";

function openClientSet() {
  return dlopen("libc.so.6", {
    getsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    sendmsg: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i64 },
    close: { args: [FFIType.i32], returns: FFIType.i32 },
    open: { args: [FFIType.ptr, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    getdents64: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    readlink: { args: [FFIType.ptr, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
    sigaction: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
    // rushd -c's blocking sockets (client/transport/blocking-socket.ts).
    connect: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    read: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    write: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
  });
}

function openOtherSet() {
  return dlopen("libc.so.6", {
    setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    bind: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    recvmsg: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i64 },
    prctl: { args: [FFIType.i32, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.u64], returns: FFIType.i32 },
    waitpid: { args: [FFIType.i32, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
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
  return location === null ? 0 : read.i32(location, 0);
}
