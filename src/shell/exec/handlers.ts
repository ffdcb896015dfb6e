// The outside effects of the executor, injected (as mvdan/sh's
// ExecHandler/OpenHandler): starting external commands, opening files for
// redirections, listing directories for globs. The defaults use Bun.spawn and
// fs; tests replace them to fake programs and files.
//
// Imports sibling executor modules.

import * as fs from "node:fs";
import type { Interp } from "./executor.ts";
import type { Status } from "./maybe.ts";
import { runExternal } from "./spawn.ts";
import { isSystemError } from "./errno.ts";
import { decodeBytes, fsPath } from "../bytes.ts";

/** Flags of an `open` for a redirection, as `fs.openSync` takes them. */
export type OpenFlags = "r" | "w" | "a" | number;

export interface Handlers {
  /**
   * Run an external command: `argv[0]` is the name as typed. Resolve it, run it
   * with the shell's fds (`shell.state.fds`) and cwd, and yield its status as sh
   * reports it (127 not found, 126 not executable, 128+N killed).
   */
  exec(argv: readonly string[], env: Readonly<Record<string, string>>, shell: Interp, pathValue: string | undefined): Status;
  /**
   * Open a file for a redirection (an absolute path); returns an OS fd the shell
   * will close, or a `FifoOpen` for a FIFO (whose open, reads and writes may
   * wait for another process). Throws (or rejects with) fs errors.
   */
  open(path: string, flags: OpenFlags, mode: number): number | FifoOpen;
  /** Entries of a directory (absolute path) for pathname expansion, or null if it cannot be read. */
  readDir(path: string): readonly string[] | null;
}

/** A FIFO being opened: the fd, or its promise when the open waits for the other end. */
export interface FifoOpen {
  readonly fd: number | Promise<number>;
  /** Give up waiting: a pending `fd` rejects with `OpenInterrupted` (EINTR). */
  abort(): void;
}

/** A FIFO open given up (a signal arrived while it waited for the other end). */
export class OpenInterrupted extends Error {
  readonly code = "EINTR";
  constructor(path: string) {
    super(`open ${path}: interrupted`);
    this.name = "OpenInterrupted";
  }
}

/** The access-mode bits of open(2)'s flags (Linux); Node does not export O_ACCMODE. */
const O_ACCMODE = 3;

function isFifo(path: string): boolean {
  return fs.statSync(fsPath(path), { throwIfNoEntry: false })?.isFIFO() === true;
}

/** Opening a FIFO read-write never waits (Linux): only reading and writing it may. */
function isReadWrite(flags: OpenFlags): boolean {
  return typeof flags === "number" && (flags & O_ACCMODE) === fs.constants.O_RDWR;
}

function ignoreAbort(): void {}

/** Wake a thread blocked opening a FIFO: open the other end for a moment, without blocking. */
function releaseFifoOpen(path: string, flags: OpenFlags): void {
  const otherEnd = flags === "r" ? fs.constants.O_WRONLY : fs.constants.O_RDONLY;
  try {
    fs.closeSync(fs.openSync(fsPath(path), otherEnd | fs.constants.O_NONBLOCK));
  } catch (error) {
    // ENXIO: the blocked reader is already gone; ENOENT: the FIFO was removed. Nothing waits any more.
    if (!isSystemError(error)) throw error;
  }
}

/**
 * Open a FIFO on libuv's thread pool: `fs.openSync` would wait for the other
 * end with the whole process stopped (every session's I/O and signal
 * handling). On abort the waiting thread is released and the fd, if it came,
 * closed.
 */
function openFifo(path: string, flags: OpenFlags, mode: number): FifoOpen {
  if (isReadWrite(flags)) return { fd: fs.openSync(fsPath(path), flags, mode), abort: ignoreAbort };
  let isSettled = false;
  let isAbandoned = false;
  let rejectOpen: (error: Error) => void = () => undefined;
  const fd = new Promise<number>((resolve, reject) => {
    rejectOpen = reject;
    fs.open(fsPath(path), flags, mode, (error, opened) => {
      isSettled = true;
      if (isAbandoned) {
        if (error === null) fs.closeSync(opened);
      } else if (error !== null) {
        reject(error);
      } else {
        resolve(opened);
      }
    });
  });
  const abort = (): void => {
    if (isSettled || isAbandoned) return;
    isAbandoned = true;
    rejectOpen(new OpenInterrupted(path));
    releaseFifoOpen(path, flags);
  };
  return { fd, abort };
}

export const defaultHandlers: Handlers = {
  exec: runExternal,
  // A plain file opens synchronously (one stat more); a FIFO waits off the event loop.
  open: (path, flags, mode) => (isFifo(path) ? openFifo(path, flags, mode) : fs.openSync(fsPath(path), flags, mode)),
  readDir(path) {
    try {
      const names = fs.readdirSync(fsPath(path));
      // A name that is not UTF-8 comes back with U+FFFD: list again as bytes, so it stays exact (bytes.ts).
      if (!names.some((name) => name.includes("\uFFFD"))) return names;
      return fs.readdirSync(fsPath(path), { encoding: "buffer" }).map((name) => decodeBytes(name));
    } catch (error) {
      if (isSystemError(error)) return null;
      throw error;
    }
  },
};
