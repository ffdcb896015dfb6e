// Where a client's worker links come from: a lease from the daemon, then a
// connection to the worker it names. Keeps one daemon connection, made
// again when the daemon closed it (a restart, its idle timeout).

import { DaemonClient, DaemonRequestError } from "../daemon-client.ts";
import { ConnectFailedError, type Transport } from "../link.ts";
import { WorkerLink } from "../worker-link.ts";
import { RushdClosedError } from "./errors.ts";

export class Leaser {
  private daemon: DaemonClient | undefined;
  private daemonClosed = true;
  private closed = false;

  constructor(private readonly socket: string, private readonly transport: Transport, initialDaemon: DaemonClient) {
    this.useDaemon(initialDaemon);
  }

  /**
   * A link to a leased worker; one retry covers a worker that died between
   * grant and connect. `wait: false`: BUSY at once when no worker is free.
   */
  async lease(wait: boolean): Promise<WorkerLink> {
    for (let attempt = 0; ; attempt++) {
      const daemon = await this.connectedDaemon();
      try {
        const grant = await daemon.lease({ wait });
        const link = await WorkerLink.open(grant, { transport: this.transport });
        if (this.closed) {
          link.close();
          throw new RushdClosedError("the client was closed");
        }
        return link;
      } catch (error) {
        const retriable = error instanceof ConnectFailedError || (error instanceof DaemonRequestError && this.daemonClosed);
        if (!retriable || attempt >= 1) throw error;
      }
    }
  }

  /** Close the daemon connection; a lease under way ends with RushdClosedError and leaves nothing open. */
  close(): void {
    this.closed = true;
    this.daemon?.close();
  }

  private async connectedDaemon(): Promise<DaemonClient> {
    if (this.closed) throw new RushdClosedError("the client was closed");
    if (this.daemon !== undefined && !this.daemonClosed) return this.daemon;
    const daemon = await DaemonClient.connect(this.socket, this.transport);
    // Closed while connecting: an open daemon connection would keep the caller's process alive.
    if (this.closed) {
      daemon.close();
      throw new RushdClosedError("the client was closed");
    }
    this.useDaemon(daemon);
    return daemon;
  }

  private useDaemon(daemon: DaemonClient): void {
    this.daemon = daemon;
    this.daemonClosed = false;
    void daemon.closed.then(() => {
      if (this.daemon === daemon) this.daemonClosed = true;
    });
  }
}
