// Strings that are not UTF-8 on the wire (src/protocol/raw-text.ts): a
// string holding the shell's escapes for such bytes travels as ext 1 with
// its exact bytes and arrives as the same string; every other message is
// encoded exactly as before.

import { describe, expect, test } from "bun:test";
import { decode, encode, ExtData } from "@msgpack/msgpack";
import fc from "fast-check";
import {
  CLIENT_ACCEPTS, decodeMessage, encodeMessage, FrameReader, message, ProtocolError, PROTOCOL_VERSION, WORKER_ACCEPTS, type Message,
} from "../../src/protocol/index.ts";
import { RAW_TEXT_EXT_TYPE } from "../../src/protocol/raw-text.ts";
import { byteChar, decodeBytes, encodeText } from "../../src/shell/bytes.ts";

const FF = byteChar(0xff);

function payloadOf(msg: Message): Uint8Array {
  const [frame] = new FrameReader().push(encodeMessage(7, msg));
  if (frame === undefined) throw new Error("no frame");
  return frame.payload;
}

function roundTrip(msg: Message, accepts: typeof WORKER_ACCEPTS = WORKER_ACCEPTS): Message {
  return decodeMessage(payloadOf(msg), accepts);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function init(fields: Partial<Message<"SessionInit">> = {}): Message<"SessionInit"> {
  return message("SessionInit", {
    version: PROTOCOL_VERSION, cwd: "/tmp", env: { A: "1", PATH: "/bin" }, argv0: "sh", args: ["a", "b"], umask: 0o22, persistent: false, ...fields,
  });
}

describe("raw text", () => {
  test("a plain message is encoded as it always was", () => {
    const plain = init({ args: ["café", "😀"] });
    expect(hex(payloadOf(plain))).toBe(hex(encode(plain, { ignoreUndefined: true })));
  });

  test.each<[string, Partial<Message<"SessionInit">>]>([
    ["cwd", { cwd: `/tmp/d${FF}` }],
    ["argv0", { argv0: `n${FF}` }],
    ["args", { args: ["x", FF, `${byteChar(0xfe)}é`] }],
    ["env values", { env: { A: "1", X: FF, Y: `${byteChar(0x80)}${byteChar(0x80)}` } }],
  ])("escapes in %s arrive as the same strings", (_field, fields) => {
    const sent = init(fields);
    expect(roundTrip(sent)).toEqual(sent);
  });

  test("the script of an Execute, and an Error's message the other way", () => {
    const execute = message("Execute", { script: `printf %s ${FF}` });
    expect(roundTrip(execute)).toEqual(execute);
    const error = message("Error", { code: "INTERNAL", message: `bad ${FF}` });
    expect(roundTrip(error, CLIENT_ACCEPTS)).toEqual(error);
  });

  test("on the wire, only the strings that need it are ext 1, with the exact bytes", () => {
    const decoded = decode(payloadOf(init({ args: ["x", `a${FF}`] }))) as Record<string, unknown>;
    expect(decoded.cwd).toBe("/tmp");
    const [first, second] = decoded.args as unknown[];
    expect(first).toBe("x");
    if (!(second instanceof ExtData) || !(second.data instanceof Uint8Array)) throw new Error(`not an ext: ${String(second)}`);
    expect(second.type).toBe(RAW_TEXT_EXT_TYPE);
    expect(hex(second.data)).toBe("61ff");
  });

  test("the message to encode is copied, not changed", () => {
    const sent = init({ env: { X: FF } });
    payloadOf(sent);
    expect(sent.env).toEqual({ X: FF });
  });

  test("a map key that is not UTF-8 goes as U+FFFD (the client sends none)", () => {
    const received = roundTrip(init({ env: { [`N${FF}`]: "v", A: "1" } }));
    expect(received.type === "SessionInit" ? received.env : undefined).toEqual({ "N\uFFFD": "v", A: "1" });
  });

  test("a lone surrogate that is no escape arrives as U+FFFD, as TextEncoder writes it", () => {
    expect(roundTrip(message("Execute", { script: `a\ud800b${FF}` }))).toEqual(message("Execute", { script: `a\uFFFDb${FF}` }));
  });

  test("an ext of another type where a string belongs is BAD_FIELD", () => {
    const payload = encode({ type: "Execute", script: new ExtData(5, new Uint8Array([0xff])) });
    expect(() => decodeMessage(payload, WORKER_ACCEPTS)).toThrow(ProtocolError);
    // ext 1 where bytes belong is a string, not bytes.
    const asBytes = encode({ type: "Stdin", data: new ExtData(RAW_TEXT_EXT_TYPE, new Uint8Array([0xff])) });
    expect(() => decodeMessage(asBytes, WORKER_ACCEPTS)).toThrow("data");
  });

  test("any bytes as a script reach the worker exactly", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const received = roundTrip(message("Execute", { script: decodeBytes(bytes) }));
      expect(received.type === "Execute" ? hex(encodeText(received.script)) : "").toBe(hex(bytes));
    }), { numRuns: 500 });
  });
});
