// The bytes of one line for `read`, taken in chunks of any size from any kind
// of input (read-line.ts, read-stream.ts).
//
// Imports bytes.ts only.

import { decodeBytes } from "../bytes.ts";

export interface Line {
  /** The bytes before the delimiter as shell text (bytes.ts); continuations joined, other backslashes still there. */
  readonly text: string;
  /** The input ended before the delimiter (or a signal interrupted the read, as it does dash's read(2)). */
  readonly eof: boolean;
}

export const BACKSLASH = 92;
export const NUL = 0;
const FIRST_LINE_CAPACITY = 64;

/**
 * The first `end` bytes of the block as shell text, or undefined if they hold
 * a NUL (the builder drops it). ASCII, the usual case, is taken straight from
 * the block; anything else goes through decodeBytes.
 */
export function decodeInPlace(block: Buffer, end: number, keepsNul: boolean): string | undefined {
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
export class LineBuilder {
  private bytes = new Uint8Array(0);
  private length = 0;

  constructor(
    readonly delimiter: number,
    readonly raw: boolean,
  ) {}

  /** Nothing taken yet. */
  get isEmpty(): boolean {
    return this.length === 0;
  }

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

