// Framing: `u32 payload length (big-endian) | u32 message id | payload`.
// The id ties replies to the request they answer (an Execute's output and
// result carry its id). Frames never exceed MAX_FRAME_BYTES; larger output is
// sent as several Stdout/Stderr frames.

import { ProtocolError } from "./errors.ts";
import { readUintBE, writeUintBE } from "./byte-order.ts";

export const HEADER_BYTES = 8;
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface Frame {
  readonly id: number;
  readonly payload: Uint8Array;
}

export function encodeFrame(id: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_FRAME_BYTES) {
    throw new ProtocolError("FRAME_TOO_LARGE", `frame of ${payload.length} bytes exceeds ${MAX_FRAME_BYTES}`);
  }
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  writeUintBE(out, 0, 4, payload.length);
  writeUintBE(out, 4, 4, id >>> 0);
  out.set(payload, HEADER_BYTES);
  return out;
}

const EMPTY = new Uint8Array(0);

/**
 * Incremental frame parser: feed it socket chunks in order, it returns the
 * complete frames. Keeps at most one partial frame buffered. An oversized
 * length prefix throws at once, before any of the body arrives.
 */
export class FrameReader {
  private buffer: Uint8Array = EMPTY;

  /** `maxFrameBytes`: a peer that only needs small requests (the daemon) gets a smaller limit. */
  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): Frame[] {
    const data = this.buffer.length === 0 ? chunk : concat(this.buffer, chunk);
    const frames: Frame[] = [];
    let at = 0;
    while (data.length - at >= HEADER_BYTES) {
      const length = readUintBE(data, at, 4);
      if (length > this.maxFrameBytes) {
        throw new ProtocolError("FRAME_TOO_LARGE", `frame length ${length} exceeds the maximum of ${this.maxFrameBytes} bytes`);
      }
      if (data.length - at < HEADER_BYTES + length) break;
      const id = readUintBE(data, at + 4, 4);
      // Payloads (and the msgpack `bin` fields decoded from them, views into them) are used
      // after this call. `slice` copies a plain array (a chunk joined to a remainder, the Node
      // transport's wrapper), where a view would make the engine materialize the array's
      // ArrayBuffer; on the Buffer Bun hands each data event it is a view (Buffer's slice),
      // which holds because Bun gives every event a buffer of its own.
      frames.push({ id, payload: data.slice(at + HEADER_BYTES, at + HEADER_BYTES + length) });
      at += HEADER_BYTES + length;
    }
    this.buffer = at === data.length ? EMPTY : data.slice(at);
    return frames;
  }

  /** Bytes of an unfinished frame (non-zero at end of stream means it was truncated). */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
