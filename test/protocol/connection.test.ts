// Connection's reading side: frames in, messages out, in order; a payload
// that repeats a recent one byte for byte is handed out as the same message
// (no decode), but never one that carries bytes for the receiver to keep.

import { expect, test } from "bun:test";
import { Connection, message, type ByteSocket, type Message, WORKER_ACCEPTS, CLIENT_ACCEPTS, encodeMessage } from "../../src/protocol/index.ts";

function receiver(accepts: ReadonlySet<Message["type"]>): { connection: Connection; received: Message[]; written: Uint8Array[] } {
  const received: Message[] = [];
  const written: Uint8Array[] = [];
  const socket: ByteSocket = {
    write: (bytes) => {
      written.push(bytes);
      return bytes.length;
    },
    end: () => {},
    pause: () => {},
    resume: () => {},
  };
  const connection = new Connection(socket, accepts as Set<Message["type"]>, { onMessage: (_id, msg) => received.push(msg), onClose: () => {} });
  return { connection, received, written };
}

const init = (): Message => message("SessionInit", { version: 1, cwd: "/tmp", argv0: "sh", args: ["a"], umask: 0o022, persistent: false });

test("a repeated request decodes to an equal message, handed out again without decoding", () => {
  const { connection, received } = receiver(WORKER_ACCEPTS);
  const frame = encodeMessage(1, init());
  const execute = encodeMessage(2, message("Execute", { script: "true" }));
  connection.handleData(frame);
  connection.handleData(execute);
  connection.handleData(encodeMessage(3, init()));
  connection.handleData(encodeMessage(4, message("Execute", { script: "true" })));
  expect(received).toHaveLength(4);
  expect(received[0]).toEqual({ type: "SessionInit", version: 1, cwd: "/tmp", argv0: "sh", args: ["a"], umask: 0o022, persistent: false });
  expect(received[2]).toBe(received[0] as Message);
  expect(received[3]).toBe(received[1] as Message);
});

test("one byte of difference is a different message", () => {
  const { connection, received } = receiver(WORKER_ACCEPTS);
  connection.handleData(encodeMessage(1, message("Execute", { script: "true" })));
  connection.handleData(encodeMessage(2, message("Execute", { script: "trud" })));
  expect(received.map((msg) => (msg as Message<"Execute">).script)).toEqual(["true", "trud"]);
});

test("output is never recalled: each Stdout is a message of its own, with bytes of its own", () => {
  const { connection, received } = receiver(CLIENT_ACCEPTS);
  const data = new TextEncoder().encode("hi\n");
  connection.handleData(encodeMessage(1, message("Stdout", { data })));
  connection.handleData(encodeMessage(1, message("Stdout", { data })));
  expect(received).toHaveLength(2);
  expect(received[0]).not.toBe(received[1] as Message);
  const [first, second] = received as [Message<"Stdout">, Message<"Stdout">];
  first.data[0] = 0x48; // a receiver may change bytes it was given
  expect(new TextDecoder().decode(second.data)).toBe("hi\n");
});

test("a payload that is not valid for the receiver fails even after a valid one of the same size", () => {
  const { connection, received, written } = receiver(WORKER_ACCEPTS);
  connection.handleData(encodeMessage(1, message("Execute", { script: "true" })));
  // A client message type the worker does not accept.
  connection.handleData(encodeMessage(2, message("Lease", { version: 1 })));
  expect(received).toHaveLength(1);
  expect(connection.isClosed || written.length > 0).toBe(true);
});
