// Reference floor: one round trip over a Unix socket between this process
// and another Bun process that echoes what it gets (DESIGN §7 anchor: 16 µs).
// No rushd code is involved; it shows how close rushd's one-hop path gets.

import type { Socket, Subprocess } from "bun";
import { rmSync } from "node:fs";
import { join } from "node:path";

const SERVER = `
Bun.listen({
  unix: process.env.BENCH_ECHO_SOCKET,
  socket: { data(socket, data) { socket.write(data); } },
});
process.stdout.write("ready\\n");
`;

const MESSAGE = new TextEncoder().encode("0123456789abcdef");

interface Pending {
  got: number;
  resolve(): void;
}

export class SocketEcho {
  private pending: Pending | undefined;
  private socket: Socket<undefined> | undefined;

  private constructor(private readonly server: Subprocess<"ignore", "pipe", "inherit">, private readonly path: string) {}

  static async start(dir: string): Promise<SocketEcho> {
    const path = join(dir, "echo.sock");
    const server = Bun.spawn([process.execPath, "-e", SERVER], {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "inherit",
      env: { ...process.env, BENCH_ECHO_SOCKET: path },
    });
    const echo = new SocketEcho(server, path);
    try {
      await readUntilReady(server);
      echo.socket = await Bun.connect({
        unix: path,
        socket: {
          data: (_socket, data) => echo.received(data.length),
        },
      });
    } catch (error) {
      await echo.stop();
      throw error;
    }
    return echo;
  }

  get pid(): number {
    return this.server.pid;
  }

  /** Send 16 bytes, resolve when all 16 came back. */
  roundTrip(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return Promise.reject(new Error("the echo socket is not connected"));
    return new Promise((resolve) => {
      this.pending = { got: 0, resolve };
      socket.write(MESSAGE);
    });
  }

  async stop(): Promise<void> {
    this.socket?.end();
    this.server.kill("SIGTERM");
    await this.server.exited;
    rmSync(this.path, { force: true }); // a killed server leaves its socket file
  }

  private received(bytes: number): void {
    const pending = this.pending;
    if (pending === undefined) return;
    pending.got += bytes;
    if (pending.got >= MESSAGE.length) {
      this.pending = undefined;
      pending.resolve();
    }
  }
}

export async function readUntilReady(server: Subprocess<"ignore", "pipe", "inherit">): Promise<void> {
  const reader = server.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("ready\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the echo server exited before it listened");
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
}
