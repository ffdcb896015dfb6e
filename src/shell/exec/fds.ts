// The shell's file descriptors. Each shell fd number maps to a target: a
// real OS fd (files opened by redirections, the CLI's 0/1/2, OS pipes between
// external commands), a JS sink or source (the worker's stdio, in-memory pipes
// between builtins, captures of `$(…)`, here-documents), or /dev/null.
//
// Imports `io.ts` types and `control-flow.ts` only.

import * as fs from "node:fs";
import type { InputSource, OutputSink } from "../io.ts";
import { decodeShellText } from "../bytes.ts";
import { lineEnd, splitFirstLine } from "../line-end.ts";
import { BrokenPipeFlow } from "./control-flow.ts";
import { errnoCode, isSystemError } from "./errno.ts";
import type { IoWaits } from "./io-waits.ts";
import { isReadableNow, readFd } from "./libc.ts";
import { type StreamKind, streamKindOf, type WaitingStreamKind, writeWithoutWaiting } from "./stream-write.ts";

/** Something bytes can be read from; `read` never returns more than asked. */
export interface ByteSource {
  read(maxBytes: number): Promise<Uint8Array | null>;
  /** Bytes available now (null at end of input), or undefined when a read would have to wait. */
  readNow?(maxBytes: number): Uint8Array | null | undefined;
  /**
   * As readNow, but at most up to and with the first `delimiter` among the
   * bytes there: what `read` may take of an in-memory pipe without taking
   * anything past its line, in one piece.
   */
  readLineNow?(delimiter: number): Uint8Array | null | undefined;
  /** Every read would now resolve null (InputSource.isAtEnd). */
  isAtEnd?(): boolean;
}

export type FdTarget =
  /**
   * `isFifo`: a FIFO opened by a redirection. Reading or writing it may wait for
   * another process (maybe a job of this very shell), so it is done on the
   * thread pool, never with the event loop stopped.
   */
  | { readonly kind: "os"; readonly fd: number; readonly isFifo?: boolean }
  | { readonly kind: "sink"; readonly sink: OutputSink }
  | { readonly kind: "source"; readonly source: ByteSource }
  | { readonly kind: "null" };

export type FdTable = Map<number, FdTarget>;

export const NULL_TARGET: FdTarget = { kind: "null" };

/** Bad fd, or reading from an output: the builtin reports it and fails. */
export class FdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FdError";
  }
}

/** Swallow an FdError (a message that cannot be written has nowhere to go); rethrow anything else. */
export function ignoreFdError(error: unknown): void {
  if (!(error instanceof FdError)) throw error;
}

// Strings to bytes and back keep raw bytes (see bytes.ts).
export { encodeText } from "../bytes.ts";

function isWouldBlock(error: unknown): boolean {
  return errnoCode(error) === "EAGAIN";
}

function isBrokenPipe(error: unknown): boolean {
  return errnoCode(error) === "EPIPE";
}

function writeAsync(fd: number, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.write(fd, data, (error, written) => {
      if (error !== null) reject(isBrokenPipe(error) ? new BrokenPipeFlow() : isSystemError(error) ? new FdError("I/O error") : error);
      else if (written < data.length) writeAsync(fd, data.subarray(written)).then(resolve, reject);
      else resolve();
    });
  });
}

/** Write all of `data` to an OS fd; synchronous unless the fd is non-blocking and full. */
function writeOs(fd: number, data: Uint8Array): void | Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      if (isWouldBlock(error)) return writeAsync(fd, data.subarray(offset));
      if (isBrokenPipe(error)) throw new BrokenPipeFlow();
      // EBADF (an fd open for reading only), EIO, ENOSPC: the writer reports it, as dash does.
      if (isSystemError(error)) throw new FdError("I/O error");
      throw error;
    }
  }
}

/**
 * How each OS target is written (stream-write.ts), found once: a target
 * stands for one open file for as long as it exists. "other" (a regular
 * file, a memory device such as /dev/null) is written with write(2) as it is.
 */
const writeKinds = new WeakMap<FdTarget, StreamKind>();

/** A pipe, socket or terminal the shell did not make: written without waiting in write(2) (stream-write.ts). */
function writeStream(target: FdTarget & { kind: "os" }, kind: WaitingStreamKind, data: Uint8Array, waits: IoWaits | undefined): void | Promise<void> {
  const failed = (error: unknown): never | void | Promise<void> => {
    const code = errnoCode(error);
    if (code === "EPIPE") throw new BrokenPipeFlow();
    // A kernel without RWF_NOWAIT for pipes: nothing was written; write(2) as before.
    if (code === "EOPNOTSUPP" || code === "ENOTSUP") {
      writeKinds.set(target, "other");
      return writeOs(target.fd, data);
    }
    if (code !== undefined) throw new FdError("I/O error");
    throw error; // a signal's death, or a bug
  };
  try {
    const written = writeWithoutWaiting(target.fd, kind, data, waits);
    return written instanceof Promise ? written.catch(failed) : written;
  } catch (error) {
    return failed(error);
  }
}

/**
 * Write bytes to an fd target. A closed fd, or one open for reading, is
 * dash's "I/O error" (its flush fails). `waits`: the shell's, for a write
 * that has to wait for room (a signal that ends the shell cuts it short).
 */
export function writeTarget(target: FdTarget | undefined, data: Uint8Array, waits?: IoWaits): void | Promise<void> {
  if (target === undefined) throw new FdError("I/O error");
  switch (target.kind) {
    case "os": {
      if (target.isFifo === true) return writeAsync(target.fd, data);
      let kind = writeKinds.get(target);
      if (kind === undefined) {
        kind = streamKindOf(target.fd);
        writeKinds.set(target, kind);
      }
      return kind === "other" ? writeOs(target.fd, data) : writeStream(target, kind, data, waits);
    }
    case "sink":
      return target.sink.write(data);
    case "null":
      return;
    case "source":
      throw new FdError("I/O error");
  }
}

function readAsync(fd: number, maxBytes: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const buffer = new Uint8Array(maxBytes);
    fs.read(fd, buffer, 0, maxBytes, null, (error, bytesRead) => {
      if (error !== null) reject(error);
      else resolve(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
    });
  });
}

/** EISDIR, EBADF (an fd open for writing only), EIO…: the reader reports or fails. Anything else is a bug. */
function asFdError(error: unknown): never {
  if (error instanceof Error && isSystemError(error)) throw new FdError(error.message);
  throw error;
}

/**
 * Read into `buffer` from an fd open on a regular file (such a read never
 * waits); returns the count, 0 at end of file. Throws `FdError` (EBADF for an
 * fd open for writing only, EIO).
 */
export function readFileInto(fd: number, buffer: Uint8Array): number {
  try {
    return readFd(fd, buffer);
  } catch (error) {
    return asFdError(error);
  }
}

/** Read at most `maxBytes` from an fd target; null at end of input. */
export function readTarget(target: FdTarget | undefined, maxBytes: number): Uint8Array | null | Promise<Uint8Array | null> {
  if (target === undefined) throw new FdError("Bad file descriptor");
  switch (target.kind) {
    case "os": {
      if (target.isFifo === true && !isReadableNow(target.fd)) return readAsync(target.fd, maxBytes).catch(asFdError);
      const buffer = new Uint8Array(maxBytes);
      try {
        const bytesRead = fs.readSync(target.fd, buffer, 0, maxBytes, null);
        return bytesRead === 0 ? null : buffer.subarray(0, bytesRead);
      } catch (error) {
        if (isWouldBlock(error)) return readAsync(target.fd, maxBytes);
        return asFdError(error);
      }
    }
    case "source": {
      const now = target.source.readNow?.(maxBytes);
      return now === undefined ? target.source.read(maxBytes) : now;
    }
    case "null":
      return null;
    case "sink":
      throw new FdError("Bad file descriptor");
  }
}

/** A here-document or here-string: bytes read from memory. */
export class BytesSource implements ByteSource {
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}

  read(maxBytes: number): Promise<Uint8Array | null> {
    return Promise.resolve(this.readNow(maxBytes));
  }

  readNow(maxBytes: number): Uint8Array | null {
    if (this.offset >= this.data.length) return null;
    const chunk = this.data.subarray(this.offset, this.offset + maxBytes);
    this.offset += chunk.length;
    return chunk;
  }
}

/**
 * The session's stdin. A pump feeding an external command stops when the
 * command exits; a read still in flight then is adopted here, so its bytes go
 * to the next reader instead of being lost.
 */
export class SessionInput implements ByteSource {
  private leftover: Uint8Array | null = null;
  private inFlight: Promise<Uint8Array | null> | null = null;
  constructor(private readonly source: InputSource) {}

  async read(maxBytes: number): Promise<Uint8Array | null> {
    if (this.leftover === null && this.inFlight !== null) {
      const pending = this.inFlight;
      this.inFlight = null;
      this.leftover = await pending;
      if (this.leftover === null) return null;
    }
    if (this.leftover !== null) {
      const chunk = this.leftover.subarray(0, maxBytes);
      this.leftover = chunk.length < this.leftover.length ? this.leftover.subarray(chunk.length) : null;
      return chunk;
    }
    const chunk = await this.source.read(maxBytes);
    if (chunk === null || chunk.length <= maxBytes) return chunk;
    this.leftover = chunk.subarray(maxBytes);
    return chunk.subarray(0, maxBytes);
  }

  /** What has arrived already, up to and with its first `delimiter` (ByteSource.readLineNow); undefined if nothing has. */
  readLineNow(delimiter: number): Uint8Array | undefined {
    if (this.leftover === null) return this.inFlight === null ? this.source.takeLine?.(delimiter) : undefined;
    const { line, rest } = splitFirstLine(this.leftover, delimiter);
    this.leftover = rest ?? null;
    return line;
  }

  isAtEnd(): boolean {
    return this.leftover === null && this.inFlight === null && this.source.isAtEnd?.() === true;
  }

  /** A new run of a persistent session: its input is its own, and nothing of the last one's is kept. */
  forget(): void {
    this.leftover = null;
    this.inFlight = null;
  }

  /** Bytes a command took and did not read (session-input-pump.ts): the next reader gets them first, in this order. */
  unread(chunks: readonly Uint8Array[]): void {
    const bytes = chunks.filter((chunk) => chunk.length > 0);
    if (bytes.length === 0) return;
    if (this.leftover !== null) bytes.push(this.leftover);
    this.leftover = bytes.length === 1 ? (bytes[0] as Uint8Array) : Buffer.concat(bytes);
  }

  /** Keep the result of an abandoned read for the next reader. */
  adopt(pending: Promise<Uint8Array | null>): void {
    this.inFlight = pending;
  }
}

const CHANNEL_HIGH_WATER_BYTES = 64 * 1024;

/**
 * An in-memory pipe between two in-process pipeline stages, with
 * backpressure: a write resolves once the buffer is under the high-water
 * mark. Writing after the reader closed throws `BrokenPipeFlow`.
 */
export class Channel {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private writerClosed = false;
  private readerClosed = false;
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;

  readonly writer: OutputSink = { write: (chunk) => this.write(chunk) };
  readonly reader: ByteSource = {
    read: (maxBytes) => this.read(maxBytes),
    readNow: (maxBytes) => this.readNow(maxBytes),
    readLineNow: (delimiter) => this.readLineNow(delimiter),
  };

  private write(chunk: Uint8Array): void | Promise<void> {
    if (this.readerClosed) throw new BrokenPipeFlow();
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.wake();
    if (this.buffered <= CHANNEL_HIGH_WATER_BYTES) return;
    return new Promise<void>((resolve) => {
      this.wakeWriter = resolve;
    }).then(() => {
      if (this.readerClosed && this.buffered > 0) throw new BrokenPipeFlow();
    });
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = null;
    wake?.();
  }

  private async read(maxBytes: number): Promise<Uint8Array | null> {
    for (;;) {
      const now = this.readNow(maxBytes);
      if (now !== undefined) return now;
      await new Promise<void>((resolve) => {
        this.wakeReader = resolve;
      });
    }
  }

  /** Buffered bytes, coalesced up to `maxBytes` (small writes become one chunk for the reader). */
  private readNow(maxBytes: number): Uint8Array | null | undefined {
    if (this.chunks.length === 0) return this.writerClosed || this.readerClosed ? null : undefined;
    const first = this.chunks[0] ?? new Uint8Array(0);
    let chunk: Uint8Array;
    if (first.length >= maxBytes) {
      chunk = first.subarray(0, maxBytes);
      if (first.length > maxBytes) this.chunks[0] = first.subarray(maxBytes);
      else this.chunks.shift();
    } else {
      const size = Math.min(maxBytes, this.buffered);
      chunk = new Uint8Array(size);
      let filled = 0;
      while (filled < size) {
        const next = this.chunks[0];
        if (next === undefined) break;
        const take = Math.min(next.length, size - filled);
        chunk.set(next.subarray(0, take), filled);
        filled += take;
        if (take < next.length) this.chunks[0] = next.subarray(take);
        else this.chunks.shift();
      }
    }
    this.buffered -= chunk.length;
    if (this.buffered <= CHANNEL_HIGH_WATER_BYTES) this.releaseWriter();
    return chunk;
  }

  /** The first buffered chunk up to and with its first `delimiter` (all of it if it has none). */
  private readLineNow(delimiter: number): Uint8Array | null | undefined {
    const first = this.chunks[0];
    if (first === undefined) return this.writerClosed || this.readerClosed ? null : undefined;
    return this.readNow(lineEnd(first, delimiter));
  }

  private releaseWriter(): void {
    const wake = this.wakeWriter;
    this.wakeWriter = null;
    wake?.();
  }

  /** The writing stage is done: the reader sees end of input after the buffered bytes. */
  closeWriter(): void {
    this.writerClosed = true;
    this.wake();
  }

  /** The reading stage is done: further writes break. */
  closeReader(): void {
    this.readerClosed = true;
    this.chunks.length = 0;
    this.buffered = 0;
    this.releaseWriter();
    this.wake();
  }
}

/** Collects the output of `$(…)`: the bytes, decoded once at the end (bytes that are not UTF-8 survive). */
export class CaptureSink implements OutputSink {
  private readonly chunks: Uint8Array[] = [];

  write(chunk: Uint8Array): void {
    // Writers never reuse a chunk they gave away (OutputSink), so keeping it is safe.
    this.chunks.push(chunk);
  }

  /** The output as shell text. NUL bytes are dropped, as dash drops them: a shell string cannot hold one (nor can an argument or environment value). */
  finish(): string {
    const [only] = this.chunks;
    const bytes = this.chunks.length <= 1 ? only : Buffer.concat(this.chunks);
    if (bytes === undefined) return "";
    return decodeShellText(bytes);
  }
}

/** Close an OS fd we own. */
export function closeOsFd(fd: number): void {
  fs.closeSync(fd);
}
