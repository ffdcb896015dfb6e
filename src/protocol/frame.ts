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

/**
 * Incremental frame parser: feed it socket chunks in order, it returns the
 * complete frames. Keeps at most one partial frame buffered. An oversized
 * length prefix throws at once, before any of the body arrives.
 *
 * A frame that spans chunks is held as the chunks themselves and joined
 * once, when its last byte arrives: joining at every chunk copied a large
 * frame over and over (a 64 KiB Stdout frame in pieces, three times).
 */
export class FrameReader {
  /** Chunks of an unfinished frame (the first starts at its header), not yet joined. */
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Header plus payload of the held frame, once its header is complete. */
  private heldFrameBytes: number | undefined;

  /** `maxFrameBytes`: a peer that only needs small requests (the daemon) gets a smaller limit. */
  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  push(chunk: Uint8Array): Frame[] {
    if (this.held.length === 0) return this.framesOf(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldFrameBytes === undefined && this.heldBytes >= HEADER_BYTES) {
      this.heldFrameBytes = HEADER_BYTES + this.checkedLength(joined(this.held, HEADER_BYTES), 0);
    }
    if (this.heldFrameBytes === undefined || this.heldBytes < this.heldFrameBytes) return [];
    const data = joined(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    this.heldFrameBytes = undefined;
    return this.framesOf(data);
  }

  /** Bytes of an unfinished frame (non-zero at end of stream means it was truncated). */
  get pendingBytes(): number {
    return this.heldBytes;
  }

  /** The whole frames of `data` (which starts at a frame); what is left of an unfinished one is held. */
  private framesOf(data: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    let at = 0;
    while (data.length - at >= HEADER_BYTES) {
      const length = this.checkedLength(data, at);
      if (data.length - at < HEADER_BYTES + length) break;
      const id = readUintBE(data, at + 4, 4);
      frames.push({ id, payload: payloadOf(data, at + HEADER_BYTES, length) });
      at += HEADER_BYTES + length;
    }
    if (at < data.length) {
      // A view: `data` is a chunk Bun gave this event alone, or a join of our own.
      const rest = data.subarray(at);
      this.held = [rest];
      this.heldBytes = rest.length;
      this.heldFrameBytes = rest.length >= HEADER_BYTES ? HEADER_BYTES + this.checkedLength(rest, 0) : undefined;
    }
    return frames;
  }

  private checkedLength(data: Uint8Array, at: number): number {
    const length = readUintBE(data, at, 4);
    if (length > this.maxFrameBytes) {
      throw new ProtocolError("FRAME_TOO_LARGE", `frame length ${length} exceeds the maximum of ${this.maxFrameBytes} bytes`);
    }
    return length;
  }
}

/** Payloads up to this size are copied out of their chunk; larger ones are views of it. */
const COPY_LIMIT_BYTES = 4096;

/**
 * A payload, used after push() returns (and the msgpack `bin` fields decoded
 * from it, views into it). A small one is copied: a view of a plain array
 * (a join, the Node transport's wrapper) makes the engine materialize the
 * array's ArrayBuffer, which costs more than copying a few bytes; on the
 * Buffer Bun hands each data event, slice is a view anyway. A large one (a
 * Stdout frame) is a view: copying it cost more than anything else the
 * client did with output.
 */
function payloadOf(data: Uint8Array, start: number, length: number): Uint8Array {
  return length > COPY_LIMIT_BYTES ? data.subarray(start, start + length) : data.slice(start, start + length);
}

/**
 * The first `bytes` bytes of `chunks`, as one new array over an ArrayBuffer
 * of its own (its views then cost nothing more). The largest chunk lands at
 * the offset modulo 64 it has in its own buffer: glibc's memmove (rep movsb)
 * on AMD CPUs runs ~15 times slower between buffers not so aligned to each other.
 */
function joined(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  let largest = 0;
  let largestAt = 0;
  for (let i = 0, at = 0; i < chunks.length && at < bytes; at += (chunks[i] as Uint8Array).length, i++) {
    if ((chunks[i] as Uint8Array).length > (chunks[largest] as Uint8Array).length) {
      largest = i;
      largestAt = at;
    }
  }
  const pad = (((chunks[largest] as Uint8Array).byteOffset - largestAt) % 64 + 64) % 64;
  const out = new Uint8Array(new ArrayBuffer(pad + bytes), pad, bytes);
  let at = 0;
  for (const chunk of chunks) {
    if (at >= bytes) break;
    const part = chunk.length <= bytes - at ? chunk : chunk.subarray(0, bytes - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}
