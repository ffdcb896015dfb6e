// The environment of a `rushd -c` session, read here from /proc/<pid>/environ
// of the client on the other end of the lease (SessionInit.envFromCaller;
// its pid from SO_PEERCRED), not sent by it. That file holds the
// environment the client was started with, byte for byte: what `sh -c`
// would have been given. The client then never reads process.env, checks
// it for bytes the runtime mangled, or packs it: that took a cold client
// 0.2–0.6 ms of every run (measured), and it is the caller's own process.
//
// The last one decoded is reused while the bytes are the same
// (last-decoded.ts). What a session gets is only ever read (a Shell copies
// on write).

import { readFileSync } from "node:fs";
import { decodeBytes } from "../shell/bytes.ts";
import { LastDecoded } from "./last-decoded.ts";

const EQUALS = 0x3d;

/** The client's environment could not be read (it is gone, or its /proc entry is not ours to read). */
export class CallerEnvironmentError extends Error {
  override readonly name = "CallerEnvironmentError";
}

export class CallerEnvironments {
  private readonly decoded = new LastDecoded<Readonly<Record<string, string>>>();

  /** The environment process `pid` was started with; CallerEnvironmentError if it cannot be read. */
  read(pid: number): Readonly<Record<string, string>> {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(`/proc/${pid}/environ`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error;
      throw new CallerEnvironmentError(`cannot read the environment of the client (pid ${pid}): ${code}`, { cause: error });
    }
    return this.decoded.get(bytes, parseEnviron);
  }
}

/**
 * NUL-separated `name=value` entries, as the shell holds them (bytes that
 * are not UTF-8 as escapes, shell/bytes.ts). As in dash, a later entry of a
 * name wins, and an entry without `=` is ignored; so is one whose name is
 * not UTF-8, since no shell variable can have that name.
 */
export function parseEnviron(bytes: Uint8Array): Record<string, string> {
  const env: Record<string, string> = {};
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0, start);
    if (end < 0) end = bytes.length;
    const equals = bytes.indexOf(EQUALS, start);
    if (equals > start && equals < end) {
      const name = decodeBytes(bytes.subarray(start, equals));
      if (name.isWellFormed()) env[name] = decodeBytes(bytes.subarray(equals + 1, end));
    }
    start = end + 1;
  }
  return env;
}
