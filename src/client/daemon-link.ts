// A client's connection to one peer (the daemon or a leased worker), as a
// request/response and event stream of protocol messages.

import type { Socket } from "bun";
import { isTrustedPeer, peerCredentials, socketFd } from "../common/peer-credentials.ts";
import { CLIENT_ACCEPTS, Connection, ProtocolError, type Message } from "../protocol/index.ts";

export class ConnectFailedError extends Error {
  override readonly name = "ConnectFailedError";
  constructor(readonly path: string, readonly code: string | undefined, options?: ErrorOptions) {
    super(`cannot connect to ${path}${code ? ` (${code})` : ""}`, options);
  }
}

/**
 * The process listening on the socket is not ours (SO_PEERCRED): nothing was
 * sent to it. Another user could have put a socket where we look; it must
 * not get our environment and script, nor print forged output.
 */
export class UntrustedPeerError extends Error {
  override readonly name = "UntrustedPeerError";
  constructor(readonly path: string, readonly peerUid: number, readonly ourUid: number) {
    super(`refusing ${path}: it is served by uid ${peerUid}, not by you (uid ${ourUid})`);
  }
}

export interface LinkHandlers {
  onMessage(id: number, msg: Message): void;
  /** The peer closed (or the connection broke). `error`: a protocol error the peer or we detected. */
  onClose(error: ProtocolError | undefined): void;
}

/** Connect to a Unix socket and speak the protocol on it. */
export async function openLink(path: string, handlers: LinkHandlers): Promise<Connection> {
  let connection: Connection | undefined;
  let protocolError: ProtocolError | undefined;
  const pendingChunks: Uint8Array[] = [];
  const socket = await Bun.connect({
    unix: path,
    socket: {
      data(_socket, chunk) {
        if (connection === undefined) pendingChunks.push(new Uint8Array(chunk));
        else connection.handleData(chunk);
      },
      drain() {
        connection?.handleDrain();
      },
      close() {
        connection?.handleClose();
      },
      error(_socket, error) {
        protocolError ??= new ProtocolError("WORKER_LOST", `connection error: ${error.message}`);
      },
    },
  }).catch((error: unknown) => {
    throw new ConnectFailedError(path, (error as NodeJS.ErrnoException).code, { cause: error });
  });
  // Before anything is sent: is the peer our own user?
  const ourUid = process.getuid?.() ?? 0;
  const peerUid = peerCredentials(socketFd(socket)).uid;
  if (!isTrustedPeer(peerUid, ourUid)) {
    socket.terminate();
    throw new UntrustedPeerError(path, peerUid, ourUid);
  }
  connection = new Connection(socket as Socket<unknown>, CLIENT_ACCEPTS, {
    onMessage: handlers.onMessage,
    onProtocolError: (error) => (protocolError = error),
    onClose: () => handlers.onClose(protocolError),
  });
  for (const chunk of pendingChunks) connection.handleData(chunk);
  return connection;
}
