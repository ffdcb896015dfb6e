// The CLI's transport: Bun's sockets, SO_PEERCRED on every connection
// (DESIGN §8), and fd passing. Both load bun:ffi, so the library (which must
// also run under Node.js) uses library/transport.ts instead.

import { FdPassingError, newNonce, sendFds } from "../../common/fd-passing.ts";
import { isTrustedPeer, peerCredentials } from "../../common/peer-credentials.ts";
import { UntrustedPeerError, type Transport } from "../link.ts";
import type { FdPasser } from "../worker-link.ts";
import { dialBun } from "./bun-socket.ts";

export const cliTransport: Transport = {
  dial: dialBun,
  checkPeer(path, socket) {
    if (socket.fd === undefined) throw new UntrustedPeerError(path, -1, process.getuid?.() ?? 0);
    const ourUid = process.getuid?.() ?? 0;
    const peerUid = peerCredentials(socket.fd).uid;
    if (!isTrustedPeer(peerUid, ourUid)) throw new UntrustedPeerError(path, peerUid, ourUid);
  },
};

/** Pass this process's fds to a worker with SCM_RIGHTS; undefined (streamed stdio) if they cannot go. */
export const passFdsToWorker: FdPasser = (fdSocket, fds) => {
  const nonce = newNonce();
  try {
    sendFds(fdSocket, nonce, fds);
  } catch (error) {
    if (error instanceof FdPassingError) return undefined;
    throw error;
  }
  return { fds: [...fds], nonce };
};
