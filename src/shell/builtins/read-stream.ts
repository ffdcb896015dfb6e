// `read` from an fd that is not a regular file: a pipe, FIFO, socket,
// terminal or device. Nothing past the line may be taken (the next reader,
// here or in another process, starts right after it), and the shell must not
// stop while it waits: a signal (Ctrl-C through `rushd -c`, a trapped one)
// interrupts the read as it interrupts dash's read(2), and the rest of the
// session's work goes on.
//
// - A pipe's or socket's waiting bytes are looked at first without being
//   taken (tee(2) into a pipe of our own, recv with MSG_PEEK), and exactly
//   the bytes up to the delimiter are read: a line costs three system calls,
//   where dash makes one per byte.
// - Anything else (a terminal, a device) is read a byte at a time, and only
//   when poll(2) says a byte is there.
// - With nothing there yet: an fd the caller gave (a `rushd -c` caller's
//   stdin, the in-process shell's) is waited on in slices (exec/io-waits.ts);
//   the read is given up when a signal comes (status 1, the line so far, as
//   dash). A pipe or FIFO the script opened (isFifo) may have its
//   writer in this very process, which a blocking wait would starve: it
//   waits on the thread pool for its next byte (fds.ts), as before.
//
// Imports exec/ modules (fds, io-waits, libc, errno, maybe) and line-builder.ts only.

import * as fs from "node:fs";
import { FdError, type FdTarget, readTarget } from "../exec/fds.ts";
import { isSystemError } from "../exec/errno.ts";
import { type IoWaits, waitInSlices } from "../exec/io-waits.ts";
import { awaitReadable, isReadableNow, isUnreadable, osPipe, peekSocket, readFd, teePipe } from "../exec/libc.ts";
import { streamKindOf } from "../exec/stream-write.ts";
import type { Maybe } from "../exec/maybe.ts";
import { lineEnd } from "../line-end.ts";
import { BACKSLASH, decodeInPlace, type Line, type LineBuilder, NUL } from "./line-builder.ts";

/**
 * How much of a pipe's or socket's waiting input one look takes in: a line's
 * first look is small (the bytes looked at are copied twice, and with a
 * writer far ahead a 4 KiB look per line cost more than its system calls);
 * a line longer than that is looked at in bigger pieces.
 */
const FIRST_LOOK_BYTES = 256;
const PEEK_BYTES = 4096;

/** "bytes": a terminal or device. "direct": read(2) without looking or waiting (an fd open for writing only, or not open: it fails at once, EBADF). */
type Kind = "pipe" | "socket" | "bytes" | "direct";

/** What each target is, found once: a target stands for one open file for as long as it exists. */
const kinds = new WeakMap<FdTarget, Kind>();

function kindOf(target: FdTarget & { kind: "os" }): Kind {
  let kind = kinds.get(target);
  if (kind === undefined) {
    const stream = streamKindOf(target.fd);
    kind = isUnreadable(target.fd) ? "direct" : stream === "other" || stream === "device" ? "bytes" : stream;
    kinds.set(target, kind);
  }
  return kind;
}

/** Filled and emptied within one synchronous step (the builder copies what it keeps): one for all reads. */
const looked = Buffer.alloc(PEEK_BYTES);
const taken = Buffer.alloc(PEEK_BYTES);
/**
 * The pipe tee(2) copies a pipe's waiting bytes into; non-blocking, drained
 * after every look. Made when the shell loads, so that a worker has it
 * before its first session (its fd table then stays what it was, session
 * after session); made on first use if that failed.
 */
let lookPipe: { readonly read: number; readonly write: number } | undefined = makeLookPipe();

function makeLookPipe(): { readonly read: number; readonly write: number } | undefined {
  try {
    return osPipe({ nonBlocking: true });
  } catch (error) {
    if (isSystemError(error)) return undefined; // EMFILE at start: the first look tries again
    throw error;
  }
}

/** Read the `count` bytes tee(2) just copied into the look pipe into `looked`, leaving it empty for the next look. */
function drainLook(fd: number, count: number): void {
  let got = readFd(fd, looked, count);
  while (got < count) got += readFd(fd, looked.subarray(got), count - got);
}

/**
 * One step without waiting: the bytes taken (up to and with the first
 * delimiter there is), 0 at end of input, or "wait" when nothing is there.
 */
function takeAvailable(target: FdTarget & { kind: "os" }, delimiter: number, lookBytes: number): number | "wait" {
  const fd = target.fd;
  const kind = kindOf(target);
  if (kind === "direct") return readFd(fd, taken, 1);
  if (kind === "bytes") {
    if (!isReadableNow(fd)) return "wait";
    return readFd(fd, taken, 1);
  }
  let count: number | "wait";
  if (kind === "pipe") {
    const look = (lookPipe ??= osPipe({ nonBlocking: true }));
    try {
      count = teePipe(fd, look.write, lookBytes);
    } catch (error) {
      // Not a pipe tee(2) takes after all: a byte at a time from now on.
      if (!isSystemError(error)) throw error;
      kinds.set(target, "bytes");
      return takeAvailable(target, delimiter, lookBytes);
    }
    if (typeof count === "number" && count > 0) {
      try {
        drainLook(look.read, count);
      } catch (error) {
        // Cannot happen (tee just put those bytes there); if it did, a pipe with bytes left in it
        // would mislead every later look: start the next one on a new pipe.
        lookPipe = undefined;
        for (const end of [look.read, look.write]) fs.closeSync(end);
        throw error;
      }
    }
  } else {
    count = peekSocket(fd, looked, lookBytes);
  }
  if (count === "wait" || count === 0) return count;
  return readFd(fd, taken, lineEnd(looked, delimiter, count));
}

/** Read `builder`'s line from an fd that is not a regular file (see above). */
export function readStream(target: FdTarget & { kind: "os" }, builder: LineBuilder, waits: IoWaits): Maybe<Line> {
  for (;;) {
    let count: number | "wait";
    try {
      count = takeAvailable(target, builder.delimiter, builder.isEmpty ? FIRST_LOOK_BYTES : PEEK_BYTES);
    } catch (error) {
      // EBADF (an fd open for writing only), EISDIR, EIO: end of input to `read`, as in dash.
      if (isSystemError(error)) throw new FdError((error as Error).message);
      throw error;
    }
    if (count === 0) return builder.line(true);
    if (count === "wait") return waitThenRead(target, builder, waits);
    // The usual line: all of it taken at once, no continuation, no NUL: decoded where it lies
    // (a view of the buffer per line cost more than the three system calls).
    if (builder.isEmpty && taken[count - 1] === builder.delimiter && (builder.raw || count === 1 || taken[count - 2] !== BACKSLASH)) {
      const text = decodeInPlace(taken, count - 1, builder.delimiter === NUL);
      if (text !== undefined) return { text, eof: false };
    }
    if (builder.take(taken.subarray(0, count)) >= 0) return builder.line(false);
  }
}

async function waitThenRead(target: FdTarget & { kind: "os" }, builder: LineBuilder, waits: IoWaits): Promise<Line> {
  if (target.isFifo === true) {
    // Its writer may be this process: the thread pool waits for the next byte, the loop runs on.
    const byte = await readTarget(target, 1);
    if (byte === null) return builder.line(true);
    if (builder.take(byte) >= 0) return builder.line(false);
  } else if (!(await readableBeforeSignal(target.fd, waits))) {
    return builder.line(true);
  }
  return readStream(target, builder, waits);
}

/** Wait for `fd` to be readable: true when it is, false when a signal came (any: it interrupts read(2)) or the run ended. */
function readableBeforeSignal(fd: number, waits: IoWaits): Promise<boolean> {
  return waitInSlices((timeoutMs) => awaitReadable(fd, timeoutMs), waits, () => "give up");
}
