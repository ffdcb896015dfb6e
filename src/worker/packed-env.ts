// The environments a worker unpacked from SessionInit.envPacked, by their
// bytes: a `rushd -c` in a loop sends its caller's same ~1.5 KB every time,
// and decoding it cold took a worker 115–400 µs of a session's set-up;
// comparing it with the last one (memcmp) takes a few. Shared by every
// lease of the worker. What a session gets is only ever read (a Shell copies
// on write), so one decoded object may serve many sessions.

import { unpackEnvironment } from "../protocol/index.ts";

export class PackedEnvironments {
  private last: { readonly bytes: Uint8Array; readonly env: Readonly<Record<string, string>> } | undefined;

  /** The environment these bytes pack; throws ProtocolError (BAD_FIELD) if they pack none. */
  unpack(bytes: Uint8Array): Readonly<Record<string, string>> {
    const last = this.last;
    if (last !== undefined && last.bytes.length === bytes.length && Buffer.compare(last.bytes, bytes) === 0) return last.env;
    const env = unpackEnvironment(bytes);
    // A copy: `bytes` is a view into the frame it came in.
    this.last = { bytes: bytes.slice(), env };
    return env;
  }
}
