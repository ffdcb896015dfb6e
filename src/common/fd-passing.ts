// Passing open file descriptors between processes (SCM_RIGHTS), as
// Mercurial's chg client hands its stdio to the command server: the command
// then runs on the caller's own terminal, pipes and files.
//
// Bun's stream sockets read with read(2), which drops the ancillary data
// that carries fds, so fds travel on a side channel: a Unix datagram socket
// the receiver binds beside its stream socket (in the same 0700 directory).
// One datagram carries a nonce (the stream message that refers to the fds
// names it) and up to MAX_FDS_PER_MESSAGE fds; the sender's credentials come
// with it (SO_PASSCRED), so only the receiver's own user is accepted.
//
// Layouts are Linux x86_64/aarch64 (LP64): msghdr 56 bytes, iovec 16,
// cmsghdr header 16, ucred 12, sockaddr_un 110.

import { ptr } from "./ffi.ts";
import { errno, libc, moreLibc } from "./libc.ts";
import { AF_UNIX, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, unixAddress } from "./unix-address.ts";

const SOL_SOCKET = 1;
const SO_PASSCRED = 16;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
const MSG_DONTWAIT = 0x40;
const MSG_CMSG_CLOEXEC = 0x40000000;
const EAGAIN = 11;

/** The kernel's SCM_MAX_FD. */
export const MAX_FDS_PER_MESSAGE = 253;

export class FdPassingError extends Error {
  override readonly name = "FdPassingError";
  constructor(message: string, readonly errno: number | undefined = undefined) {
    super(errno === undefined ? message : `${message} (errno ${errno})`);
  }
}


function sockaddr(path: string): Uint8Array {
  const address = unixAddress(path);
  if (address === undefined) throw new FdPassingError(`socket path too long: ${path}`);
  return address;
}

function cmsgSpace(dataBytes: number): number {
  return 16 + Math.ceil(dataBytes / 8) * 8;
}

/**
 * A new random nonce (it travels in the stream message that refers to the
 * fds): a v4 UUID, 122 bits from the CSPRNG. Hex of random bytes through
 * Buffer cost `rushd -c` ~0.1 ms, cold, on every run; randomUUID is native.
 */
export function newNonce(): string {
  return crypto.randomUUID();
}

/**
 * Send `fds` to the datagram socket at `path`, tagged with `nonce`. The fds
 * stay open here (the receiver gets its own copies).
 */
export function sendFds(path: string, nonce: string, fds: readonly number[]): void {
  if (fds.length === 0 || fds.length > MAX_FDS_PER_MESSAGE) throw new FdPassingError(`cannot pass ${fds.length} fds in one message`);
  const symbols = libc();
  const socket = symbols.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (socket < 0) throw new FdPassingError("socket(AF_UNIX, SOCK_DGRAM) failed", errno());
  try {
    const address = sockaddr(path);
    const payload = new TextEncoder().encode(nonce);
    const iov = new BigUint64Array([BigInt(ptr(payload)), BigInt(payload.length)]);
    const control = new Uint8Array(cmsgSpace(4 * fds.length));
    const header = new DataView(control.buffer);
    header.setBigUint64(0, BigInt(16 + 4 * fds.length), true); // cmsg_len = CMSG_LEN
    header.setInt32(8, SOL_SOCKET, true);
    header.setInt32(12, SCM_RIGHTS, true);
    fds.forEach((fd, index) => header.setInt32(16 + 4 * index, fd, true));
    const msghdr = new DataView(new ArrayBuffer(56));
    msghdr.setBigUint64(0, BigInt(ptr(address)), true);
    msghdr.setUint32(8, address.length, true);
    msghdr.setBigUint64(16, BigInt(ptr(iov)), true);
    msghdr.setBigUint64(24, 1n, true);
    msghdr.setBigUint64(32, BigInt(ptr(control)), true);
    msghdr.setBigUint64(40, BigInt(control.length), true);
    const sent = symbols.sendmsg(socket, ptr(new Uint8Array(msghdr.buffer)), 0);
    if (Number(sent) < 0) throw new FdPassingError(`cannot pass fds to ${path}`, errno());
  } finally {
    symbols.close(socket);
  }
}

export interface ReceivedFds {
  readonly nonce: string;
  readonly fds: readonly number[];
  readonly senderUid: number;
  readonly senderPid: number;
}

/** What recvmsg fills: the nonce, the control messages (fds, credentials), and the msghdr pointing at them. */
interface ReceiveBuffers {
  readonly payload: Uint8Array;
  readonly control: Uint8Array;
  readonly controlView: DataView;
  readonly msghdr: DataView;
  /** The msghdr's address, for recvmsg. */
  readonly header: ReturnType<typeof ptr>;
  /** Kept alive with the msghdr that points at it. */
  readonly iov: BigUint64Array;
}

const NONCE_DECODER = new TextDecoder();

/**
 * Each over an ArrayBuffer of its own from the start: a typed array made
 * without one gets it on first use of .buffer (a subarray, a DataView), and
 * its bytes move there, away from the address recvmsg was given.
 */
function receiveBuffers(): ReceiveBuffers {
  const payload = new Uint8Array(new ArrayBuffer(64));
  const iov = new BigUint64Array(new ArrayBuffer(16));
  iov[0] = BigInt(ptr(payload));
  iov[1] = BigInt(payload.length);
  const control = new Uint8Array(new ArrayBuffer(cmsgSpace(4 * MAX_FDS_PER_MESSAGE) + cmsgSpace(12)));
  const msghdr = new DataView(new ArrayBuffer(56));
  msghdr.setBigUint64(16, BigInt(ptr(iov)), true);
  msghdr.setBigUint64(24, 1n, true);
  msghdr.setBigUint64(32, BigInt(ptr(control)), true);
  return { payload, control, controlView: new DataView(control.buffer), msghdr, header: ptr(new Uint8Array(msghdr.buffer)), iov };
}

/** The receiving end: a datagram socket bound at `path` (mode set by the caller's umask and directory). */
export class FdReceiver {
  private socket: number;
  /** Messages read while looking for another nonce (a client that sent fds, then connected late). */
  private readonly early = new Map<string, ReceivedFds>();
  private buffers: ReceiveBuffers | undefined;

  constructor(readonly path: string) {
    const symbols = libc();
    this.socket = symbols.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (this.socket < 0) throw new FdPassingError("socket(AF_UNIX, SOCK_DGRAM) failed", errno());
    const on = new Int32Array([1]);
    if (moreLibc().setsockopt(this.socket, SOL_SOCKET, SO_PASSCRED, ptr(on), 4) !== 0) {
      symbols.close(this.socket);
      throw new FdPassingError("setsockopt(SO_PASSCRED) failed", errno());
    }
    const address = sockaddr(path);
    if (moreLibc().bind(this.socket, ptr(address), address.length) !== 0) {
      const code = errno();
      symbols.close(this.socket);
      throw new FdPassingError(`cannot bind ${path}`, code);
    }
  }

  /**
   * The fds sent with `nonce`, if they have arrived (the sender sends them
   * before the stream message that names the nonce, so they normally have).
   * Messages with other nonces read on the way are kept for their own take().
   */
  take(nonce: string): ReceivedFds | undefined {
    const kept = this.early.get(nonce);
    if (kept !== undefined) {
      this.early.delete(nonce);
      return kept;
    }
    for (;;) {
      const message = this.receiveOne();
      if (message === undefined) return undefined;
      if (message.nonce === nonce) return message;
      this.early.set(message.nonce, message);
    }
  }

  /** Close every fd received and not taken (a client that never came for them). */
  discardUntaken(): void {
    for (;;) {
      const message = this.receiveOne();
      if (message === undefined) break;
      this.early.set(message.nonce, message);
    }
    for (const message of this.early.values()) for (const fd of message.fds) libc().close(fd);
    this.early.clear();
  }

  close(): void {
    if (this.socket < 0) return;
    this.discardUntaken();
    libc().close(this.socket);
    this.socket = -1;
  }

  private receiveOne(): ReceivedFds | undefined {
    const symbols = libc();
    // One set of buffers for every message (allocating them and taking their pointers was
    // most of a cold receive); recvmsg rewrites only the lengths, reset here.
    const buffers = (this.buffers ??= receiveBuffers());
    const { payload, control, msghdr } = buffers;
    msghdr.setBigUint64(40, BigInt(control.length), true);
    const received = Number(moreLibc().recvmsg(this.socket, buffers.header, MSG_DONTWAIT | MSG_CMSG_CLOEXEC));
    if (received < 0) {
      const code = errno();
      if (code === EAGAIN) return undefined;
      throw new FdPassingError(`recvmsg on ${this.path} failed`, code);
    }
    const controlLength = Number(msghdr.getBigUint64(40, true));
    const fds: number[] = [];
    let senderUid = -1;
    let senderPid = 0;
    const view = buffers.controlView;
    for (let at = 0; at + 16 <= controlLength;) {
      const length = Number(view.getBigUint64(at, true));
      if (length < 16) break;
      const level = view.getInt32(at + 8, true);
      const type = view.getInt32(at + 12, true);
      if (level === SOL_SOCKET && type === SCM_RIGHTS) {
        for (let offset = 16; offset + 4 <= length; offset += 4) fds.push(view.getInt32(at + offset, true));
      } else if (level === SOL_SOCKET && type === SCM_CREDENTIALS) {
        senderPid = view.getInt32(at + 16, true);
        senderUid = view.getUint32(at + 20, true);
      }
      at += Math.ceil(length / 8) * 8;
    }
    const nonce = NONCE_DECODER.decode(payload.subarray(0, received));
    const ourUid = process.getuid?.() ?? 0;
    if (senderUid !== ourUid) {
      // Not our user (or no credentials): never use what they sent.
      for (const fd of fds) symbols.close(fd);
      return this.receiveOne();
    }
    return { nonce, fds, senderUid, senderPid };
  }
}
