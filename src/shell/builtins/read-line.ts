// One line of input for the `read` builtin, consuming nothing past it: the
// next command reads on from just after the delimiter (`read l; cat`, the body
// of a `while read` loop, the caller of `rushd -c` once it is done).
//
// A regular file is read a block at a time, and what was read past the line
// is handed back by moving the fd's offset back (lseek), so the offset ends
// exactly where a byte-at-a-time read would have left it, for this shell and
// for every process sharing the open file (a `rushd -c` caller's stdin reaches
// the worker as the same open file, passed with SCM_RIGHTS). bash does the
// same; dash reads a byte at a time everywhere. Anything else (a pipe, FIFO,
// terminal, socket or character device, the session's streamed stdin, a
// here-document, an in-memory pipe between builtins) is read a byte at a
// time: bytes taken from those cannot be put back.
//
// Imports bytes.ts and exec/ modules (fds, libc, errno, maybe) only.

import * as fs from "node:fs";
import { decodeBytes } from "../bytes.ts";
import { FdError, type FdTarget, readFileInto, readTarget } from "../exec/fds.ts";
import { isSystemError, SystemCallError } from "../exec/errno.ts";
import { SEEK_CUR, seekFd } from "../exec/libc.ts";
import type { Maybe } from "../exec/maybe.ts";

export interface Line {
  /** The bytes before the delimiter as shell text (bytes.ts); continuations joined, other backslashes still there. */
  readonly text: string;
  /** The input ended before the delimiter. */
  readonly eof: boolean;
}

const BACKSLASH = 92;
const NUL = 0;

/** Most lines fit in the first block; for a longer one each further read doubles, up to the cap. */
const FIRST_BLOCK_BYTES = 512;
const MAX_BLOCK_BYTES = 64 * 1024;
const FIRST_LINE_CAPACITY = 64;

/**
 * Every read from a file starts in this block. One for all: it is filled and
 * emptied (decoded, or copied into a builder) within one synchronous call, so
 * no two reads share it; and the usual line is found and decoded in it in
 * place, with no new array or view per line (each costs about as much as the
 * read itself). Its own memory: `Buffer.alloc`, never the shared pool.
 */
const firstBlock = Buffer.alloc(FIRST_BLOCK_BYTES);

/**
 * The first `end` bytes of the block as shell text, or undefined if they hold
 * a NUL (the builder drops it). ASCII, the usual case, is taken straight from
 * the block; anything else goes through decodeBytes.
 */
function decodeInPlace(block: Buffer, end: number, keepsNul: boolean): string | undefined {
  let isAscii = true;
  for (let i = 0; i < end; i++) {
    const byte = block[i] ?? 0;
    if (byte === NUL && !keepsNul) return undefined;
    if (byte >= 0x80) isAscii = false;
  }
  return isAscii ? block.toString("latin1", 0, end) : decodeBytes(block.subarray(0, end));
}

/**
 * The bytes of one line as they arrive, in chunks of any size: ends at the
 * delimiter; without `-r`, a delimiter after an odd number of backslashes
 * is a continuation (both removed, the line goes on); NUL bytes are dropped
 * unless NUL is the delimiter, as dash and bash do (a shell string holds no NUL).
 */
class LineBuilder {
  private bytes = new Uint8Array(0);
  private length = 0;

  constructor(
    private readonly delimiter: number,
    private readonly raw: boolean,
  ) {}

  /** Take `chunk`'s bytes; returns the index just past the delimiter that ends the line, or -1 if the chunk ran out first. */
  take(chunk: Uint8Array): number {
    let from = 0;
    for (;;) {
      const at = chunk.indexOf(this.delimiter, from);
      this.append(chunk.subarray(from, at < 0 ? chunk.length : at));
      if (at < 0) return -1;
      if (!this.continues()) return at + 1;
      from = at + 1;
    }
  }

  line(eof: boolean): Line {
    return { text: decodeBytes(this.bytes.subarray(0, this.length)), eof };
  }

  private append(segment: Uint8Array): void {
    if (segment.length === 0) return;
    const kept = this.delimiter !== NUL && segment.includes(NUL) ? segment.filter((byte) => byte !== NUL) : segment;
    const needed = this.length + kept.length;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2, FIRST_LINE_CAPACITY));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(kept, this.length);
    this.length = needed;
  }

  /** At a delimiter: does an unescaped backslash before it continue the line? If so the backslash goes. */
  private continues(): boolean {
    if (this.raw) return false;
    let count = 0;
    while (count < this.length && this.bytes[this.length - 1 - count] === BACKSLASH) count++;
    if (count % 2 === 0) return false;
    this.length--;
    return true;
  }
}

/**
 * Whether an fd target is a regular file read in blocks, by target: a target
 * stands for one open file for as long as it exists (every open makes a new
 * one), and what kind of file that is never changes. Keyed weakly, so a
 * finished session's targets go with it.
 */
const blockReadable = new WeakMap<FdTarget, boolean>();

function isBlockReadable(target: FdTarget & { readonly kind: "os" }): boolean {
  const known = blockReadable.get(target);
  if (known !== undefined) return known;
  const isFile = target.isFifo !== true && isSeekableFile(target.fd);
  blockReadable.set(target, isFile);
  return isFile;
}

/**
 * lseek(fd, 0, SEEK_CUR) succeeding is not enough: it also succeeds,
 * meaninglessly, on some terminals and character devices, so the file must be
 * a regular one too.
 */
function isSeekableFile(fd: number): boolean {
  try {
    seekFd(fd, 0, SEEK_CUR);
    return fs.fstatSync(fd).isFile();
  } catch (error) {
    // ESPIPE (a pipe or socket), EBADF (not open): read a byte at a time, which reports a bad fd itself.
    if (isSystemError(error)) return false;
    throw error;
  }
}

/**
 * Read one line from `target`; synchronous while the input is. Throws (or
 * rejects with) `FdError` when the target cannot be read.
 */
export function readLine(target: FdTarget | undefined, delimiter: number, raw: boolean): Maybe<Line> {
  if (target?.kind === "os" && isBlockReadable(target)) return readBlocks(target.fd, delimiter, raw);
  return readBytes(target, new LineBuilder(delimiter, raw));
}

/** A regular file: blocks, then the bytes read past the line handed back. */
function readBlocks(fd: number, delimiter: number, raw: boolean): Line {
  const count = readFileInto(fd, firstBlock);
  if (count === 0) return { text: "", eof: true };
  // The usual line: whole in the first block, no continuation, no NUL. (The
  // block holds older bytes past `count`: only a find before it counts.)
  const at = firstBlock.indexOf(delimiter);
  if (at >= 0 && at < count && (raw || at === 0 || firstBlock[at - 1] !== BACKSLASH)) {
    const text = decodeInPlace(firstBlock, at, delimiter === NUL);
    if (text !== undefined) {
      handBack(fd, count - at - 1);
      return { text, eof: false };
    }
  }
  const builder = new LineBuilder(delimiter, raw);
  let end = builder.take(firstBlock.subarray(0, count));
  let last = count;
  for (let size = FIRST_BLOCK_BYTES * 2; end < 0; size = Math.min(size * 2, MAX_BLOCK_BYTES)) {
    const next = new Uint8Array(size);
    last = readFileInto(fd, next);
    if (last === 0) return builder.line(true);
    end = builder.take(next.subarray(0, last));
  }
  handBack(fd, last - end);
  return builder.line(false);
}

/** Move the offset back over `bytes` read past the line: the next reader, here or in another process, starts right after it. */
function handBack(fd: number, bytes: number): void {
  if (bytes === 0) return;
  try {
    seekFd(fd, -bytes, SEEK_CUR);
  } catch (error) {
    // The file was seekable a moment ago; if it no longer is, the input is in error, as a failed read is.
    if (error instanceof SystemCallError) throw new FdError(error.message);
    throw error;
  }
}

function readBytes(target: FdTarget | undefined, builder: LineBuilder): Maybe<Line> {
  for (;;) {
    const chunk = readTarget(target, 1);
    if (chunk instanceof Promise) return chunk.then((byte) => (byte === null ? builder.line(true) : builder.take(byte) >= 0 ? builder.line(false) : readBytes(target, builder)));
    if (chunk === null) return builder.line(true);
    if (builder.take(chunk) >= 0) return builder.line(false);
  }
}
