// SessionInit.envPacked: an environment packed by the client and unpacked
// by the worker, which keeps the last one it decoded for byte-identical
// bytes (a `rushd -c` loop sends the same environment every time).

import { describe, expect, test } from "bun:test";
import { packEnvironment, ProtocolError, unpackEnvironment } from "../../src/protocol/index.ts";
import { encodeMapPayload } from "../../src/protocol/encode.ts";
import { decodeBytes } from "../../src/shell/bytes.ts";
import { PackedEnvironments } from "../../src/worker/packed-env.ts";

describe("packEnvironment / unpackEnvironment", () => {
  test("round-trip every value, bytes that are not UTF-8 included", () => {
    const raw = decodeBytes(new Uint8Array([0x61, 0xff, 0x62])); // the shell's string for a, byte 0xff, b
    const env = { PATH: "/usr/bin:/bin", EMPTY: "", LONG: "x".repeat(300), NAIVE: "naïve", RAW: raw };
    expect(unpackEnvironment(packEnvironment(env))).toEqual(env);
  });

  test("bytes that are not msgpack, or not a map of strings, are BAD_FIELD", () => {
    for (const bytes of [new Uint8Array([0xc1]), encodeMapPayload({ A: 1 }), new Uint8Array([0x91, 0xa1, 0x61])]) {
      let caught: unknown;
      try {
        unpackEnvironment(bytes);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ProtocolError);
      expect((caught as ProtocolError).code).toBe("BAD_FIELD");
    }
  });
});

describe("PackedEnvironments", () => {
  test("the same bytes again give the environment decoded the first time; other bytes decode anew", () => {
    const cache = new PackedEnvironments();
    const first = cache.unpack(packEnvironment({ A: "1", B: "2" }));
    expect(first).toEqual({ A: "1", B: "2" });
    expect(cache.unpack(packEnvironment({ A: "1", B: "2" }))).toBe(first);
    const other = cache.unpack(packEnvironment({ A: "1", B: "3" }));
    expect(other).toEqual({ A: "1", B: "3" });
    expect(other).not.toBe(first);
  });

  test("keeps its own copy of the bytes: the frame they came in may be reused", () => {
    const cache = new PackedEnvironments();
    const bytes = packEnvironment({ A: "1" });
    const env = cache.unpack(bytes);
    bytes.fill(0); // the socket layer reuses its buffer
    expect(cache.unpack(packEnvironment({ A: "1" }))).toBe(env);
  });
});
