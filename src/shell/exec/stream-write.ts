// A builtin's write to a pipe or socket the shell did not make (a `rushd -c`
// caller's stdout, the in-process shell's): never with the event loop
// stopped. A blocking write to a full pipe used to hold the worker until the
// reader drained it; after 20 s the daemon took the silent worker for wedged
// and killed it, and the command's output was cut short with status 255.
// Here what fits is written at once (pwritev2 RWF_NOWAIT, send MSG_DONTWAIT:
// the file description stays blocking for every other process sharing it),
// and the rest after a wait for room (io-waits.ts), which a signal that ends
// the shell cuts short, as it interrupts dash's write(2).
//
// Imports sibling executor modules (libc, io-waits) only.

import * as fs from "node:fs";
import { type IoWaits, waitInSlices } from "./io-waits.ts";
import { awaitWritable, sendNoWait, writePipeNoWait } from "./libc.ts";

/** What an fd is open on, for how it is read (builtins/read-stream.ts) and written (here): "other" is a regular file, terminal or device. */
export type StreamKind = "pipe" | "socket" | "other";

/** fstat(2)'s answer; "other" for an fd that is not open (the read or write then reports EBADF). */
export function streamKindOf(fd: number): StreamKind {
  try {
    const stat = fs.fstatSync(fd);
    return stat.isFIFO() ? "pipe" : stat.isSocket() ? "socket" : "other";
  } catch {
    return "other";
  }
}

/**
 * Write all of `data` to `fd` without waiting in a system call. Throws (or
 * rejects with) a `SystemCallError` (EPIPE, EBADF, EOPNOTSUPP from a kernel
 * without RWF_NOWAIT for pipes), or the flow of a signal that ends the shell
 * while it waits for room. When the run is ended meanwhile, the rest is dropped.
 */
export function writeWithoutWaiting(fd: number, kind: "pipe" | "socket", data: Uint8Array, waits: IoWaits | undefined): void | Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const count = kind === "pipe" ? writePipeNoWait(fd, data, offset) : sendNoWait(fd, data, offset);
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
