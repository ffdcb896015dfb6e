// Bad input on the daemon's socket gets a clear Error and a closed
// connection; the daemon and the next client are unaffected (DESIGN §5).

import { expect, test } from "bun:test";
import { encode } from "@msgpack/msgpack";
import { CLIENT_ACCEPTS, decodeMessage, FrameReader, encodeFrame, type Message } from "../../src/protocol/index.ts";
import { useDaemon } from "./harness.ts";

const current = useDaemon("pool");

/** Send raw bytes (optionally half-closing), collect every message until the daemon closes. */
async function sendRaw(bytes: Uint8Array, halfClose: boolean): Promise<Message[]> {
  const reader = new FrameReader();
  const received: Message[] = [];
  await new Promise<void>((resolve, reject) => {
    Bun.connect({
      unix: current().socket,
      socket: {
        open(socket) {
          socket.write(bytes);
          if (halfClose) socket.shutdown(true);
        },
        data(_socket, chunk) {
          for (const frame of reader.push(new Uint8Array(chunk))) received.push(decodeMessage(frame.payload, CLIENT_ACCEPTS));
        },
        close() {
          resolve();
        },
        error(_socket, error) {
          reject(error);
        },
      },
    }).catch(reject);
  });
  return received;
}

const frame = (value: unknown) => encodeFrame(1, encode(value));

test.each<[string, Uint8Array, string]>([
  ["a payload that is not msgpack", new Uint8Array([0, 0, 0, 5, 0, 0, 0, 1, 0xc1, 0xc1, 0xc1, 0xc1, 0xc1]), "BAD_MSGPACK"],
  ["an oversized length prefix", new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1]), "FRAME_TOO_LARGE"],
  ["a map without type", frame({ hello: 1 }), "BAD_MESSAGE"],
  ["an unknown message type", frame({ type: "Launch" }), "UNKNOWN_TYPE"],
  ["a worker message sent to the daemon", frame({ type: "Execute", script: "true" }), "UNKNOWN_TYPE"],
  ["a field of the wrong type", frame({ type: "Lease", version: "one" }), "BAD_FIELD"],
  ["a protocol version we do not speak", frame({ type: "Lease", version: 999 }), "VERSION_MISMATCH"],
])("%s gets an Error and a closed connection", async (_name, bytes, code) => {
  const received = await sendRaw(bytes, false);
  expect(received.map((msg) => msg.type)).toEqual(["Error"]);
  expect((received[0] as Message<"Error">).code).toBe(code);
});

test("a half frame followed by a hang-up, garbage and an empty connection do not hurt the daemon", async () => {
  await sendRaw(new Uint8Array([0, 0, 1, 0, 0, 0, 0, 1, 97, 98, 99]), true);
  await sendRaw(crypto.getRandomValues(new Uint8Array(4096)), true);
  await sendRaw(new Uint8Array(0), true);
});

test("random frames in a loop never take the daemon down", async () => {
  for (let i = 0; i < 50; i++) {
    const payload = crypto.getRandomValues(new Uint8Array(1 + (i * 37) % 200));
    await sendRaw(encodeFrame(i, payload), true);
  }
});

test("after all of that the daemon is the same process and serves the next client", async () => {
  const before = current().pid;
  expect(await current().sh("echo ok")).toEqual({ status: 0, stdout: "ok\n", stderr: "" });
  expect((await current().status()).pid).toBe(before as number);
});
