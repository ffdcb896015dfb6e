// How a client reaches a Unix socket. The CLI and the library under Bun use
// Bun's sockets (bun-socket.ts); the library under plain Node.js uses
// node:net (node-socket.ts). Both give a Connection the same ByteSocket.
//
// Imports nothing of Bun or Node: the library's Node build must not load
// either runtime's own modules unless it runs there.

import type { ByteSocket } from "../../protocol/connection.ts";

export interface SocketEvents {
  data(chunk: Uint8Array): void;
  /** The kernel took what was pending: a Connection writes its queue. */
  drain(): void;
  close(): void;
  error(error: Error): void;
}

export interface DialedSocket extends ByteSocket {
  /** Close at once, sending nothing more (a peer we do not trust). */
  destroy(): void;
  /** The OS fd when the runtime exposes it (Bun), for SO_PEERCRED. */
  readonly fd: number | undefined;
}

export type Dialer = (path: string, events: SocketEvents) => Promise<DialedSocket>;
