// The worker leases one client holds: up to `maxLeases` links, each running
// one command at a time. A run takes an idle link, or one newly leased while
// under the limit, or waits for the next link to come free. Links stay
// leased between runs (a run is then one round trip on a held socket,
// DESIGN §7) until close(), which releases every one.

import { DaemonClient, DaemonRequestError } from "../daemon-client.ts";
import { ConnectFailedError, type Transport } from "../link.ts";
import { WorkerLink } from "../worker-link.ts";
import { RushdClosedError } from "./errors.ts";

interface Waiter {
  resolve(link: WorkerLink): void;
  reject(error: Error): void;
}

export class LeasePool {
  private readonly idle: WorkerLink[] = [];
  private readonly busy = new Set<WorkerLink>();
  private readonly waiters: Waiter[] = [];
  /** Lease requests under way. */
  private leasing = 0;
  /** The daemon had no free worker for a further lease: grow again only after one of ours comes free. */
  private isGrowthRefused = false;
  private daemon: DaemonClient | undefined;
  private daemonClosed = true;
  private closed = false;

  constructor(
    private readonly socket: string,
    private readonly transport: Transport,
    private readonly maxLeases: number,
    initialDaemon: DaemonClient,
  ) {
    this.useDaemon(initialDaemon);
  }

  /** A link with no command running, for one command (or one persistent session: `exclusive`). */
  acquire(): Promise<WorkerLink> {
    if (this.closed) return Promise.reject(new RushdClosedError("the client is closed"));
    const waiting = new Promise<WorkerLink>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.dispatch();
    return waiting;
  }

  /** The command is over; the link serves the next one (or is dropped if it can serve no more). */
  release(link: WorkerLink): void {
    this.busy.delete(link);
    this.isGrowthRefused = false;
    if (this.closed || !link.isUsable) link.close();
    else this.idle.push(link);
    this.dispatch();
  }

  /** A link of its own for a persistent session, outside the limit: it is held for the session's life. */
  async leaseDedicated(): Promise<WorkerLink> {
    if (this.closed) throw new RushdClosedError("the client is closed");
    return this.leaseLink(true);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Every lease is released; a command still running is ended with its process tree first. */
  close(): void {
    this.closed = true;
    for (const link of this.idle.splice(0)) link.close();
    for (const link of this.busy) {
      link.cancel("the client was closed");
      link.close();
    }
    this.busy.clear();
    for (const waiter of this.waiters.splice(0)) waiter.reject(new RushdClosedError("the client was closed before the command could start"));
    this.daemon?.close();
  }

  private dispatch(): void {
    while (this.waiters.length > 0) {
      const link = this.idle.pop();
      if (link === undefined) break;
      if (!link.isUsable) {
        link.close();
        continue;
      }
      this.busy.add(link);
      (this.waiters.shift() as Waiter).resolve(link);
    }
    // Lease more only for waiters no lease under way will serve, and only up to the limit.
    while (this.waiters.length > this.leasing && !this.isGrowthRefused && this.busy.size + this.idle.length + this.leasing < this.maxLeases) {
      // Holding links already, a further lease must not queue at the daemon: a queued lease makes
      // busy workers yield their leases (ours among them) after each session.
      const wait = this.busy.size + this.idle.length + this.leasing === 0;
      this.leasing += 1;
      this.leaseLink(wait).then(
        (link) => {
          this.leasing -= 1;
          if (this.closed) return link.close();
          this.idle.push(link);
          this.dispatch();
        },
        (error: unknown) => {
          this.leasing -= 1;
          if (!wait && error instanceof DaemonRequestError && error.code === "BUSY") {
            // No free worker now: our waiters get our own links as they come free.
            this.isGrowthRefused = true;
            return this.dispatch();
          }
          // With links still running, the waiters get one of those; with none, nothing will come.
          const failed = this.busy.size === 0 && this.leasing === 0 ? this.waiters.splice(0) : this.waiters.splice(0, 1);
          for (const waiter of failed) waiter.reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
  }

  /** Lease a worker and connect to it; one retry covers a worker that died between grant and connect. */
  private async leaseLink(wait: boolean): Promise<WorkerLink> {
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

  /** The daemon connection, made again if the daemon closed it (a restart, an idle timeout). */
  private async connectedDaemon(): Promise<DaemonClient> {
    if (this.daemon !== undefined && !this.daemonClosed) return this.daemon;
    this.useDaemon(await DaemonClient.connect(this.socket, this.transport));
    return this.daemon as unknown as DaemonClient;
  }

  private useDaemon(daemon: DaemonClient): void {
    this.daemon = daemon;
    this.daemonClosed = false;
    void daemon.closed.then(() => {
      if (this.daemon === daemon) this.daemonClosed = true;
    });
  }
}
