// The frame encoder (src/protocol/encode.ts) writes the bytes
// @msgpack/msgpack's Encoder ({ ignoreUndefined: true }) wrote for every
// value a message holds, so peers built before it read its frames alike.

import { describe, expect, test } from "bun:test";
import { encode } from "@msgpack/msgpack";
import fc from "fast-check";
import { encodeMessageFrame, encodeOutputFrameHead } from "../../src/protocol/encode.ts";
import { CLIENT_ACCEPTS, decodeMessage, FrameReader, HEADER_BYTES, MAX_FRAME_BYTES, ProtocolError } from "../../src/protocol/index.ts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function payloadOf(fields: Record<string, unknown>): Uint8Array {
  return encodeMessageFrame(3, fields).subarray(HEADER_BYTES);
}

describe("encodeMessageFrame", () => {
  test.each<[string, unknown]>([
    ["small ints", [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]],
    ["negative ints", [-1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, Number.MIN_SAFE_INTEGER]],
    ["floats", [0.5, -1.25, 2 ** 60, Number.NaN, Infinity]],
    ["booleans and nil", [true, false, null]],
    ["strings of every header size", ["", "a", "x".repeat(31), "x".repeat(32), "x".repeat(255), "x".repeat(256), "x".repeat(70000)]],
    ["multi-byte strings near a header edge", ["é".repeat(15), "é".repeat(16), "😀".repeat(8), "€".repeat(85), "€".repeat(86)]],
    ["bytes", [new Uint8Array(0), new Uint8Array([0, 255]), new Uint8Array(256), new Uint8Array(70000)]],
    ["arrays", [[], [1, "a"], Array.from({ length: 15 }, (_, i) => i), Array.from({ length: 16 }, (_, i) => i)]],
    ["maps", [{}, { a: 1, b: undefined, c: "x" }, Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))]],
  ])("%s: the bytes @msgpack/msgpack wrote", (_name, value) => {
    const fields = { type: "T", value };
    expect(hex(payloadOf(fields))).toBe(hex(encode(fields, { ignoreUndefined: true })));
  });

  test("the header: payload length, then the id", () => {
    const frame = encodeMessageFrame(0x01020304, { type: "Close" });
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    expect(view.getUint32(0)).toBe(frame.length - HEADER_BYTES);
    expect(view.getUint32(4)).toBe(0x01020304);
  });

  test("a frame over the limit is FRAME_TOO_LARGE", () => {
    expect(() => encodeMessageFrame(1, { type: "Stdout", data: new Uint8Array(MAX_FRAME_BYTES + 1) })).toThrow(ProtocolError);
  });

  test("anything else a message cannot hold is refused", () => {
    expect(() => encodeMessageFrame(1, { type: "T", value: 1n })).toThrow(TypeError);
  });

  test("any JSON-like well-formed value: the same bytes", () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), fc.double(), fc.boolean(), fc.constant(null), fc.string({ unit: "grapheme" }), fc.uint8Array({ maxLength: 40 })),
      node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 20 }), fc.dictionary(fc.string(), tie("node"), { maxKeys: 20 })),
    })).node;
    fc.assert(fc.property(value, (item) => {
      const fields = { type: "T", item };
      expect(hex(payloadOf(fields))).toBe(hex(encode(fields, { ignoreUndefined: true })));
    }), { numRuns: 500 });
  });
});

describe("encodeOutputFrameHead", () => {
  test.each([0, 1, 255, 256, 65_535, 65_536, 1_048_576])("a head and %i bytes of data are one frame that decodes as the message", (size) => {
    const data = Uint8Array.from({ length: size }, (_, i) => i & 0xff);
    for (const type of ["Stdout", "Stderr"] as const) {
      const head = encodeOutputFrameHead(9, type, size);
      const frames = new FrameReader().push(new Uint8Array([...head, ...data]));
      expect(frames.map((frame) => frame.id)).toEqual([9]);
      const msg = decodeMessage(frames[0]?.payload as Uint8Array, CLIENT_ACCEPTS);
      expect(msg.type).toBe(type);
      expect(Buffer.from((msg as { data: Uint8Array }).data).equals(Buffer.from(data))).toBe(true);
    }
  });

  test("a frame over the limit is FRAME_TOO_LARGE", () => {
    expect(() => encodeOutputFrameHead(1, "Stdout", MAX_FRAME_BYTES)).toThrow(ProtocolError);
  });
});
