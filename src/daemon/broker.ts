// One client connection to the daemon's socket. The daemon answers three
// requests: Lease (hand out an idle worker's socket and one-time token),
// Status, Shutdown. It never relays a command's bytes.

import { Connection, message, ProtocolError, PROTOCOL_VERSION, workerFdSocketPath, type Message } from "../protocol/index.ts";
import { PoolBusyError, PoolStoppedError, type Pool } from "./pool.ts";
import type { WorkerHandle } from "./worker-handle.ts";

export interface BrokerContext {
  readonly pool: Pool;
  status(): Record<string, unknown>;
  shutdown(): void;
  log(line: string): void;
  /** A request arrived / was answered: a connection with none in flight is idle (connections.ts). */
  requestStarted(): void;
  requestFinished(): void;
}

// A connection that sends nothing (or half a frame) is closed by the daemon's idle sweep (connections.ts).
export class BrokerConnection {
  constructor(readonly connection: Connection, private readonly context: BrokerContext) {}

  handleMessage(id: number, msg: Message): void {
    this.context.requestStarted();
    switch (msg.type) {
      case "Lease":
        if (msg.version !== PROTOCOL_VERSION) {
          return this.connection.fail(new ProtocolError("VERSION_MISMATCH", `protocol version ${msg.version} is not supported (this daemon speaks ${PROTOCOL_VERSION})`), id);
        }
        return this.lease(id, msg.wait !== false);
      case "Status":
        this.connection.send(id, message("StatusReply", { status: this.context.status() }));
        return this.context.requestFinished();
      case "Shutdown":
        this.connection.send(id, message("ShutdownAck", {}));
        this.context.requestFinished();
        return this.context.shutdown();
      default:
        return this.connection.fail(new ProtocolError("UNKNOWN_TYPE", `the daemon does not accept ${msg.type}`), id);
    }
  }

  /** `wait`: false from `rushd -c`, which runs the command itself if no worker is free now (pool.ts). */
  private lease(id: number, wait: boolean): void {
    this.context.pool.lease(wait).finally(() => this.context.requestFinished()).then(
      (worker) => this.grant(id, worker),
      (error: unknown) => {
        if (error instanceof PoolBusyError || error instanceof PoolStoppedError) {
          return this.connection.send(id, message("Error", { code: "BUSY", message: error.message }));
        }
        this.context.log(`lease failed: ${String(error)}`);
        this.connection.send(id, message("Error", { code: "INTERNAL", message: `cannot lease a worker: ${String(error)}` }));
      },
    );
  }

  private grant(id: number, worker: WorkerHandle): void {
    if (this.connection.isClosed) return this.context.pool.returnUnused(worker);
    const sessions = this.context.pool.sessionsLeft(worker);
    this.connection.send(id, message("LeaseGrant", { socket: worker.socketPath, token: worker.token, workerPid: worker.pid, sessions, fdSocket: workerFdSocketPath(worker.socketPath) }));
  }
}
