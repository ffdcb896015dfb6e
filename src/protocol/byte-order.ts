// Big-endian integers and floats in byte arrays, for the frame header and the
// msgpack codec. Written out byte by byte rather than through a DataView: a
// DataView (or a subarray) of a fresh Uint8Array makes the engine materialize
// its ArrayBuffer (~0.2 µs, more than coding a small message takes). Imports
// nothing.

// Floats go through these views of one 8-byte scratch buffer.
const float64 = new Float64Array(1);
const float64Bytes = new Uint8Array(float64.buffer);
const float32 = new Float32Array(1);
const float32Bytes = new Uint8Array(float32.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The unsigned integer in the `size` bytes at `at`. */
export function readUintBE(bytes: Uint8Array, at: number, size: 1 | 2 | 4): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 0x100 + (bytes[at + i] as number);
  return value;
}

/** `value` (unsigned, below 2^(8·size)) into the `size` bytes at `at`. */
export function writeUintBE(bytes: Uint8Array, at: number, size: 1 | 2 | 4, value: number): void {
  for (let i = size - 1; i >= 0; i--) {
    bytes[at + i] = value & 0xff;
    value = Math.floor(value / 0x100);
  }
}

/** The IEEE 754 float (single for 4 bytes, double for 8) at `at`. */
export function readFloatBE(bytes: Uint8Array, at: number, size: 4 | 8): number {
  const target = size === 8 ? float64Bytes : float32Bytes;
  for (let i = 0; i < size; i++) target[LITTLE_ENDIAN ? size - 1 - i : i] = bytes[at + i] as number;
  return size === 8 ? (float64[0] as number) : (float32[0] as number);
}

/** `value` as an IEEE 754 double into the 8 bytes at `at`. */
export function writeFloat64BE(bytes: Uint8Array, at: number, value: number): void {
  float64[0] = value;
  for (let i = 0; i < 8; i++) bytes[at + i] = float64Bytes[LITTLE_ENDIAN ? 7 - i : i] as number;
}
