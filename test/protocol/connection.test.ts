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

test("output large and small, through a socket that takes a little at a time, arrives whole and in order, the result after it", () => {
  const wire: Uint8Array[] = [];
  let room = 0;
  const socket: ByteSocket = {
    // Takes at most 5,000 bytes a call once `room` is opened; keeps a copy, as the kernel would.
    write: (bytes) => {
      const taken = Math.min(bytes.length, room, 5000);
      wire.push(bytes.slice(0, taken));
      room -= taken;
      return taken;
    },
    end: () => {},
    pause: () => {},
    resume: () => {},
  };
  const sender = new Connection(socket, WORKER_ACCEPTS as Set<Message["type"]>, { onMessage: () => {}, onClose: () => {} });
  const chunks = [3, 20_000, 1, 70_000, 16_383, 16_384, 2].map((size, n) => Uint8Array.from({ length: size }, (_, i) => (i + n) & 0xff));
  for (const chunk of chunks) sender.sendOutput(4, "Stdout", chunk);
  sender.sendOutput(4, "Stderr", new Uint8Array([1, 2, 3]));
  sender.send(4, message("ExecutionResult", { status: 0, durationUs: 1 }));
  while (sender.isBackedUp) {
    room = 7000;
    sender.handleDrain();
  }
  const { connection, received } = receiver(CLIENT_ACCEPTS);
  for (const bytes of wire) connection.handleData(bytes);
  expect(received.map((msg): string => msg.type)).toEqual([...chunks.map(() => "Stdout"), "Stderr", "ExecutionResult"]);
  received.slice(0, chunks.length).forEach((msg, i) => expect(Buffer.from((msg as Message<"Stdout">).data).equals(Buffer.from(chunks[i] as Uint8Array))).toBe(true));
});
