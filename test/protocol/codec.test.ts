import { describe, expect, test } from "bun:test";
import { encode } from "@msgpack/msgpack";
import {
  CLIENT_ACCEPTS, DAEMON_ACCEPTS, decodeMessage, FrameReader, encodeMessage, message, ProtocolError, PROTOCOL_VERSION, WORKER_ACCEPTS,
  type ProtocolErrorCode,
} from "../../src/protocol/index.ts";

function roundTrip(msg: Parameters<typeof encodeMessage>[1], accepts: ReadonlySet<never> | ReadonlySet<string>) {
  const [frame] = new FrameReader().push(encodeMessage(42, msg));
  if (frame === undefined) throw new Error("no frame");
  return { id: frame.id, msg: decodeMessage(frame.payload, accepts as never) };
}

describe("codec", () => {
  test("round-trips every kind of field", () => {
    const init = message("SessionInit", {
      version: PROTOCOL_VERSION, token: "t", cwd: "/tmp", env: { A: "1" }, argv0: "sh", args: ["a", "b"], umask: 0o22, persistent: false,
    });
    expect(roundTrip(init, WORKER_ACCEPTS)).toEqual({ id: 42, msg: init });
    const out = message("Stdout", { data: new Uint8Array([0, 1, 255]) });
    expect(roundTrip(out, CLIENT_ACCEPTS).msg).toEqual(out);
  });

  test.each<[string, unknown, ProtocolErrorCode]>([
    ["not msgpack", null, "BAD_MSGPACK"],
    ["not a map", [1, 2], "BAD_MESSAGE"],
    ["type not a string", { type: 5 }, "BAD_MESSAGE"],
    ["unknown type", { type: "Nope" }, "UNKNOWN_TYPE"],
    ["type for another peer", { type: "Stdout", data: new Uint8Array() }, "UNKNOWN_TYPE"],
    ["missing field", { type: "Lease" }, "BAD_FIELD"],
    ["wrong field type", { type: "Lease", version: "1" }, "BAD_FIELD"],
    ["fractional int", { type: "Lease", version: 1.5 }, "BAD_FIELD"],
  ])("rejects %s", (_name, value, code) => {
    const payload = value === null ? new Uint8Array([0xc1]) : encode(value);
    try {
      decodeMessage(payload, DAEMON_ACCEPTS);
      throw new Error("accepted");
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).code).toBe(code);
    }
  });

  test("checks the element types of maps and arrays", () => {
    const bad = encode({ type: "SessionInit", version: 1, cwd: "/", env: { A: 1 }, argv0: "sh", args: [], umask: 18, persistent: false });
    expect(() => decodeMessage(bad, WORKER_ACCEPTS)).toThrow("env");
    const badArgs = encode({ type: "SessionInit", version: 1, cwd: "/", argv0: "sh", args: [1], umask: 18, persistent: false });
    expect(() => decodeMessage(badArgs, WORKER_ACCEPTS)).toThrow("args");
  });
});
