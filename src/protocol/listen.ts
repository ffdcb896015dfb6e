// A Unix-socket server whose connections speak the protocol: the daemon's
// socket and each worker's. `accept` makes the Connection for a new socket
// (or refuses it: see Connection.refuse); the Bun socket events are wired
// here once.
//
// `socket.data` is set before `accept` runs: refusing a connection can close
// it synchronously, and the close handler must find a well-formed `data`
// (it used to be undefined there, and the TypeError killed the process).

import type { Socket, UnixSocketListener } from "bun";
import type { Connection } from "./connection.ts";

interface SocketData {
  connection: Connection | undefined;
  isClosed: boolean;
}

export interface FramedListenerHandlers {
  /** A new connection: build its Connection (refused ones too, so the peer is told why). */
  accept(socket: Socket<unknown>): Connection | undefined;
  socketError(error: Error): void;
}

/** Listen on `path` (mode 0600: the directory is the real boundary, this is belt and braces). */
export function listenFramed(path: string, handlers: FramedListenerHandlers): UnixSocketListener<SocketData> {
  const listener = Bun.listen<SocketData>({
    unix: path,
    socket: {
      open(socket) {
        const data: SocketData = { connection: undefined, isClosed: false };
        socket.data = data;
        const connection = handlers.accept(socket as Socket<unknown>);
        data.connection = connection;
        // Closed while accept ran (a refusal): deliver the close now that the Connection exists.
        if (data.isClosed) connection?.handleClose();
      },
      data(socket, chunk) {
        socket.data?.connection?.handleData(chunk);
      },
      end(socket) {
        socket.data?.connection?.handlePeerEnd();
      },
      drain(socket) {
        socket.data?.connection?.handleDrain();
      },
      close(socket) {
        const data = socket.data;
        if (data === undefined || data.isClosed) return;
        data.isClosed = true;
        data.connection?.handleClose();
      },
      error(socket, error) {
        handlers.socketError(error);
        socket.data?.connection?.handleClose();
      },
    },
  });
  // Loaded here, not at the top: this module is part of the protocol every
  // client imports, and node:fs costs `rushd -c` ~0.8 ms to load at start-up.
  const fs = require("node:fs") as typeof import("node:fs");
  fs.chmodSync(path, 0o600);
  return listener;
}
