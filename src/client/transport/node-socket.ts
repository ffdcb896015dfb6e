// A client socket on node:net, for the library under plain Node.js.
//
// node:net buffers every write itself; a Connection expects to learn how much
// the kernel took (Bun's contract). While Node's buffer is over its
// high-water mark this says 0 bytes, so the Connection queues and waits for
// the drain event: backpressure reaches the producer (a stdin stream) instead
// of piling up in Node's buffer.

import { createConnection } from "node:net";
import type { Dialer } from "./dialer.ts";

export const dialNode: Dialer = (path, events) =>
  new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    const refused = (error: Error): void => reject(error);
    socket.once("error", refused);
    socket.once("connect", () => {
      socket.off("error", refused);
      socket.on("error", (error) => events.error(error));
      resolve({
        write(bytes) {
          if (socket.writableNeedDrain) return 0;
          socket.write(bytes);
          return bytes.length;
        },
        end: () => void socket.end(),
        pause: () => void socket.pause(),
        resume: () => void socket.resume(),
        destroy: () => void socket.destroy(),
        fd: undefined,
      });
    });
    socket.on("data", (chunk: Buffer) => events.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on("drain", () => events.drain());
    socket.on("close", () => events.close());
  });
