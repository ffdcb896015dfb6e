// The session's stdin (the library's input, or a `rushd -c` caller's when it
// is streamed) fed to an external command, and what the command did not
// read given back to the session. Under dash the command reads the shell's
// own stdin: what it leaves stays there for the next reader (`true; cat`,
// `sleep 1; cat`). Here the input is pumped into a pipe as it arrives, so a
// command that exits without reading it would take it with it. The pipe's
// read end stays open in this process too: once the command has exited, what
// the pipe still holds, and the rest of a chunk it had no room for, go back
// to the front of the session's input (SessionInput.unread).
//
// Imports sibling executor modules.

import { closeOsFd, type SessionInput, writeTarget } from "./fds.ts";
import { errnoCode } from "./errno.ts";
import { isReadableNow, readFd, writePipeNoWait } from "./libc.ts";
import { isInputRefused, PUMP_CHUNK_BYTES } from "./pumps.ts";

/** A pipe made for the command's fd 0: it reads `read`, the pump writes `write`. */
export interface InputPipe {
  readonly read: number;
  readonly write: number;
}

/**
 * Pump `input` into `pipe` until end of input or the command's exit; once
 * it exited, give back what it left unread. Closes both ends.
 */
export async function pumpSessionInput(input: SessionInput, pipe: InputPipe, exited: Promise<number>): Promise<void> {
  const exitedMarker = exited.then(() => "exited" as const);
  let isWriteOpen = true;
  const closeWrite = (): void => {
    if (isWriteOpen) closeOsFd(pipe.write);
    isWriteOpen = false;
  };
  // A write on the thread pool that the pipe had no room for when the command exited.
  let unsettledWrite: Promise<unknown> | undefined;
  try {
    for (;;) {
      const pending = input.read(PUMP_CHUNK_BYTES);
      const chunk = await Promise.race([pending, exitedMarker]);
      if (chunk === "exited") {
        // Bytes that arrive after the command ended belong to the next reader.
        input.adopt(pending);
        break;
      }
      if (chunk === null) {
        closeWrite();
        break;
      }
      // What the pipe has room for now, at once; the rest on the thread pool, where it waits for the
      // command to read (never with EPIPE: we hold a read end too).
      const taken = writeNow(pipe.write, chunk);
      if (taken === "refused") break;
      if (taken === chunk.length) continue;
      const rest = chunk.subarray(taken);
      const writing = Promise.resolve(writeTarget({ kind: "os", fd: pipe.write, isFifo: true }, rest)).then(() => "written" as const, (error: unknown) => {
        if (isInputRefused(error)) return "refused" as const;
        throw error;
      });
      const outcome = await Promise.race([writing, exitedMarker]);
      if (outcome === "refused") break;
      if (outcome === "exited") {
        unsettledWrite = writing;
        break;
      }
    }
    await exitedMarker;
    input.unread(await takeBack(pipe, unsettledWrite, closeWrite));
  } finally {
    closeWrite();
    closeOsFd(pipe.read);
  }
}

/**
 * What the pipe holds once the command is gone, in order: everything it had,
 * then what a write still under way puts in as reading makes room. Reads only
 * what is there (poll first), so it never waits for a writer.
 */
async function takeBack(pipe: InputPipe, unsettledWrite: Promise<unknown> | undefined, closeWrite: () => void): Promise<Uint8Array[]> {
  const taken: Uint8Array[] = [];
  let isWriteSettled = unsettledWrite === undefined;
  void unsettledWrite?.finally(() => {
    isWriteSettled = true;
  });
  for (;;) {
    while (isReadableNow(pipe.read)) {
      const buffer = new Uint8Array(PUMP_CHUNK_BYTES);
      const count = readFd(pipe.read, buffer);
      if (count === 0) return taken;
      taken.push(buffer.subarray(0, count));
    }
    if (isWriteSettled) {
      // Nothing left to come: with our write end closed, a read past the last byte is end of file.
      closeWrite();
      if (!isReadableNow(pipe.read)) return taken;
      continue;
    }
    // The write goes on into the room just made: look again after a turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** As much of `chunk` as the pipe takes without waiting (pwritev2 RWF_NOWAIT), or "refused" when the fd failed. */
function writeNow(fd: number, chunk: Uint8Array): number | "refused" {
  let offset = 0;
  try {
    while (offset < chunk.length) {
      const count = writePipeNoWait(fd, chunk, offset);
      if (count === "wait") break;
      offset += count;
    }
  } catch (error) {
    // A kernel without RWF_NOWAIT for pipes: everything goes by the thread pool.
    if (errnoCode(error) === "EOPNOTSUPP") return offset;
    if (isInputRefused(error)) return "refused";
    throw error;
  }
  return offset;
}
