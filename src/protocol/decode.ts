// msgpack decoding of incoming payloads, for codec.ts to validate. Reads
// what @msgpack/msgpack's Decoder read (which `rushd -c` paid ~0.3 ms for on
// every run: loading it, and its cold first decodes): every msgpack type;
// maps with string (or number) keys, never `__proto__`; 64-bit integers as
// numbers; bin as a view into the payload; ext 1 as the string of the bytes
// it carries (raw-text.ts); any other ext as an UnknownExt, which no field
// kind accepts. Anything malformed (truncated, trailing bytes, 0xc1) throws
// a MsgpackError.
//
// Imports only the leaf bytes module of the shell (it imports nothing).

import { decodeBytes } from "../shell/bytes.ts";
import { RAW_TEXT_EXT_TYPE } from "./raw-text.ts";
import { readFloatBE, readUintBE } from "./byte-order.ts";

export class MsgpackError extends Error {
  override readonly name = "MsgpackError";
}

/** An ext of a type the protocol does not use. */
export class UnknownExt {
  constructor(readonly type: number, readonly data: Uint8Array) {}
}

// ignoreBOM: a leading U+FEFF is part of the string (TextDecoder drops it by default).
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
/** Strings up to this many bytes are decoded in JavaScript when they are ASCII (a TextDecoder call costs more). */
const SHORT_STRING_BYTES = 32;

class PayloadReader {
  at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The next `size` bytes as a big-endian unsigned integer. */
  uint(size: 1 | 2 | 4): number {
    return readUintBE(this.bytes, this.take(size), size);
  }

  /** The next `size` bytes as a big-endian two's complement integer. */
  int(size: 1 | 2 | 4): number {
    const value = this.uint(size);
    const bound = 2 ** (8 * size - 1);
    return value >= bound ? value - 2 * bound : value;
  }

  float(size: 4 | 8): number {
    return readFloatBE(this.bytes, this.take(size), size);
  }

  /** Where the next `count` bytes start; throws if the payload ends before them. */
  take(count: number): number {
    const start = this.at;
    if (start + count > this.bytes.length) throw new MsgpackError(`payload truncated at byte ${start} (${count} more wanted)`);
    this.at = start + count;
    return start;
  }

  value(): unknown {
    const tag = this.bytes[this.take(1)] as number;
    if (tag < 0x80) return tag;
    if (tag < 0x90) return this.map(tag & 0x0f);
    if (tag < 0xa0) return this.array(tag & 0x0f);
    if (tag < 0xc0) return this.string(tag & 0x1f);
    if (tag >= 0xe0) return tag - 0x100;
    switch (tag) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.binary(this.uint(1));
      case 0xc5: return this.binary(this.uint(2));
      case 0xc6: return this.binary(this.uint(4));
      case 0xc7: return this.ext(this.uint(1));
      case 0xc8: return this.ext(this.uint(2));
      case 0xc9: return this.ext(this.uint(4));
      case 0xca: return this.float(4);
      case 0xcb: return this.float(8);
      case 0xcc: return this.uint(1);
      case 0xcd: return this.uint(2);
      case 0xce: return this.uint(4);
      case 0xcf: return this.uint(4) * 0x100000000 + this.uint(4);
      case 0xd0: return this.int(1);
      case 0xd1: return this.int(2);
      case 0xd2: return this.int(4);
      case 0xd3: return this.int(4) * 0x100000000 + this.uint(4);
      case 0xd4: return this.ext(1);
      case 0xd5: return this.ext(2);
      case 0xd6: return this.ext(4);
      case 0xd7: return this.ext(8);
      case 0xd8: return this.ext(16);
      case 0xd9: return this.string(this.uint(1));
      case 0xda: return this.string(this.uint(2));
      case 0xdb: return this.string(this.uint(4));
      case 0xdc: return this.array(this.uint(2));
      case 0xdd: return this.array(this.uint(4));
      case 0xde: return this.map(this.uint(2));
      case 0xdf: return this.map(this.uint(4));
      default: throw new MsgpackError(`byte 0x${tag.toString(16)} at ${this.at - 1} starts no msgpack value`);
    }
  }

  string(length: number): string {
    const start = this.take(length);
    if (length <= SHORT_STRING_BYTES) return shortString(this.bytes, start, length) ?? utf8.decode(this.bytes.subarray(start, start + length));
    return utf8.decode(this.bytes.subarray(start, start + length));
  }

  binary(length: number): Uint8Array {
    const start = this.take(length);
    return this.bytes.subarray(start, start + length);
  }

  ext(length: number): unknown {
    const type = this.int(1);
    const data = this.binary(length);
    return type === RAW_TEXT_EXT_TYPE ? decodeBytes(data) : new UnknownExt(type, data);
  }

  array(length: number): unknown[] {
    // Each item takes at least a byte: a length beyond what is left is malformed (and must not allocate).
    if (length > this.bytes.length - this.at) throw new MsgpackError(`array of ${length} items in ${this.bytes.length - this.at} bytes`);
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) items.push(this.value());
    return items;
  }

  map(size: number): Record<string, unknown> {
    if (size > this.bytes.length - this.at) throw new MsgpackError(`map of ${size} entries in ${this.bytes.length - this.at} bytes`);
    const map: Record<string, unknown> = {};
    for (let i = 0; i < size; i++) {
      const key = this.value();
      if (typeof key !== "string" && typeof key !== "number") throw new MsgpackError(`a map key must be a string or a number, not ${typeof key}`);
      if (key === "__proto__") throw new MsgpackError("the map key __proto__ is not allowed");
      map[key] = this.value();
    }
    return map;
  }
}

/**
 * Short ASCII strings seen before (map keys, message types, a cwd, `true`),
 * by a hash of their bytes. A string built a character at a time is a rope
 * that the engine must flatten and intern when it becomes a property key;
 * handing back the same string as last time skips both (decoding a
 * SessionInit went from 1.2 µs to ~0.5 µs). Bounded: cleared when full.
 */
const SHORT_STRINGS_KEPT = 4096;
const shortStrings = new Map<number, string>();

/** The ASCII string at bytes[start, start+length), or undefined if a byte is not ASCII. */
function shortString(bytes: Uint8Array, start: number, length: number): string | undefined {
  let hash = length;
  for (let i = start; i < start + length; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return undefined;
    hash = (Math.imul(hash, 31) + byte) | 0;
  }
  const known = shortStrings.get(hash);
  if (known !== undefined && sameAscii(known, bytes, start, length)) return known;
  let text = "";
  for (let i = start; i < start + length; i++) text += String.fromCharCode(bytes[i] as number);
  if (shortStrings.size >= SHORT_STRINGS_KEPT) shortStrings.clear();
  shortStrings.set(hash, text);
  return text;
}

function sameAscii(text: string, bytes: Uint8Array, start: number, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) if (text.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** The one msgpack value that is the whole of `payload`. */
export function decodePayload(payload: Uint8Array): unknown {
  const reader = new PayloadReader(payload);
  const value = reader.value();
  if (reader.at !== payload.length) throw new MsgpackError(`${payload.length - reader.at} bytes after the value`);
  return value;
}
