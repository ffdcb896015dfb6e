// Reference floor with rushd's protocol: what the held connection's round
// trip would cost if the worker did nothing at all. The benchmark process
// sends the frames the library sends for `run("true")` (a SessionInit
// without env, then an Execute, in one write) through rushd's Connection; a
// Bun process decodes them with the same code and answers an
// ExecutionResult at once (protocol-echo-server.ts). Between the bare
// socket echo and rushd, it splits the runtime's and the protocol's share
// from the worker's session work.

import type { Subprocess } from "bun";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { CLIENT_ACCEPTS, Connection, message, PROTOCOL_VERSION } from "../../src/protocol/index.ts";
import { readUntilReady } from "./socket-echo.ts";

const SERVER = resolve(import.meta.dir, "protocol-echo-server.ts");

export class ProtocolEcho {
  private waiting: (() => void) | undefined;
  private connection: Connection | undefined;
  private nextId = 1;

  private constructor(private readonly server: Subprocess<"ignore", "pipe", "inherit">, private readonly path: string) {}

  static async start(dir: string): Promise<ProtocolEcho> {
    const path = join(dir, "protocol-echo.sock");
    const server = Bun.spawn([process.execPath, SERVER, path], { stdin: "ignore", stdout: "pipe", stderr: "inherit" });
    const echo = new ProtocolEcho(server, path);
    try {
      await readUntilReady(server);
      let connection: Connection | undefined;
      const socket = await Bun.connect({
        unix: path,
        socket: {
          data: (_socket, data) => connection?.handleData(data),
          drain: () => connection?.handleDrain(),
          close: () => connection?.handleClose(),
        },
      });
      connection = new Connection(socket, CLIENT_ACCEPTS, {
        onMessage: (_id, msg) => {
          if (msg.type !== "ExecutionResult") return;
          const resolve = echo.waiting;
          echo.waiting = undefined;
          resolve?.();
        },
        onClose: () => {},
      });
      echo.connection = connection;
    } catch (error) {
      await echo.stop();
      throw error;
    }
    return echo;
  }

  /** One SessionInit + Execute out, one ExecutionResult back. */
  roundTrip(): Promise<void> {
    const connection = this.connection;
    if (connection === undefined) return Promise.reject(new Error("the protocol echo is not connected"));
    return new Promise((resolve) => {
      this.waiting = resolve;
      const init = message("SessionInit", { version: PROTOCOL_VERSION, cwd: process.cwd(), argv0: "rushd", args: [], umask: 0o022, ppid: process.pid, persistent: false, stdinReadAhead: true });
      connection.sendAll(this.nextId++, [init, message("Execute", { script: "true" })]);
    });
  }

  async stop(): Promise<void> {
    this.connection?.end();
    this.server.kill("SIGTERM");
    await this.server.exited;
    rmSync(this.path, { force: true });
  }
}
