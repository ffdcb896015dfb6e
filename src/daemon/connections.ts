// The daemon's client connections: how many may be open, which to shed when
// the limit is reached, and when an idle one is closed.
//
// A daemon connection only ever carries small requests (Lease, Status,
// Shutdown): a connection with none in flight is idle, and idle connections
// are what a flood is made of. So at the limit the oldest idle connection is
// shed to make room, and only when every connection has a request in flight
// is a newcomer refused with BUSY. Idle connections are also closed after
// a timeout, so a client that sends one request (or half a frame) and
// then nothing does not hold a slot for ever (--connection-timeout).
//
// The limit is also kept below the process's open-files limit: Bun's accept
// loop spins at 100% CPU while accept(2) fails with EMFILE (measured), so the
// daemon must never let its connections use up its fds.

import type { Connection } from "../protocol/index.ts";


export interface TrackedConnection {
  readonly connection: Connection;
  /** Requests received and not yet answered (a queued Lease, a Status). */
  inFlight: number;
  lastActivityAt: number;
}

export type Admission = { readonly kind: "admitted"; readonly shed: TrackedConnection | undefined } | { readonly kind: "refused"; readonly reason: string };

export class ConnectionTable {
  /** In insertion order, so the first idle one found is the one idle the longest (refreshed on activity). */
  private readonly open = new Map<Connection, TrackedConnection>();
  shedTotal = 0;
  refusedTotal = 0;
  timedOutTotal = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.open.size;
  }

  get capacity(): number {
    return this.limit;
  }

  /** Decide on a new connection: room, room made by shedding an idle one, or BUSY. */
  admit(connection: Connection, now: number): Admission {
    let shed: TrackedConnection | undefined;
    if (this.open.size >= this.limit) {
      shed = this.oldestIdle();
      if (shed === undefined) {
        this.refusedTotal += 1;
        return { kind: "refused", reason: `too many connections (${this.open.size} open, each with a request in flight; limit ${this.limit})` };
      }
      this.open.delete(shed.connection);
      this.shedTotal += 1;
    }
    this.open.set(connection, { connection, inFlight: 0, lastActivityAt: now });
    return { kind: "admitted", shed };
  }

  requestStarted(connection: Connection, now: number): void {
    const tracked = this.touch(connection, now);
    if (tracked !== undefined) tracked.inFlight += 1;
  }

  requestFinished(connection: Connection, now: number): void {
    const tracked = this.touch(connection, now);
    if (tracked !== undefined) tracked.inFlight = Math.max(0, tracked.inFlight - 1);
  }

  remove(connection: Connection): void {
    this.open.delete(connection);
  }

  /** Connections idle since before `now - idleTimeoutMs`: removed here, for the caller to close. */
  takeTimedOut(now: number, idleTimeoutMs: number): TrackedConnection[] {
    const expired: TrackedConnection[] = [];
    for (const tracked of this.open.values()) {
      if (tracked.inFlight === 0 && now - tracked.lastActivityAt >= idleTimeoutMs) expired.push(tracked);
    }
    for (const tracked of expired) this.open.delete(tracked.connection);
    this.timedOutTotal += expired.length;
    return expired;
  }

  /** Up to `count` idle connections, idle the longest first: removed here, for the caller to close. */
  takeIdle(count: number): TrackedConnection[] {
    const taken: TrackedConnection[] = [];
    for (const tracked of this.open.values()) {
      if (taken.length >= count) break;
      if (tracked.inFlight === 0) taken.push(tracked);
    }
    for (const tracked of taken) this.open.delete(tracked.connection);
    this.shedTotal += taken.length;
    return taken;
  }

  private touch(connection: Connection, now: number): TrackedConnection | undefined {
    const tracked = this.open.get(connection);
    if (tracked === undefined) return undefined;
    tracked.lastActivityAt = now;
    // Re-insert: the map stays ordered by last activity.
    this.open.delete(connection);
    this.open.set(connection, tracked);
    return tracked;
  }

  private oldestIdle(): TrackedConnection | undefined {
    for (const tracked of this.open.values()) if (tracked.inFlight === 0) return tracked;
    return undefined;
  }
}

/**
 * The connection limit that fits in the fds this process may open: the
 * configured one, unless the open-files limit leaves less room once the
 * daemon's own fds are set aside (listener, log, pid file, and per worker its
 * IPC channel and pipes).
 */
export function effectiveConnectionLimit(configured: number, openFilesLimit: number, maxWorkers: number): number {
  const reserved = 32 + 4 * maxWorkers;
  return Math.max(1, Math.min(configured, openFilesLimit - reserved));
}
