// The session's stdio as seen by the interpreter: output becomes
// Stdout/Stderr frames, input is asked of the client on demand.

import { message, type Connection } from "../protocol/index.ts";
import { type InputSource, type OutputSink, splitFirstLine } from "../shell/index.ts";

/** How much a read-ahead session asks for at a time. */
const READ_AHEAD_BYTES = 64 * 1024;

/** Largest data chunk per frame; keeps frames well under the protocol maximum. */
const MAX_CHUNK_BYTES = 1024 * 1024;

export class FrameSink implements OutputSink {
  constructor(
    private readonly connection: Connection,
    private readonly stream: "Stdout" | "Stderr",
    private readonly requestId: () => number,
  ) {}

  write(chunk: Uint8Array): void | Promise<void> {
    if (this.connection.isClosed || chunk.length === 0) return;
    for (let at = 0; at < chunk.length; at += MAX_CHUNK_BYTES) {
      const data = chunk.length <= MAX_CHUNK_BYTES ? chunk : chunk.subarray(at, at + MAX_CHUNK_BYTES);
      this.connection.sendOutput(this.requestId(), this.stream, data);
    }
    if (this.connection.isBackedUp) return this.connection.whenDrained();
  }
}

/**
 * Stdin forwarded on demand: each read sends StdinWanted and waits for the
 * client's Stdin (at most maxBytes) or StdinEnd. The client reads its own
 * stdin only then, so nothing is consumed that the command did not ask for.
 */
export class RemoteInput implements InputSource {
  private ended = false;
  private waiting: ((chunk: Uint8Array | null) => void) | undefined;
  private wantedBytes = 0;
  /** Bytes a misbehaving client sent beyond what was asked; served to the next read. */
  private surplus: Uint8Array | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private pendingReads = 0;

  constructor(
    private readonly connection: Connection,
    private readonly requestId: () => number,
    /**
     * The client's stdin is this session's alone (the library's input for
     * one command): ask for READ_AHEAD_BYTES at a time and keep what a read
     * did not take, instead of a round trip per byte of `read`. Off for a
     * caller's own stdin (`rushd -c` streaming it), which other processes
     * read after us: nothing beyond what the command read may be taken.
     */
    private readonly readAhead = false,
  ) {}

  read(maxBytes: number): Promise<Uint8Array | null> {
    // Serialize: one StdinWanted in flight at a time keeps the byte order.
    this.pendingReads++;
    const result = this.tail.then(() => this.readOne(maxBytes)).finally(() => {
      this.pendingReads--;
    });
    this.tail = result;
    return result;
  }

  takeLine(delimiter: number): Uint8Array | undefined {
    if (this.surplus === undefined || this.pendingReads > 0) return undefined;
    const { line, rest } = splitFirstLine(this.surplus, delimiter);
    this.surplus = rest;
    return line;
  }

  /** Stdin from the client. */
  deliver(data: Uint8Array): void {
    const resolve = this.waiting;
    if (resolve === undefined || data.length === 0) return; // unrequested or empty: ignore
    this.waiting = undefined;
    if (data.length > this.wantedBytes) {
      this.surplus = data.slice(this.wantedBytes);
      data = data.subarray(0, this.wantedBytes);
    }
    resolve(data);
  }

  /**
   * A new command of a persistent session: its stdin is its own. What the
   * previous command was sent and did not read, and its end, are forgotten.
   */
  reset(): void {
    this.ended = false;
    this.surplus = undefined;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.(null);
  }

  isAtEnd(): boolean {
    return (this.ended || this.connection.isClosed) && this.surplus === undefined && this.pendingReads === 0;
  }

  /** StdinEnd from the client, or the client went away. */
  end(): void {
    this.ended = true;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.(null);
  }

  private readOne(maxBytes: number): Promise<Uint8Array | null> {
    const surplus = this.surplus;
    if (surplus !== undefined) {
      this.surplus = surplus.length > maxBytes ? surplus.slice(maxBytes) : undefined;
      return Promise.resolve(surplus.subarray(0, maxBytes));
    }
    if (this.ended || this.connection.isClosed) return Promise.resolve(null);
    const asked = this.readAhead ? Math.max(maxBytes, READ_AHEAD_BYTES) : maxBytes;
    return new Promise<Uint8Array | null>((resolve) => {
      this.waiting = resolve;
      this.wantedBytes = asked;
      this.connection.send(this.requestId(), message("StdinWanted", { maxBytes: asked }));
    }).then((data) => {
      if (data === null || data.length <= maxBytes) return data;
      this.surplus = data.slice(maxBytes);
      return data.subarray(0, maxBytes);
    });
  }
}
