// A Unix stream socket driven by blocking system calls through bun:ffi, for
// `rushd -c`'s direct path (client/direct-run.ts). A `rushd -c` is a whole
// process per command, and Bun's own sockets cost it ~0.5 ms of cold set-up
// and event-loop turns (measured); connect, write and read here are plain
// system calls on a blocking fd.
//
// Waiting never blocks signals: `waitReadable` polls in slices and, when a
// slice ends or a signal interrupts it (poll fails with EINTR whatever the
// handler's SA_RESTART), yields to the event loop, where the JS handlers of
// process.on(signal) run (forwarded-signals.ts).

import { ptr } from "../../common/ffi.ts";
import { errno, libc } from "../../common/libc.ts";
import { peerCredentials } from "../../common/peer-credentials.ts";
import { connectUnix } from "../../common/connect-errno.ts";

const POLLIN = 0x1;
const EINTR = 4;
const EPIPE = 32;
/** How long one poll blocks before the event loop gets a turn (signals normally interrupt it at once). */
const WAIT_SLICE_MS = 100;
const READ_BUFFER_BYTES = 65536;

/** Could not connect; `errno` of connect(2) (or of socket(2)), for the caller's fallback to say why. */
export class BlockingConnectError extends Error {
  override readonly name = "BlockingConnectError";
  constructor(readonly path: string, readonly errno: number) {
    super(`cannot connect to ${path} (errno ${errno})`);
  }
}

export class BlockingSocket {
  private readonly buffer = new Uint8Array(READ_BUFFER_BYTES);
  private readonly pollFd: Int32Array;
  private closed = false;

  private constructor(readonly fd: number) {
    this.pollFd = new Int32Array([fd, POLLIN]); // struct pollfd { int fd; short events; short revents; }
  }

  /** Connect to the socket at `path`; BlockingConnectError if nothing accepts there. */
  static connect(path: string): BlockingSocket {
    const fd = connectUnix(path, false);
    if (fd < 0) throw new BlockingConnectError(path, -fd);
    return new BlockingSocket(fd);
  }

  /** The uid of the process that listens on the other end (SO_PEERCRED). */
  peerUid(): number {
    return peerCredentials(this.fd).uid;
  }

  /** Write all of `bytes`; false if the peer has closed (EPIPE: the runtime ignores SIGPIPE). */
  write(bytes: Uint8Array): boolean {
    const symbols = libc();
    for (let at = 0; at < bytes.length;) {
      const written = Number(symbols.write(this.fd, ptr(bytes, at), bytes.length - at));
      if (written > 0) {
        at += written;
        continue;
      }
      const code = errno();
      if (code === EINTR) continue;
      if (code === EPIPE) return false;
      throw new Error(`write to the rushd socket failed (errno ${code})`);
    }
    return true;
  }

  /** The next bytes from the peer, waiting for them; null once the peer has closed (or the connection broke). */
  async read(): Promise<Uint8Array | null> {
    await this.waitReadable();
    const length = Number(libc().read(this.fd, ptr(this.buffer), this.buffer.length));
    if (length <= 0) return null; // 0: end of stream; below 0: ECONNRESET and the like, a broken connection
    return this.buffer.slice(0, length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    libc().close(this.fd);
  }

  private async waitReadable(): Promise<void> {
    const symbols = libc();
    for (;;) {
      this.pollFd[1] = POLLIN; // revents (the high half) cleared
      const ready = symbols.poll(ptr(this.pollFd), 1, WAIT_SLICE_MS);
      if (ready > 0) return; // readable, or hung up or in error: read() tells which
      if (ready < 0 && errno() !== EINTR) throw new Error(`poll on the rushd socket failed (errno ${errno()})`);
      // A signal or the slice's end: let the event loop run its handlers (a forwarded SIGINT) first.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
