// The worker leases one client holds: up to `maxLeases` links, each running
// one command at a time. A run takes an idle link, or one newly leased while
// under the limit, or waits for the next link to come free. Links stay
// leased between runs (a run is then one round trip on a held socket,
// DESIGN §7) until close(), which releases every one.

import { DaemonRequestError } from "../daemon-client.ts";
import { RushdAbortError, RushdClosedError } from "./errors.ts";

/** What the pool needs of a link (WorkerLink; a fake in the pool's tests). */
export interface PooledLink {
  /** It can start another session. */
  readonly isUsable: boolean;
  cancel(reason: string): void;
  close(): void;
}

/** A new link; `wait: false` must fail with DaemonRequestError BUSY at once when no worker is free. */
export type LinkSource<L> = (wait: boolean) => Promise<L>;

interface Waiter<L> {
  resolve(link: L): void;
  reject(error: Error): void;
}

export class LeasePool<L extends PooledLink> {
  private readonly idle: L[] = [];
  private readonly busy = new Set<L>();
  private readonly waiters: Waiter<L>[] = [];
  /** Lease requests under way. */
  private leasing = 0;
  /** The daemon had no free worker for a further lease: grow again only after one of ours comes free. */
  private isGrowthRefused = false;
  private closed = false;

  constructor(private readonly source: LinkSource<L>, private readonly maxLeases: number) {}

  /** A link with no command running, for one command. An abort while it waits takes it out of the queue. */
  acquire(abort?: AbortSignal): Promise<L> {
    if (this.closed) return Promise.reject(new RushdClosedError("the client is closed"));
    const waiting = new Promise<L>((resolve, reject) => {
      const waiter: Waiter<L> = { resolve, reject };
      this.waiters.push(waiter);
      abort?.addEventListener("abort", () => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return; // it has its link already: the run itself sees the abort
        this.waiters.splice(index, 1);
        reject(new RushdAbortError(abort.reason, undefined));
      }, { once: true });
    });
    this.dispatch();
    return waiting;
  }

  /**
   * An idle link now, if one is free and no command waits for one (it would
   * be served first): the common case of a client whose link is free takes
   * no promise, waiter or turn of the event loop.
   */
  takeIdle(): L | undefined {
    if (this.closed || this.waiters.length > 0) return undefined;
    for (let link = this.idle.pop(); link !== undefined; link = this.idle.pop()) {
      if (link.isUsable) {
        this.busy.add(link);
        return link;
      }
      link.close();
    }
    return undefined;
  }

  /** The command is over; the link serves the next one (or is dropped if it can serve no more). */
  release(link: L): void {
    this.busy.delete(link);
    this.isGrowthRefused = false;
    if (this.closed || !link.isUsable) link.close();
    else this.idle.push(link);
    this.dispatch();
  }

  /** A link of its own for a persistent session, outside the limit: it is held for the session's life. */
  async leaseDedicated(): Promise<L> {
    if (this.closed) throw new RushdClosedError("the client is closed");
    return this.source(true);
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
      (this.waiters.shift() as Waiter<L>).resolve(link);
    }
    // Lease more only for waiters no lease under way will serve, and only up to the limit.
    while (this.waiters.length > this.leasing && !this.isGrowthRefused && this.busy.size + this.idle.length + this.leasing < this.maxLeases) {
      // Holding links already, a further lease must not queue at the daemon: a queued lease makes
      // busy workers yield their leases (ours among them) after each session.
      const wait = this.busy.size + this.idle.length + this.leasing === 0;
      this.leasing += 1;
      this.source(wait).then(
        (link) => {
          this.leasing -= 1;
          if (this.closed) return link.close();
          this.idle.push(link);
          this.dispatch();
        },
        (error: unknown) => {
          this.leasing -= 1;
          if (!wait && error instanceof DaemonRequestError && error.code === "BUSY") {
            // No free worker now: our waiters get our own links as they come free. If none is left
            // (they ended their leases meanwhile), dispatch asks again, this time waiting.
            this.isGrowthRefused = this.busy.size > 0;
            return this.dispatch();
          }
          // With links still running, the waiters get one of those; with none, nothing will come.
          const failed = this.busy.size === 0 && this.leasing === 0 ? this.waiters.splice(0) : this.waiters.splice(0, 1);
          for (const waiter of failed) waiter.reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }
  }
}
