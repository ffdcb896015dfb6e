// The value last decoded from some bytes, given back while the same bytes
// come again: a worker sees the same few environments over and over (a loop
// calling `rushd -c` sends or has the same one each time), and one memcmp
// costs a few µs where a cold decode cost 115–400 µs (measured). Used for
// SessionInit.envPacked (packed-env.ts) and the caller's /proc environ
// (caller-environment.ts). What it gives back is only ever read.

export class LastDecoded<T> {
  private last: { readonly bytes: Uint8Array; readonly value: T } | undefined;

  /** `decode(bytes)`, or what it gave for the same bytes last time. */
  get(bytes: Uint8Array, decode: (bytes: Uint8Array) => T): T {
    const last = this.last;
    if (last !== undefined && last.bytes.length === bytes.length && Buffer.compare(last.bytes, bytes) === 0) return last.value;
    const value = decode(bytes);
    // A copy: `bytes` may be a view into a frame that is reused.
    this.last = { bytes: bytes.slice(), value };
    return value;
  }
}
