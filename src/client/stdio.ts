// The client's own stdio: write command output to fd 1/2 without losing a
// byte, read fd 0 only as much as the command asks for.

import { read, writeSync } from "node:fs";

/** Write all of `data` to `fd`. Returns a promise only when the fd pushed back (EAGAIN). */
export function writeAll(fd: number, data: Uint8Array): void | Promise<void> {
  let at = 0;
  while (at < data.length) {
    try {
      at += writeSync(fd, data, at, data.length - at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") return Bun.sleep(1).then(() => writeAll(fd, data.subarray(at)));
      if (code === "EPIPE") throw new OutputClosedError(fd, { cause: error });
      throw error;
    }
  }
}

export class OutputClosedError extends Error {
  override readonly name = "OutputClosedError";
  constructor(readonly fd: number, options?: ErrorOptions) {
    super(`output fd ${fd} is closed`, options);
  }
}

/** Read at most `maxBytes` from `fd`; null at end of input (or when fd 0 is closed). */
export function readUpTo(fd: number, maxBytes: number): Promise<Uint8Array | null> {
  const buffer = new Uint8Array(Math.max(1, Math.min(maxBytes, 1 << 20)));
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      read(fd, buffer, 0, buffer.length, null, (error, bytesRead) => {
        if (error !== null) {
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
