// One line of input for the `read` builtin, consuming nothing past it: the
// next command reads on from just after the delimiter (`read l; cat`, the body
// of a `while read` loop, the caller of `rushd -c` once it is done).
//
// A regular file is read a block at a time, and what was read past the line
// is handed back by moving the fd's offset back (lseek), so the offset ends
// exactly where a byte-at-a-time read would have left it, for this shell and
// for every process sharing the open file (a `rushd -c` caller's stdin reaches
// the worker as the same open file, passed with SCM_RIGHTS). bash does the
// same; dash reads a byte at a time everywhere. Any other fd (a pipe, FIFO,
// socket, terminal) is read-stream.ts's. What is not an fd and has its bytes
// at hand (an in-memory pipe between stages, the library's read-ahead stdin)
// hands over what it holds up to the delimiter (ByteSource.readLineNow);
// anything else (a here-document, stdin streamed from a `rushd -c` caller)
// is read a byte at a time: bytes taken from those cannot be put back.
//
// Imports exec/ modules (fds, libc, errno, maybe, io-waits), line-builder.ts and read-stream.ts only.

import * as fs from "node:fs";
import { type ByteSource, FdError, type FdTarget, readFileInto, readTarget } from "../exec/fds.ts";
import { isSystemError, SystemCallError } from "../exec/errno.ts";
import { SEEK_CUR, seekFd } from "../exec/libc.ts";
import type { Maybe } from "../exec/maybe.ts";
import { BACKSLASH, decodeInPlace, type Line, LineBuilder, NUL } from "./line-builder.ts";
import type { IoWaits } from "../exec/io-waits.ts";
import { readStream } from "./read-stream.ts";

export type { Line } from "./line-builder.ts";

/** Most lines fit in the first block; for a longer one each further read doubles, up to the cap. */
const FIRST_BLOCK_BYTES = 512;
const MAX_BLOCK_BYTES = 64 * 1024;

/**
 * Every read from a file starts in this block. One for all: it is filled and
 * emptied (decoded, or copied into a builder) within one synchronous call, so
 * no two reads share it; and the usual line is found and decoded in it in
 * place, with no new array or view per line (each costs about as much as the
 * read itself). Its own memory: `Buffer.alloc`, never the shared pool.
 */
const firstBlock = Buffer.alloc(FIRST_BLOCK_BYTES);

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
export function readLine(target: FdTarget | undefined, delimiter: number, raw: boolean, waits: IoWaits): Maybe<Line> {
  if (target?.kind === "os") return isBlockReadable(target) ? readBlocks(target.fd, delimiter, raw) : readStream(target, new LineBuilder(delimiter, raw), waits);
  if (target?.kind === "source" && target.source.readLineNow !== undefined) return readSourceLines(target.source, new LineBuilder(delimiter, raw));
  return readBytes(target, new LineBuilder(delimiter, raw));
}

/** An in-memory pipe (`cmd | while read l`): each piece up to a delimiter taken whole, never past it. */
function readSourceLines(source: ByteSource, builder: LineBuilder): Maybe<Line> {
  for (;;) {
    const piece = source.readLineNow?.(builder.delimiter);
    if (piece === undefined) {
      // Nothing there yet: wait for a byte, then take pieces again.
      return source.read(1).then((byte) => (byte === null ? builder.line(true) : builder.take(byte) >= 0 ? builder.line(false) : readSourceLines(source, builder)));
    }
    if (piece === null) return builder.line(true);
    if (builder.take(piece) >= 0) return builder.line(false);
  }
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
