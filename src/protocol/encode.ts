// msgpack encoding of outgoing messages, written straight into their frame.
// @msgpack/msgpack's Encoder (still the decoder: codec.ts) took `rushd -c`
// ~1 ms to encode its first SessionInit, cold, on every run; this encoder
// knows only the values messages hold (maps, arrays, strings, integers,
// floats, booleans, bytes, nil) and writes the bytes that Encoder wrote for
// them ({ ignoreUndefined: true }: a map leaves out undefined values).
//
// A string that is not well-formed (it holds the shell's escapes for bytes
// that are not UTF-8) goes as ext 1 with the bytes it stands for
// (raw-text.ts); a map key goes as str, with U+FFFD for a lone surrogate.
//
// Imports only the leaf bytes module of the shell (it imports nothing).

import { encodeText } from "../shell/bytes.ts";
import { ProtocolError } from "./errors.ts";
import { HEADER_BYTES, MAX_FRAME_BYTES } from "./frame.ts";
import { RAW_TEXT_EXT_TYPE } from "./raw-text.ts";
import { writeFloat64BE, writeUintBE } from "./byte-order.ts";

const INITIAL_BYTES = 256;
/** Room a grown buffer keeps past what was asked (see reserve). */
const GROWTH_SLACK_BYTES = 1024;
const utf8 = new TextEncoder();

class FrameWriter {
  bytes = new Uint8Array(INITIAL_BYTES);
  at = HEADER_BYTES;

  /** Room for `count` more bytes. */
  reserve(count: number): void {
    const needed = this.at + count;
    if (needed <= this.bytes.length) return;
    // With room to spare: a large field (a Stdout frame's data) may come before small ones (message()
    // adds `type` last), and growing again for those would copy the whole frame.
    const size = Math.max(needed + GROWTH_SLACK_BYTES, this.bytes.length * 2);
    // A large buffer over an ArrayBuffer of its own from the start: the frame leaves as a view of it,
    // and a typed array made without one copies all its bytes into one when first viewed.
    const grown = size > COPY_LIMIT_BYTES ? new Uint8Array(new ArrayBuffer(size)) : new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }

  /** A 64-bit integer (two's complement for a negative one), big-endian, at `at`. */
  private putInt64(at: number, value: number): void {
    const high = Math.floor(value / 0x100000000);
    const low = value - high * 0x100000000;
    writeUintBE(this.bytes, at, 4, high >>> 0);
    writeUintBE(this.bytes, at + 4, 4, low >>> 0);
  }

  /** The frame header: payload length and message id. */
  header(payloadBytes: number, id: number): void {
    writeUintBE(this.bytes, 0, 4, payloadBytes);
    writeUintBE(this.bytes, 4, 4, id);
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.at++] = value;
  }

  /** A one-byte tag, then `value` as an unsigned integer of `size` bytes (1, 2 or 4). */
  tagged(tag: number, size: 1 | 2 | 4, value: number): void {
    this.reserve(1 + size);
    this.bytes[this.at] = tag;
    writeUintBE(this.bytes, this.at + 1, size, value);
    this.at += 1 + size;
  }

  value(value: unknown): void {
    switch (typeof value) {
      // Short ASCII first: it cannot be ill-formed, and most values are (names, paths, `true`).
      case "string":
        if (this.shortAscii(value)) return;
        return value.isWellFormed() ? this.utf8(value) : this.ext(RAW_TEXT_EXT_TYPE, encodeText(value));
      case "number": return Number.isSafeInteger(value) ? this.integer(value) : this.float(value);
      case "boolean": return this.byte(value ? 0xc3 : 0xc2);
      case "undefined": return this.byte(0xc0);
      case "object":
        if (value === null) return this.byte(0xc0);
        if (value instanceof Uint8Array) return this.binary(value);
        if (Array.isArray(value)) return this.array(value);
        return this.map(value as Readonly<Record<string, unknown>>);
      default:
        throw new TypeError(`a message cannot hold a ${typeof value}`);
    }
  }

  /** A str of well-formed `text` through the TextEncoder (what shortAscii could not write). */
  private utf8(text: string): void {
    // At most 3 bytes per UTF-16 unit; the header is sized for that and moved back if shorter.
    const most = text.length * 3;
    const guess = headerBytes(most);
    this.reserve(guess + most);
    const written = utf8.encodeInto(text, this.bytes.subarray(this.at + guess)).written;
    const actual = headerBytes(written);
    if (actual !== guess) this.bytes.copyWithin(this.at + actual, this.at + guess, this.at + guess + written);
    if (actual === 1) {
      this.bytes[this.at] = 0xa0 | written;
    } else {
      this.bytes[this.at] = actual === 2 ? 0xd9 : actual === 3 ? 0xda : 0xdb;
      writeUintBE(this.bytes, this.at + 1, actual === 2 ? 1 : actual === 3 ? 2 : 4, written);
    }
    this.at += actual + written;
  }

  /** A fixstr written unit by unit (keys, names, small values: cheaper than a TextEncoder call); false if `text` is not short ASCII. */
  private shortAscii(text: string): boolean {
    if (text.length >= 32) return false;
    this.reserve(1 + text.length);
    const start = this.at + 1;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return false;
      this.bytes[start + i] = unit;
    }
    this.bytes[this.at] = 0xa0 | text.length;
    this.at = start + text.length;
    return true;
  }

  integer(value: number): void {
    if (value >= 0) {
      if (value < 0x80) return this.byte(value);
      if (value < 0x100) return this.tagged(0xcc, 1, value);
      if (value < 0x10000) return this.tagged(0xcd, 2, value);
      if (value < 0x100000000) return this.tagged(0xce, 4, value);
      this.reserve(9);
      this.bytes[this.at] = 0xcf;
      this.putInt64(this.at + 1, value);
      this.at += 9;
      return;
    }
    if (value >= -0x20) return this.byte(value & 0xff);
    this.reserve(9);
    if (value >= -0x80) {
      this.bytes[this.at] = 0xd0;
      writeUintBE(this.bytes, this.at + 1, 1, value & 0xff);
      this.at += 2;
    } else if (value >= -0x8000) {
      this.bytes[this.at] = 0xd1;
      writeUintBE(this.bytes, this.at + 1, 2, value & 0xffff);
      this.at += 3;
    } else if (value >= -0x80000000) {
      this.bytes[this.at] = 0xd2;
      writeUintBE(this.bytes, this.at + 1, 4, value >>> 0);
      this.at += 5;
    } else {
      this.bytes[this.at] = 0xd3;
      this.putInt64(this.at + 1, value);
      this.at += 9;
    }
  }

  float(value: number): void {
    this.reserve(9);
    this.bytes[this.at] = 0xcb;
    writeFloat64BE(this.bytes, this.at + 1, value);
    this.at += 9;
  }

  binary(data: Uint8Array): void {
    this.binaryHeader(data.length);
    this.reserve(data.length);
    this.bytes.set(data, this.at);
    this.at += data.length;
  }

  /** The bin tag and length of `length` bytes of data, without the data. */
  binaryHeader(length: number): void {
    if (length < 0x100) this.tagged(0xc4, 1, length);
    else if (length < 0x10000) this.tagged(0xc5, 2, length);
    else this.tagged(0xc6, 4, length);
  }

  ext(type: number, data: Uint8Array): void {
    const fixed = FIXEXT_TAGS.get(data.length);
    if (fixed !== undefined) this.byte(fixed);
    else if (data.length < 0x100) this.tagged(0xc7, 1, data.length);
    else if (data.length < 0x10000) this.tagged(0xc8, 2, data.length);
    else this.tagged(0xc9, 4, data.length);
    this.byte(type);
    this.reserve(data.length);
    this.bytes.set(data, this.at);
    this.at += data.length;
  }

  array(items: readonly unknown[]): void {
    if (items.length < 16) this.byte(0x90 | items.length);
    else if (items.length < 0x10000) this.tagged(0xdc, 2, items.length);
    else this.tagged(0xdd, 4, items.length);
    for (const item of items) this.value(item);
  }

  map(map: Readonly<Record<string, unknown>>): void {
    let size = 0;
    for (const key in map) if (map[key] !== undefined) size++;
    if (size < 16) this.byte(0x80 | size);
    else if (size < 0x10000) this.tagged(0xde, 2, size);
    else this.tagged(0xdf, 4, size);
    for (const key in map) {
      const item = map[key];
      if (item === undefined) continue;
      if (!this.shortAscii(key)) this.utf8(key.isWellFormed() ? key : key.toWellFormed());
      this.value(item);
    }
  }
}

/** fixext 1, 2, 4, 8, 16. */
const FIXEXT_TAGS = new Map([[1, 0xd4], [2, 0xd5], [4, 0xd6], [8, 0xd7], [16, 0xd8]]);

function headerBytes(length: number): 1 | 2 | 3 | 5 {
  return length < 32 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : 5;
}

/**
 * One writer for every message: encoding is synchronous and never nested,
 * and a new 256-byte buffer per message was an allocation on every request.
 * A buffer grown past SCRATCH_KEPT_BYTES (a large Stdout frame) is not kept.
 */
const scratch = new FrameWriter();
const SCRATCH_KEPT_BYTES = 64 * 1024;
/** Frames up to this size are copied out of the scratch writer; larger ones take its buffer. */
const COPY_LIMIT_BYTES = 4096;

/** `write` with the scratch writer, reset to an empty frame; a buffer it grew too large is let go after. */
function withScratch(write: (writer: FrameWriter) => Uint8Array): Uint8Array {
  scratch.at = HEADER_BYTES;
  try {
    return write(scratch);
  } finally {
    if (scratch.bytes.length > SCRATCH_KEPT_BYTES) scratch.bytes = new Uint8Array(INITIAL_BYTES);
  }
}

/** A whole frame (header + msgpack payload) for the message `msg`. */
export function encodeMessageFrame(id: number, msg: Readonly<Record<string, unknown>>): Uint8Array {
  return withScratch((writer) => frameOf(writer, id, msg));
}

/** A msgpack map by itself, no frame (a value carried as bytes inside a message: SessionInit.envPacked). */
export function encodeMapPayload(map: Readonly<Record<string, unknown>>): Uint8Array {
  return withScratch((writer) => {
    writer.map(map);
    return writer.bytes.slice(HEADER_BYTES, writer.at);
  });
}

/**
 * The start of a Stdout or Stderr frame, up to its data: the frame header, a
 * map of `type` and `data`, and the bin header for `dataBytes`. The data
 * itself follows on the wire as it is (Connection.sendOutput), so a chunk of
 * output is not copied into a frame. The frame decodes as message(type, { data }).
 */
export function encodeOutputFrameHead(id: number, type: "Stdout" | "Stderr", dataBytes: number): Uint8Array {
  return withScratch((writer) => {
    writer.byte(0x82);
    writer.value("type");
    writer.value(type);
    writer.value("data");
    writer.binaryHeader(dataBytes);
    const payloadBytes = writer.at - HEADER_BYTES + dataBytes;
    if (payloadBytes > MAX_FRAME_BYTES) {
      throw new ProtocolError("FRAME_TOO_LARGE", `frame of ${payloadBytes} bytes exceeds ${MAX_FRAME_BYTES}`);
    }
    writer.header(payloadBytes, id >>> 0);
    return writer.bytes.slice(0, writer.at);
  });
}

function frameOf(writer: FrameWriter, id: number, msg: Readonly<Record<string, unknown>>): Uint8Array {
  writer.map(msg);
  const payloadBytes = writer.at - HEADER_BYTES;
  if (payloadBytes > MAX_FRAME_BYTES) {
    throw new ProtocolError("FRAME_TOO_LARGE", `frame of ${payloadBytes} bytes exceeds ${MAX_FRAME_BYTES}`);
  }
  writer.header(payloadBytes, id >>> 0);
  // A large frame (output) takes the writer's buffer with it, as a view: cheaper than copying it,
  // and the writer starts a small one. A small frame is copied out instead: a view would make the
  // engine materialize the kept buffer's ArrayBuffer (~0.2 µs, more than copying the frame).
  if (writer.at > COPY_LIMIT_BYTES) {
    const frame = writer.bytes.subarray(0, writer.at);
    writer.bytes = new Uint8Array(INITIAL_BYTES);
    return frame;
  }
  return writer.bytes.slice(0, writer.at);
}
