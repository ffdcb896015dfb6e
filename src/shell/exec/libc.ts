// The few system calls Node has no API for, through bun:ffi: pipe2 (a kernel
// pipe for external commands), fcntl's F_DUPFD_CLOEXEC (a copy of an fd for a
// background job or a child's fd table), poll (is a FIFO readable without
// waiting), getpriority (this process's nice value) and lseek (Node reads and writes at
// an offset but cannot move an fd's own; `read` puts back what it read past
// its line); read(2) itself for `read`'s blocks, which fs.readSync's argument
// handling made ~0.1–0.2 µs a line slower; tee(2) and recv(MSG_PEEK), which
// let `read` see a pipe's or socket's line before it takes it; and errno with
// its text, so that a failure says why (EMFILE: Too many open files).
//
// Imports errno.ts only.

import { dlopen, FFIType, ptr, read } from "bun:ffi";
import { constants } from "node:os";
import { SystemCallError } from "./errno.ts";

const libc = dlopen("libc.so.6", {
  pipe2: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
  fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  getpriority: { args: [FFIType.i32, FFIType.u32], returns: FFIType.i32 },
  // off_t is 64 bits on every 64-bit Linux. A number in JS: offsets past 2^53 bytes (8 PiB) cannot occur
  // (i64_fast would hand back a bigint for one); a bigint per call cost `read` an allocation a line.
  lseek: { args: [FFIType.i32, FFIType.i64_fast, FFIType.i32], returns: FFIType.i64_fast },
  read: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64_fast },
  // `read`'s look at a pipe's or a socket's bytes without taking them (builtins/read-stream.ts).
  tee: { args: [FFIType.i32, FFIType.i32, FFIType.u64, FFIType.u32], returns: FFIType.i64_fast },
  recv: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i64_fast },
  // Writes to a caller's pipe or socket that never wait (exec/stream-write.ts).
  pwritev2: { args: [FFIType.i32, FFIType.ptr, FFIType.i32, FFIType.i64_fast, FFIType.i32], returns: FFIType.i64_fast },
  send: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i64_fast },
  __errno_location: { args: [], returns: FFIType.ptr },
  strerror: { args: [FFIType.i32], returns: FFIType.cstring },
});

const ERRNO_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(constants.errno).map(([name, number]) => [number, name]));

/** The errno of the call that just failed, as an error with its name (EMFILE) and text. */
function lastError(syscall: string): SystemCallError {
  const location = libc.symbols.__errno_location();
  const errno = location === null ? 0 : read.i32(location, 0);
  return new SystemCallError(syscall, ERRNO_NAMES.get(errno) ?? `errno ${errno}`, errnoText(errno));
}

function errnoText(errno: number): string {
  const text = libc.symbols.strerror(errno);
  return text === null ? `errno ${errno}` : text.toString();
}

/** strerror's text for an errno name (`EMFILE`: "Too many open files"); the name itself if it is not one. */
export function describeErrno(code: string): string {
  const errno: unknown = Object.getOwnPropertyDescriptor(constants.errno, code)?.value;
  return typeof errno === "number" ? errnoText(errno) : code;
}

const O_CLOEXEC = 0o2000000;
const O_NONBLOCK = 0o4000;
const POLLIN = 0x1;
const POLLOUT = 0x4;
const POLLERR = 0x8;
const POLLHUP = 0x10;
const POLLNVAL = 0x20;

/**
 * A kernel pipe (close-on-exec in this process; the child gets its own copy
 * through its stdio). Throws a `SystemCallError` (EMFILE, ENFILE) when there is none to be had.
 */
export function osPipe({ nonBlocking = false }: { readonly nonBlocking?: boolean } = {}): { readonly read: number; readonly write: number } {
  if (libc.symbols.pipe2(pipeFdsPointer, O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)) !== 0) throw lastError("pipe2");
  return { read: pipeFds[0] ?? -1, write: pipeFds[1] ?? -1 };
}

/**
 * pipe2's int[2], one for every call (as pollEntry below): a new typed
 * array and its ptr() per pipe cost more than the system call, and every
 * external command with output makes two pipes.
 */
const pipeFds = new Int32Array(new ArrayBuffer(8));
const pipeFdsPointer = ptr(pipeFds);

const F_DUPFD_CLOEXEC = 1030;
/** Copies are made at or above this, clear of the standard fds and of the low numbers scripts use. */
const DUP_MINIMUM_FD = 10;

/**
 * A copy of `fd` (close-on-exec, at 10 or above) that this process owns and
 * closes. Throws a `SystemCallError` (EMFILE, EBADF).
 */
export function dupFd(fd: number): number {
  const copy = libc.symbols.fcntl(fd, F_DUPFD_CLOEXEC, DUP_MINIMUM_FD);
  if (copy < 0) throw lastError("fcntl");
  return copy;
}

const PRIO_PROCESS = 0;

/** This process's nice value (getpriority; -1 is a valid value, so errno is not consulted: it cannot fail for itself). */
export function ownNiceValue(): number {
  return libc.symbols.getpriority(PRIO_PROCESS, 0);
}

const F_GETFL = 3;
const O_ACCMODE = 3;
const O_WRONLY = 1;

/** Is `fd` not open, or open for writing only (fcntl F_GETFL)? Such an fd has nothing to wait for: read(2) fails at once (EBADF). */
export function isUnreadable(fd: number): boolean {
  const flags = libc.symbols.fcntl(fd, F_GETFL, 0);
  return flags < 0 || (flags & O_ACCMODE) === O_WRONLY;
}

/** lseek(2)'s `whence` (unistd.h). */
export const SEEK_SET = 0;
export const SEEK_CUR = 1;

/**
 * Move `fd`'s file offset (shared with every copy of the fd, in this process
 * and others); returns the new offset. Throws a `SystemCallError`: ESPIPE on
 * a pipe, socket or FIFO, EBADF, EINVAL for an offset before the start.
 */
export function seekFd(fd: number, offset: number, whence: typeof SEEK_SET | typeof SEEK_CUR): number {
  const position = Number(libc.symbols.lseek(fd, offset, whence));
  if (position < 0) throw lastError("lseek");
  return position;
}

/**
 * read(2) of at most `length` bytes into the start of `buffer` from `fd`: the
 * count, 0 at end of file. Throws a `SystemCallError` (EBADF for an fd open
 * for writing only, EISDIR, EIO, EAGAIN); a read a signal interrupted is made again.
 */
export function readFd(fd: number, buffer: Uint8Array, length = buffer.length): number {
  if (length <= 0) return 0;
  if (length > buffer.length) throw new RangeError(`readFd: ${length} bytes do not fit a buffer of ${buffer.length}`);
  for (;;) {
    const count = Number(libc.symbols.read(fd, buffer, length));
    if (count >= 0) return count;
    const error = lastError("read");
    if (error.code !== "EINTR") throw error;
  }
}

/** EAGAIN, which Linux also calls EWOULDBLOCK (one number, and ERRNO_NAMES keeps the later name). */
function isWouldBlock(error: SystemCallError): boolean {
  return error.code === "EAGAIN" || error.code === "EWOULDBLOCK";
}

/**
 * A call that never waits (a non-blocking flag): its count, or "wait" for
 * EAGAIN; made again when a signal interrupted it; any other failure is
 * thrown as a `SystemCallError` named `syscall`.
 */
function withoutWaiting(syscall: string, call: () => number | bigint): number | "wait" {
  for (;;) {
    const count = Number(call());
    if (count >= 0) return count;
    const error = lastError(syscall);
    if (isWouldBlock(error)) return "wait";
    if (error.code !== "EINTR") throw error;
  }
}

const SPLICE_F_NONBLOCK = 2;
const MSG_PEEK = 2;
const MSG_DONTWAIT = 0x40;

/**
 * The bytes waiting in the pipe `fd`, copied to the pipe `into` and left in
 * `fd` (tee(2), never waiting): the count, 0 at end of input, "wait" when
 * nothing is there yet. Throws a `SystemCallError` (EINVAL: `fd` is not a pipe).
 */
export function teePipe(fd: number, into: number, maxBytes: number): number | "wait" {
  return withoutWaiting("tee", () => libc.symbols.tee(fd, into, maxBytes, SPLICE_F_NONBLOCK));
}

/** At most `maxBytes` of the bytes waiting on the socket `fd`, read into `buffer` and left there (recv MSG_PEEK, never waiting); as teePipe. */
export function peekSocket(fd: number, buffer: Uint8Array, maxBytes = buffer.length): number | "wait" {
  if (maxBytes > buffer.length) throw new RangeError(`peekSocket: ${maxBytes} bytes do not fit a buffer of ${buffer.length}`);
  return withoutWaiting("recv", () => libc.symbols.recv(fd, buffer, maxBytes, MSG_PEEK | MSG_DONTWAIT));
}

const RWF_NOWAIT = 8;
/** The one iovec of writePipeNoWait, reused (little-endian 64-bit fields as 32-bit halves; its address taken per call). */
const iovec = new Uint32Array(4);
const MSG_NOSIGNAL = 0x4000;

/**
 * Write what fits now of `data` from `offset` to the pipe `fd` (pwritev2
 * RWF_NOWAIT: the pipe's own file description stays blocking for everyone
 * else): the count, or "wait" when the pipe is full. Throws a
 * `SystemCallError` (EPIPE, EBADF, EOPNOTSUPP from a kernel without it).
 */
export function writePipeNoWait(fd: number, data: Uint8Array, offset: number): number | "wait" {
  // struct iovec { void *iov_base; size_t iov_len; }, filled as 32-bit halves: no bigint per write.
  const base = ptr(data, offset);
  const length = data.length - offset;
  iovec[0] = base % 2 ** 32;
  iovec[1] = Math.floor(base / 2 ** 32);
  iovec[2] = length % 2 ** 32;
  iovec[3] = Math.floor(length / 2 ** 32);
  return withoutWaiting("pwritev2", () => libc.symbols.pwritev2(fd, iovec, 1, -1, RWF_NOWAIT));
}

/** As writePipeNoWait, for a socket (send MSG_DONTWAIT; EPIPE, not SIGPIPE, when the peer is gone). */
export function sendNoWait(fd: number, data: Uint8Array, offset: number): number | "wait" {
  const rest = offset === 0 ? data : data.subarray(offset);
  return withoutWaiting("send", () => libc.symbols.send(fd, rest, rest.length, MSG_DONTWAIT | MSG_NOSIGNAL));
}

/**
 * One struct pollfd { int fd; short events; short revents; } for every poll:
 * a poll is synchronous, and a terminal is polled before each piece written
 * (stream-write.ts), so no allocation and no ptr() per call.
 */
const pollEntry = (() => {
  const ints = new Int32Array(new ArrayBuffer(8));
  return { ints, shorts: new Int16Array(ints.buffer), address: ptr(ints) };
})();

/** Wait up to `timeoutMs` for poll(2) to report `events` (or an error) on `fd`; false if not, or a signal came first. */
function awaitEvents(fd: number, events: number, timeoutMs: number): boolean {
  const entry = pollEntry.ints;
  entry[0] = fd;
  entry[1] = events; // events in the low half, revents (the high half) cleared
  if (libc.symbols.poll(pollEntry.address, 1, timeoutMs) !== 1) return false;
  return ((pollEntry.shorts[3] ?? 0) & (events | POLLHUP | POLLERR | POLLNVAL)) !== 0;
}

/** Wait up to `timeoutMs` for `fd` to have something to read (data, end of input or an error). */
export function awaitReadable(fd: number, timeoutMs: number): boolean {
  return awaitEvents(fd, POLLIN, timeoutMs);
}

/** Wait up to `timeoutMs` for `fd` to take a write (room, or an error such as a reader gone). */
export function awaitWritable(fd: number, timeoutMs: number): boolean {
  return awaitEvents(fd, POLLOUT, timeoutMs);
}

/**
 * Would read(2) on `fd` return at once (data, end of input or an error)?
 * Lets a FIFO be read synchronously when it can, and on the thread pool
 * only when the read would wait.
 */
export function isReadableNow(fd: number): boolean {
  return awaitReadable(fd, 0);
}

