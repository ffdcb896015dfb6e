// The client's own stdio: write command output to fd 1/2 without losing a
// byte, read fd 0 only as much as the command asks for.
//
// Output goes through Bun.write (no node:fs at start-up: loading it costs
// the client ~2 ms on every run). node:fs is loaded only when a command
// reads stdin, since only read(2) can take at most N bytes from a pipe.

type NodeFs = typeof import("node:fs");

export class OutputClosedError extends Error {
  override readonly name = "OutputClosedError";
  constructor(readonly fd: number, options?: ErrorOptions) {
    super(`output fd ${fd} is closed`, options);
  }
}

/** Write all of `data` to fd 1 or 2; resolves once written (rejects with OutputClosedError on EPIPE). */
export async function writeAll(fd: 1 | 2, data: Uint8Array): Promise<void> {
  try {
    await Bun.write(fd === 1 ? Bun.stdout : Bun.stderr, data);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EPIPE") throw new OutputClosedError(fd, { cause: error });
    throw error;
  }
}

export function writeStderr(text: string): Promise<void> {
  return writeAll(2, new TextEncoder().encode(text));
}

/** Read at most `maxBytes` from `fd`; null at end of input (or when fd 0 is closed). */
export async function readUpTo(fd: number, maxBytes: number): Promise<Uint8Array | null> {
  const fs = (await import("node:fs")) as NodeFs;
  const buffer = new Uint8Array(Math.max(1, Math.min(maxBytes, 1 << 20)));
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      fs.read(fd, buffer, 0, buffer.length, null, (error, bytesRead) => {
        if (error !== null) {
          // A non-blocking stdin inherited from the parent: wait for input like a blocking read would.
          if (error.code === "EAGAIN") return void setTimeout(attempt, 1);
          if (error.code === "EBADF" || error.code === "EINVAL") return resolve(null);
          return reject(error);
        }
        resolve(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
      });
    };
    attempt();
  });
}
