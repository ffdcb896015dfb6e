// The environments a worker unpacked from SessionInit.envPacked, by their
// bytes (last-decoded.ts): shared by every lease of the worker. What a
// session gets is only ever read (a Shell copies on write), so one decoded
// object may serve many sessions.

import { unpackEnvironment } from "../protocol/index.ts";
import { LastDecoded } from "./last-decoded.ts";

export class PackedEnvironments {
  private readonly decoded = new LastDecoded<Readonly<Record<string, string>>>();

  /** The environment these bytes pack; throws ProtocolError (BAD_FIELD) if they pack none. */
  unpack(bytes: Uint8Array): Readonly<Record<string, string>> {
    return this.decoded.get(bytes, unpackEnvironment);
  }
}
