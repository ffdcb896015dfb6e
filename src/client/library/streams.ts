// The streams of a spawned command. Output is an async iterable of chunks
// whose producer waits while more than HIGH_WATER_BYTES are unread, so a
// slow consumer holds the command back (the worker link pauses its socket,
// the worker's pipe fills, the command blocks in write). Stdin is written
// chunk by chunk and each write resolves once the command took it.

import { concatBytes } from "../../common/concat-bytes.ts";

const HIGH_WATER_BYTES = 64 * 1024;

export class OutputStream implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;
  private failure: Error | undefined;
  private wakeReader: (() => void) | undefined;
  private wakeWriters: (() => void)[] = [];

  /** Producer: resolves when the consumer has room again. */
  push(chunk: Uint8Array): void | Promise<void> {
    if (this.ended) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.wake();
    if (this.buffered <= HIGH_WATER_BYTES) return;
    return new Promise((resolve) => this.wakeWriters.push(resolve));
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.wake();
  }

  /** All of it as one buffer (for a consumer that wants the whole output). */
  async bytes(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for await (const chunk of this) parts.push(chunk);
    return concatBytes(parts);
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.buffered -= chunk.length;
        if (this.buffered <= HIGH_WATER_BYTES) this.releaseWriters();
        yield chunk;
        continue;
      }
      if (this.ended) {
        this.releaseWriters();
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = undefined;
    wake?.();
  }

  private releaseWriters(): void {
    for (const release of this.wakeWriters.splice(0)) release();
  }
}

/** A command's stdin, written by the caller. */
export class CommandStdin implements AsyncIterable<Uint8Array> {
  private readonly chunks: { data: Uint8Array; taken: () => void }[] = [];
  private ended = false;
  private wakeReader: (() => void) | undefined;

  /** Resolves once the command has taken the chunk. */
  write(data: string | Uint8Array): Promise<void> {
    if (this.ended) return Promise.reject(new Error("write after end of the command's stdin"));
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    return new Promise((taken) => {
      this.chunks.push({ data: bytes, taken });
      this.wakeReader?.();
    });
  }

  /** End of input: the command reads end of file after what was written. */
  end(): void {
    this.ended = true;
    this.wakeReader?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      const next = this.chunks.shift();
      if (next !== undefined) {
        next.taken();
        yield next.data;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
      this.wakeReader = undefined;
    }
  }
}
