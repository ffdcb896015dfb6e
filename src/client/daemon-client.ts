// Requests to the daemon itself: Lease, Status, Shutdown. Each request gets
// the reply carrying its message id.

import { message, ProtocolError, PROTOCOL_VERSION, type Connection, type Message } from "../protocol/index.ts";
import { openLink, type Transport } from "./link.ts";

export class DaemonRequestError extends Error {
  override readonly name = "DaemonRequestError";
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Pending {
  resolve(msg: Message): void;
  reject(error: Error): void;
}

export class DaemonClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private connection!: Connection;
  private fd: number | undefined;
  private closedError: Error | undefined;
  private markClosed: () => void = () => {};
  /** Resolves when the daemon closes this connection. */
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  private constructor() {}

  /** Throws ConnectFailedError when nothing listens on `socketPath`. */
  static async connect(socketPath: string, transport: Transport): Promise<DaemonClient> {
    const client = new DaemonClient();
    ({ connection: client.connection, socketFd: client.fd } = await openLink(socketPath, {
      onMessage: (id, msg) => client.settle(id, msg),
      onClose: (error) => client.failAll(error ?? new DaemonRequestError("WORKER_LOST", "the daemon closed the connection")),
    }, transport));
    return client;
  }

  /** This connection's fd (under Bun): one of ours, not of the fds the caller gave us. */
  get socketFd(): number | undefined {
    return this.fd;
  }

  /**
   * `wait: false`: if no worker can be had now (or from a start already under
   * way), the daemon answers BUSY at once instead of queueing the request, so
   * a caller that can run the command itself (`rushd -c`) never waits for
   * other clients. The library waits (the default).
   */
  async lease(options: { readonly wait?: boolean } = {}): Promise<Message<"LeaseGrant">> {
    // Sent only when false: absent means wait, which is also what a daemon without the field does.
    const fields = options.wait === false ? { version: PROTOCOL_VERSION, wait: false } : { version: PROTOCOL_VERSION };
    const reply = await this.request(message("Lease", fields));
    if (reply.type === "LeaseGrant") return reply;
    throw unexpected(reply);
  }

  async status(): Promise<Record<string, unknown>> {
    const reply = await this.request(message("Status", {}));
    if (reply.type === "StatusReply") return reply.status;
    throw unexpected(reply);
  }

  async shutdown(): Promise<void> {
    const reply = await this.request(message("Shutdown", {}));
    if (reply.type !== "ShutdownAck") throw unexpected(reply);
  }

  close(): void {
    this.connection.end();
  }

  private request(msg: Message): Promise<Message> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.connection.send(id, msg);
    });
  }

  private settle(id: number, msg: Message): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    if (msg.type === "Error") pending.reject(new DaemonRequestError(msg.code, msg.message));
    else pending.resolve(msg);
  }

  private failAll(error: Error): void {
    this.closedError = error instanceof ProtocolError ? new DaemonRequestError(error.code, error.message) : error;
    for (const pending of this.pending.values()) pending.reject(this.closedError);
    this.pending.clear();
    this.markClosed();
  }
}

function unexpected(reply: Message): Error {
  return new DaemonRequestError("OUT_OF_ORDER", `unexpected reply ${reply.type} from the daemon`);
}
