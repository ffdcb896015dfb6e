import { describe, expect, test } from "bun:test";
import { encodeFrame, FrameReader, HEADER_BYTES, MAX_FRAME_BYTES, ProtocolError } from "../../src/protocol/index.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("FrameReader", () => {
  test("decodes one frame fed in one chunk", () => {
    const frames = new FrameReader().push(encodeFrame(7, bytes("hello")));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.id).toBe(7);
    expect(new TextDecoder().decode(frames[0]?.payload)).toBe("hello");
  });

  test("reassembles frames split at every byte boundary", () => {
    const wire = new Uint8Array([...encodeFrame(1, bytes("ab")), ...encodeFrame(2, bytes("")), ...encodeFrame(3, bytes("xyz"))]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const reader = new FrameReader();
      const frames = [...reader.push(wire.slice(0, cut)), ...reader.push(wire.slice(cut))];
      expect(frames.map((frame) => [frame.id, new TextDecoder().decode(frame.payload)])).toEqual([[1, "ab"], [2, ""], [3, "xyz"]]);
      expect(reader.pendingBytes).toBe(0);
    }
  });

  test("keeps a half frame pending", () => {
    const reader = new FrameReader();
    const frame = encodeFrame(1, bytes("abcdef"));
    expect(reader.push(frame.slice(0, HEADER_BYTES + 2))).toEqual([]);
    expect(reader.pendingBytes).toBe(HEADER_BYTES + 2);
  });

  test("rejects an oversized length prefix before the body arrives", () => {
    const header = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1]);
    expect(() => new FrameReader().push(header)).toThrow(ProtocolError);
    try {
      new FrameReader().push(header);
    } catch (error) {
      expect((error as ProtocolError).code).toBe("FRAME_TOO_LARGE");
    }
  });

  test("large frames fed in uneven chunks come out whole, and stay so after later pushes", () => {
    // Payloads of 0 B to 300 KiB, each byte from a counter, so a misplaced or overwritten byte shows.
    let seed = 7;
    const next = (bound: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % bound;
    const payloads = [0, 1, 4096, 4097, 65_536, 70_000, 300_000, 12].map((size) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff));
    const wire = new Uint8Array(payloads.reduce((sum, payload) => sum + HEADER_BYTES + payload.length, 0));
    let at = 0;
    payloads.forEach((payload, i) => {
      wire.set(encodeFrame(i + 1, payload), at);
      at += HEADER_BYTES + payload.length;
    });
    for (const largest of [3, 1000, 70_000, 200_000]) {
      const reader = new FrameReader();
      const frames = [];
      for (let cut = 0; cut < wire.length;) {
        const size = 1 + next(largest);
        // A chunk of its own each time, as a socket hands them.
        frames.push(...reader.push(wire.slice(cut, cut + size)));
        cut += size;
      }
      expect(reader.pendingBytes).toBe(0);
      expect(frames.map((frame) => frame.id)).toEqual(payloads.map((_, i) => i + 1));
      frames.forEach((frame, i) => expect(Buffer.from(frame.payload).equals(Buffer.from(payloads[i] as Uint8Array))).toBe(true));
    }
  });

  test("refuses to encode a payload above the maximum", () => {
    expect(() => encodeFrame(1, new Uint8Array(MAX_FRAME_BYTES + 1))).toThrow(ProtocolError);
  });
});
