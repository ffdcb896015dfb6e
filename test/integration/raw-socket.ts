// Raw protocol connections for the overload and hostile-input tests: hold
// many open at once, send any bytes, read what comes back.

import type { Socket } from "bun";
import { CLIENT_ACCEPTS, decodeMessage, FrameReader, type Message } from "../../src/protocol/index.ts";

export class RawConnection {
  readonly received: Message[] = [];
  private readonly reader = new FrameReader();
  private socket: Socket<undefined> | undefined;
  private closedResolve: () => void = () => {};
  readonly closed = new Promise<void>((resolve) => (this.closedResolve = resolve));
  isClosed = false;

  static async open(path: string): Promise<RawConnection> {
    const raw = new RawConnection();
    raw.socket = await Bun.connect({
      unix: path,
      socket: {
        data: (_socket, chunk) => {
          for (const frame of raw.reader.push(new Uint8Array(chunk))) raw.received.push(decodeMessage(frame.payload, CLIENT_ACCEPTS));
        },
        close: () => {
          raw.isClosed = true;
          raw.closedResolve();
        },
        error: () => {
          raw.isClosed = true;
          raw.closedResolve();
        },
      },
    });
    return raw;
  }

  write(bytes: Uint8Array): void {
    this.socket?.write(bytes);
  }

  close(): void {
    this.socket?.end();
  }

  errorCodes(): string[] {
    return this.received.flatMap((msg) => (msg.type === "Error" ? [msg.code] : []));
  }
}

/** Open `count` connections at once; those the kernel or daemon refuse outright are not returned. */
export async function openMany(path: string, count: number): Promise<RawConnection[]> {
  const settled = await Promise.allSettled(Array.from({ length: count }, () => RawConnection.open(path)));
  return settled.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
}
