// The session's stdio as seen by the interpreter: output becomes
// Stdout/Stderr frames, input is asked of the client on demand.

import { message, type Connection } from "../protocol/index.ts";
import type { InputSource, OutputSink } from "../shell/index.ts";

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
      this.connection.sendBatched(this.requestId(), message(this.stream, { data }));
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

  constructor(
    private readonly connection: Connection,
    private readonly requestId: () => number,
  ) {}

  read(maxBytes: number): Promise<Uint8Array | null> {
    // Serialize: one StdinWanted in flight at a time keeps the byte order.
    const result = this.tail.then(() => this.readOne(maxBytes));
    this.tail = result;
    return result;
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
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.wantedBytes = maxBytes;
      this.connection.send(this.requestId(), message("StdinWanted", { maxBytes }));
    });
  }
}
