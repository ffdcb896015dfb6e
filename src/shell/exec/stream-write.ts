// A builtin's write to a pipe, socket or terminal the shell did not make (a
// `rushd -c` caller's stdout, the in-process shell's): never with the event
// loop stopped. A blocking write to a full pipe used to hold the worker until
// the reader drained it; after 20 s the daemon took the silent worker for
// wedged and killed it, and the command's output was cut short with status
// 255. Here what fits is written at once (pwritev2 RWF_NOWAIT, send
// MSG_DONTWAIT: the file description stays blocking for every other process
// sharing it), and the rest after a wait for room (io-waits.ts), which a
// signal that ends the shell cuts short, as it interrupts dash's write(2).
// A terminal has no such per-call flag (and its file description, shared
// with the caller's shell, must stay blocking): poll(2) says whether it
// takes a write (a terminal stopped by Ctrl-S or tcflow says no), and then a
// piece is written.
//
// Imports sibling executor modules (libc, io-waits, errno) only.

import * as fs from "node:fs";
import { type IoWaits, waitInSlices } from "./io-waits.ts";
import { errnoCode } from "./errno.ts";
import { awaitWritable, sendNoWait, writePipeNoWait } from "./libc.ts";

/**
 * What an fd is open on, for how it is read (builtins/read-stream.ts) and
 * written (here): "device" is a terminal or another character device whose
 * writes can wait; "other" is a regular file, a directory or a memory device.
 */
export type StreamKind = "pipe" | "socket" | "device" | "other";

/** The kinds written here, without waiting in write(2); "other" is written with write(2) as it is (fds.ts). */
export type WaitingStreamKind = Exclude<StreamKind, "other">;

/** Linux's major number of /dev/null, /dev/zero, /dev/full, /dev/random…: their writes never wait. */
const MEMORY_DEVICES_MAJOR = 1;

/**
 * The most written to a device after one poll, which says only that the
 * terminal takes output now: not stopped (Ctrl-S makes a pseudo-terminal
 * report no room) and some room. A piece larger than the room waits in
 * write(2) for the terminal's reader, briefly for a live one. One write(2)
 * to a terminal is not interleaved with other writers' (n_tty holds its
 * write lock for the call), so a piece as large as a pipe's atomic write
 * keeps an echo's line whole when a background job writes too.
 */
const DEVICE_PIECE_BYTES = 4096;

/** fstat(2)'s answer; "other" for an fd that is not open (the read or write then reports EBADF). */
export function streamKindOf(fd: number): StreamKind {
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isFIFO()) return "pipe";
    if (stat.isSocket()) return "socket";
    return stat.isCharacterDevice() && ((stat.rdev >>> 8) & 0xfff) !== MEMORY_DEVICES_MAJOR ? "device" : "other";
  } catch {
    return "other";
  }
}

/** Write what `fd` takes now of `data` from `offset`: a count, or "wait" when it takes nothing now. */
function writeNow(fd: number, kind: WaitingStreamKind, data: Uint8Array, offset: number): number | "wait" {
  if (kind === "pipe") return writePipeNoWait(fd, data, offset);
  if (kind === "socket") return sendNoWait(fd, data, offset);
  if (!awaitWritable(fd, 0)) return "wait";
  try {
    return fs.writeSync(fd, data, offset, Math.min(DEVICE_PIECE_BYTES, data.length - offset));
  } catch (error) {
    const code = errnoCode(error);
    if (code === "EAGAIN") return "wait"; // a description the caller made non-blocking, full
    if (code === "EINTR") return 0; // a signal came first: dash writes on
    throw error;
  }
}

/**
 * Write all of `data` to `fd` without waiting in a system call (for a
 * terminal: not while it takes no output; see DEVICE_PIECE_BYTES). Throws (or
 * rejects with) a `SystemCallError` (EPIPE, EBADF, EOPNOTSUPP from a kernel
 * without RWF_NOWAIT for pipes), or the flow of a signal that ends the shell
 * while it waits for room. When the run is ended meanwhile, the rest is dropped.
 */
export function writeWithoutWaiting(fd: number, kind: WaitingStreamKind, data: Uint8Array, waits: IoWaits | undefined): void | Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const count = writeNow(fd, kind, data, offset);
    if (count === "wait") {
      const rest = data.subarray(offset);
      const onSignal = () => {
        const death = waits?.fatalSignal();
        return death === undefined ? "go on" as const : { fail: death };
      };
      return waitInSlices((timeoutMs) => awaitWritable(fd, timeoutMs), waits, onSignal).then((ready) => {
        if (ready) return writeWithoutWaiting(fd, kind, rest, waits);
      });
    }
    offset += count;
  }
}
