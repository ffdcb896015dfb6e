// Where a client's worker links come from: a lease from the daemon, then a
// connection to the worker it names. Keeps one daemon connection, made
// again when the daemon closed it (a restart, its idle timeout).

import { DaemonClient, DaemonRequestError } from "../daemon-client.ts";
import { ConnectFailedError, type Transport } from "../link.ts";
import { WorkerLink } from "../worker-link.ts";

export class Leaser {
  private daemon: DaemonClient | undefined;
  private daemonClosed = true;

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
        return await WorkerLink.open(grant, { transport: this.transport });
      } catch (error) {
        const retriable = error instanceof ConnectFailedError || (error instanceof DaemonRequestError && this.daemonClosed);
        if (!retriable || attempt >= 1) throw error;
      }
    }
  }

  close(): void {
    this.daemon?.close();
  }

  private async connectedDaemon(): Promise<DaemonClient> {
    if (this.daemon !== undefined && !this.daemonClosed) return this.daemon;
    const daemon = await DaemonClient.connect(this.socket, this.transport);
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
