// A Unix-socket server whose connections speak the protocol: the daemon's
// socket and each worker's. `accept` makes the Connection for a new socket
// (or refuses it by failing it); the Bun socket events are wired here once.

import { chmodSync } from "node:fs";
import type { Socket, UnixSocketListener } from "bun";
import type { Connection } from "./connection.ts";

interface SocketData {
  connection: Connection | undefined;
}

export interface FramedListenerHandlers {
  /** A new connection: build its Connection (or undefined once it has been refused). */
  accept(socket: Socket<unknown>): Connection | undefined;
  /** After a connection closed, whatever accept() returned. */
  closed?(): void;
  socketError(error: Error): void;
}

/** Listen on `path` (mode 0600: the directory is the real boundary, this is belt and braces). */
export function listenFramed(path: string, handlers: FramedListenerHandlers): UnixSocketListener<SocketData> {
  const listener = Bun.listen<SocketData>({
    unix: path,
    socket: {
      open(socket) {
        socket.data = { connection: handlers.accept(socket as Socket<unknown>) };
      },
      data(socket, chunk) {
        socket.data.connection?.handleData(chunk);
      },
      end(socket) {
        socket.data.connection?.handlePeerEnd();
      },
      drain(socket) {
        socket.data.connection?.handleDrain();
      },
      close(socket) {
        socket.data.connection?.handleClose();
        handlers.closed?.();
      },
      error(socket, error) {
        handlers.socketError(error);
        socket.data.connection?.handleClose();
      },
    },
  });
  chmodSync(path, 0o600);
  return listener;
}
