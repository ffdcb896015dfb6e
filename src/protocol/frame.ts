// Framing: `u32 payload length (big-endian) | u32 message id | payload`.
// The id ties replies to the request they answer (an Execute's output and
// result carry its id). Frames never exceed MAX_FRAME_BYTES; larger output is
// sent as several Stdout/Stderr frames.

import { ProtocolError } from "./errors.ts";

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
  writeUint32(out, 0, payload.length);
  writeUint32(out, 4, id >>> 0);
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * Incremental frame parser: feed it socket chunks in order, it returns the
 * complete frames. Keeps at most one partial frame buffered. An oversized
 * length prefix throws at once, before any of the body arrives.
 */
const EMPTY = new Uint8Array(0);

export class FrameReader {
  private buffer: Uint8Array = EMPTY;

  /** `maxFrameBytes`: a peer that only needs small requests (the daemon) gets a smaller limit. */
  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): Frame[] {
    const data = this.buffer.length === 0 ? chunk : concat(this.buffer, chunk);
    const frames: Frame[] = [];
    let at = 0;
    while (data.length - at >= HEADER_BYTES) {
      const length = readUint32(data, at);
      if (length > this.maxFrameBytes) {
        throw new ProtocolError("FRAME_TOO_LARGE", `frame length ${length} exceeds the maximum of ${this.maxFrameBytes} bytes`);
      }
      if (data.length - at < HEADER_BYTES + length) break;
      const id = readUint32(data, at + 4);
      // A copy per frame: payloads (and the msgpack `bin` fields decoded from them, views
      // into them) are used after this call, while the socket layer may reuse `chunk`.
      // (A slice is also cheaper than a view: a view of a fresh array makes the engine
      // materialize its ArrayBuffer.)
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

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] as number) * 0x1000000) + (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
