// The server half of the protocol floor (protocol-echo.ts): rushd's own
// framing, codec and Connection on a Bun Unix socket, answering every
// Execute with an ExecutionResult at once. No worker, no shell, no session.
//
//   bun scripts/bench/protocol-echo-server.ts SOCKET   (prints "ready")

import { Connection, listenFramed, message, WORKER_ACCEPTS } from "../../src/protocol/index.ts";

const socketPath = process.argv[2];
if (socketPath === undefined) throw new Error("usage: protocol-echo-server.ts SOCKET");

listenFramed(socketPath, {
  accept(socket) {
    const connection: Connection = new Connection(socket, WORKER_ACCEPTS, {
      onMessage(id, msg) {
        if (msg.type === "Execute") connection.send(id, message("ExecutionResult", { status: 0, durationUs: 0 }));
      },
      onClose() {},
    });
    return connection;
  },
  socketError(error) {
    console.error("protocol echo:", error);
  },
});
process.stdout.write("ready\n");
