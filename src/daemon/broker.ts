// One client connection to the daemon's socket. The daemon answers three
// requests: Lease (hand out an idle worker's socket and one-time token),
// Status, Shutdown. It never relays a command's bytes.

import { Connection, DAEMON_ACCEPTS, message, ProtocolError, PROTOCOL_VERSION, type Message } from "../protocol/index.ts";
import { PoolBusyError, PoolStoppedError, type Pool } from "./pool.ts";
import type { WorkerHandle } from "./worker-handle.ts";

/** A connection must send its first request this soon. */
const FIRST_MESSAGE_TIMEOUT_MS = 10_000;

export interface BrokerContext {
  readonly pool: Pool;
  status(): Record<string, unknown>;
  shutdown(): void;
  log(line: string): void;
}

export class BrokerConnection {
  private firstMessageTimer: Timer | undefined;

  constructor(readonly connection: Connection, private readonly context: BrokerContext) {
    this.firstMessageTimer = setTimeout(() => {
      this.connection.fail(new ProtocolError("TIMEOUT", `no request within ${FIRST_MESSAGE_TIMEOUT_MS} ms`));
    }, FIRST_MESSAGE_TIMEOUT_MS);
  }

  handleMessage(id: number, msg: Message): void {
    clearTimeout(this.firstMessageTimer);
    this.firstMessageTimer = undefined;
    switch (msg.type) {
      case "Lease":
        if (msg.version !== PROTOCOL_VERSION) {
          return this.connection.fail(new ProtocolError("VERSION_MISMATCH", `protocol version ${msg.version} is not supported (this daemon speaks ${PROTOCOL_VERSION})`), id);
        }
        return this.lease(id);
      case "Status":
        return this.connection.send(id, message("StatusReply", { status: this.context.status() }));
      case "Shutdown":
        this.connection.send(id, message("ShutdownAck", {}));
        return this.context.shutdown();
      default:
        return this.connection.fail(new ProtocolError("UNKNOWN_TYPE", `the daemon does not accept ${msg.type}`), id);
    }
  }

  handleClose(): void {
    clearTimeout(this.firstMessageTimer);
  }

  private lease(id: number): void {
    this.context.pool.lease().then(
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
    this.connection.send(id, message("LeaseGrant", { socket: worker.socketPath, token: worker.token, workerPid: worker.pid, sessions }));
  }
}
