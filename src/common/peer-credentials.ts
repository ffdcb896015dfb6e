// Who is on the other end of a Unix socket: SO_PEERCRED, through bun:ffi
// (Node and Bun have no API for it). Both sides of every rushd connection ask
// before they trust the other (DESIGN §8): the client will not send its
// environment to a daemon that is not its user's, and the daemon and workers
// serve only their own user.

import { ptr } from "./ffi.ts";
import { libc } from "./libc.ts";

const SOL_SOCKET = 1;
const SO_PEERCRED = 17; // Linux, every architecture rushd is built for (x86_64, aarch64)

export interface PeerCredentials {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
}

export class PeerCredentialsError extends Error {
  override readonly name = "PeerCredentialsError";
}

/** A Bun socket's fd (present at run time, missing from Bun's type declarations). */
export function socketFd(socket: object): number {
  const fd = (socket as { fd?: unknown }).fd;
  if (typeof fd !== "number" || fd < 0) throw new PeerCredentialsError("the socket has no file descriptor");
  return fd;
}

/** The credentials of the process that created the peer end of the connected Unix socket `fd`. */
export function peerCredentials(fd: number): PeerCredentials {
  const ucred = new Int32Array(3); // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
  const length = new Uint32Array([ucred.byteLength]);
  if (libc().getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ptr(ucred), ptr(length)) !== 0) {
    throw new PeerCredentialsError(`cannot read the peer's credentials of fd ${fd} (getsockopt SO_PEERCRED failed)`);
  }
  return { pid: ucred[0] ?? 0, uid: (ucred[1] ?? 0) >>> 0, gid: (ucred[2] ?? 0) >>> 0 };
}

/**
 * Is a peer with this uid one we may talk to? Only our own user; root is
 * trusted only by root (a root daemon serving a user would run that user's
 * commands as root).
 */
export function isTrustedPeer(peerUid: number, ourUid: number): boolean {
  return peerUid === ourUid;
}

/** The peer of an accepted connection: its pid if it is our own user, else why it is refused (one line). */
export function checkPeer(socket: object, ourUid: number): { readonly pid: number } | string {
  try {
    const peer = peerCredentials(socketFd(socket));
    return isTrustedPeer(peer.uid, ourUid) ? { pid: peer.pid } : `refused a connection from uid ${peer.uid} (pid ${peer.pid}): only uid ${ourUid} is served`;
  } catch (error) {
    if (error instanceof PeerCredentialsError) return `refused a connection: ${error.message}`;
    throw error;
  }
}
