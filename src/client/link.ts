// A client's connection to one peer (the daemon or a leased worker), as a
// request/response and event stream of protocol messages.

import { CLIENT_ACCEPTS, Connection, ProtocolError, type Message } from "../protocol/index.ts";
import type { DialedSocket, Dialer } from "./transport/dialer.ts";

export class ConnectFailedError extends Error {
  override readonly name = "ConnectFailedError";
  constructor(readonly path: string, readonly code: string | undefined, options?: ErrorOptions) {
    super(`cannot connect to ${path}${code ? ` (${code})` : ""}`, options);
  }
}

/**
 * The process listening on the socket is not ours: nothing was sent to it.
 * Another user could have put a socket where we look; it must not get our
 * environment and script, nor print forged output.
 */
export class UntrustedPeerError extends Error {
  override readonly name = "UntrustedPeerError";
  /** `why`: when the peer's uid is unknown (-1), what made it untrusted instead. */
  constructor(readonly path: string, readonly peerUid: number, readonly ourUid: number, why?: string) {
    super(why !== undefined ? `refusing ${path}: ${why}` : `refusing ${path}: it is served by uid ${peerUid}, not by you (uid ${ourUid})`);
  }
}

export interface LinkHandlers {
  onMessage(id: number, msg: Message): void;
  /** The peer closed (or the connection broke). `error`: a protocol error the peer or we detected. */
  onClose(error: ProtocolError | undefined): void;
}

/** How a client reaches and vets its peers: the CLI (SO_PEERCRED) and the library (socket ownership) differ. */
export interface Transport {
  readonly dial: Dialer;
  /** Before anything is sent: throws UntrustedPeerError unless the peer is our own user's. */
  checkPeer(path: string, socket: DialedSocket): void;
}

/** Connect to a Unix socket and speak the protocol on it. `socketFd`: the socket's fd, when the runtime shows it. */
export async function openLink(path: string, handlers: LinkHandlers, transport: Transport): Promise<{ connection: Connection; socketFd: number | undefined }> {
  let connection: Connection | undefined;
  let protocolError: ProtocolError | undefined;
  const pendingChunks: Uint8Array[] = [];
  let closedEarly = false;
  const socket = await transport.dial(path, {
    data(chunk) {
      if (connection === undefined) pendingChunks.push(new Uint8Array(chunk));
      else connection.handleData(chunk);
    },
    drain() {
      connection?.handleDrain();
    },
    close() {
      if (connection === undefined) closedEarly = true;
      else connection.handleClose();
    },
    error(error) {
      protocolError ??= new ProtocolError("WORKER_LOST", `connection error: ${error.message}`, { cause: error });
    },
  }).catch((error: unknown) => {
    throw new ConnectFailedError(path, (error as NodeJS.ErrnoException).code, { cause: error });
  });
  try {
    transport.checkPeer(path, socket);
  } catch (error) {
    socket.destroy();
    throw error;
  }
  connection = new Connection(socket, CLIENT_ACCEPTS, {
    onMessage: handlers.onMessage,
    onProtocolError: (error) => (protocolError = error),
    onClose: () => handlers.onClose(protocolError),
  });
  for (const chunk of pendingChunks) connection.handleData(chunk);
  if (closedEarly) connection.handleClose();
  return { connection, socketFd: socket.fd };
}
