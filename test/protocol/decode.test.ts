// The payload decoder (src/protocol/decode.ts) reads what
// @msgpack/msgpack's Encoder writes as @msgpack/msgpack's Decoder did, and
// refuses what is malformed.

import { describe, expect, test } from "bun:test";
import { decode, encode, ExtData } from "@msgpack/msgpack";
import fc from "fast-check";
import { decodePayload, MsgpackError, UnknownExt } from "../../src/protocol/decode.ts";

describe("decodePayload", () => {
  test.each<[string, unknown]>([
    ["ints of every width", [0, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, Number.MIN_SAFE_INTEGER]],
    ["floats", [0.5, -1.25, 2 ** 60, Infinity]],
    ["booleans and nil", [true, false, null]],
    ["strings of every header size", ["", "a", "x".repeat(31), "x".repeat(32), "x".repeat(255), "x".repeat(256), "x".repeat(70000)]],
    ["multi-byte strings, short and long", ["é", "😀a", "€".repeat(86), "\uFEFFbom"]],
    ["bytes", [new Uint8Array(0), new Uint8Array([0, 255]), new Uint8Array(256), new Uint8Array(70000)]],
    ["arrays and maps of every header size", [[], Array.from({ length: 16 }, (_, i) => i), {}, Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, { n: [i] }]))]],
  ])("%s", (_name, value) => {
    const payload = encode({ value });
    expect(decodePayload(payload)).toEqual(decode(payload) as Record<string, unknown>);
  });

  test("a float32, as @msgpack/msgpack reads it", () => {
    const payload = new Uint8Array([0xca, 0x3f, 0xc0, 0x00, 0x00]);
    expect(decodePayload(payload)).toBe(1.5);
  });

  test("ext 1 is the string of its bytes; another ext is an UnknownExt", () => {
    expect(decodePayload(new Uint8Array([0xd4, 0x01, 0x61]))).toBe("a");
    const other = decodePayload(encode(new ExtData(5, new Uint8Array([1, 2, 3]))));
    expect(other).toBeInstanceOf(UnknownExt);
    expect(other).toEqual(new UnknownExt(5, new Uint8Array([1, 2, 3])));
  });

  test.each<[string, number[]]>([
    ["empty", []],
    ["the never-used byte 0xc1", [0xc1]],
    ["a truncated string", [0xa5, 0x61]],
    ["a truncated uint32", [0xce, 0, 0]],
    ["trailing bytes", [0x01, 0x02]],
    ["an array longer than the payload", [0xdd, 0xff, 0xff, 0xff, 0xff]],
    ["a map key that is an array", [0x81, 0x90, 0x01]],
    ["a __proto__ key", [0x81, 0xa9, ...new TextEncoder().encode("__proto__"), 0x80]],
  ])("refuses %s", (_name, bytes) => {
    expect(() => decodePayload(new Uint8Array(bytes))).toThrow(MsgpackError);
  });

  test("any value @msgpack/msgpack encodes: what its decoder read", () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.string({ unit: "grapheme" }), fc.uint8Array({ maxLength: 40 })),
      node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 20 }), fc.dictionary(fc.string().filter((key) => key !== "__proto__"), tie("node"), { maxKeys: 20 })),
    })).node;
    fc.assert(fc.property(value, (item) => {
      const payload = encode({ item });
      expect(decodePayload(payload)).toEqual(decode(payload) as Record<string, unknown>);
    }), { numRuns: 500 });
  });
});
