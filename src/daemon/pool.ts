// Pool policy: which worker a lease gets, when to grow, queue, replace and
// retire. No sockets here; workers are reached through WorkerHandle.
//
// Pool mode: `workers` are pre-started and reused; each is reset by its own
// WorkerState after every session. Fork mode: a worker serves one session
// and exits, so every session runs in a fresh process.

import type { DaemonOptions } from "./options.ts";
import { SampleWindow } from "./stats.ts";
import type { WorkerEvents, WorkerHandle } from "./worker-handle.ts";

export class PoolBusyError extends Error {
  override readonly name = "PoolBusyError";
}

export class PoolStoppedError extends Error {
  override readonly name = "PoolStoppedError";
}

/** Workers are pinged this often; one that has not answered for HEALTH_TIMEOUT_MS is killed and replaced. */
const HEALTH_INTERVAL_MS = 5_000;
const HEALTH_TIMEOUT_MS = 20_000;

/** A granted lease not used within this time is revoked (its client died between the grant and the connect). */
const GRANT_TIMEOUT_MS = 10_000;

type SpawnWorker = (events: WorkerEvents, maxSessions: number) => WorkerHandle;

interface Waiter {
  resolve(worker: WorkerHandle): void;
  reject(error: Error): void;
}

export class Pool {
  private readonly workers = new Set<WorkerHandle>();
  /** Idle workers, most recently used last (LIFO keeps caches warm). */
  private readonly idle: WorkerHandle[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly grantTimers = new Map<WorkerHandle, Timer>();
  private readonly idleSince = new Map<WorkerHandle, number>();
  private stopping = false;
  private idleTimer: Timer | undefined;
  private healthTimer: Timer | undefined;

  readonly resetUs = new SampleWindow();
  requestsTotal = 0;
  leasesTotal = 0;
  resetsFailed = 0;
  workersReplaced = 0;
  workersStarted = 0;

  constructor(
    private readonly options: DaemonOptions,
    private readonly spawnWorker: SpawnWorker,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    const minimum = this.minimumWorkers();
    for (let i = 0; i < minimum; i++) this.spawn();
    this.healthTimer = setInterval(() => this.checkHealth(), HEALTH_INTERVAL_MS);
    this.healthTimer.unref();
    if (this.options.mode === "pool" && this.options.idleTimeoutS > 0) {
      this.idleTimer = setInterval(() => this.retireIdleSurplus(), Math.min(this.options.idleTimeoutS * 1000, 60_000) / 2);
      this.idleTimer.unref();
    }
  }

  /** Lease a clean worker: now if one is idle, else after one is started or freed. */
  lease(): Promise<WorkerHandle> {
    if (this.stopping) return Promise.reject(new PoolStoppedError("the daemon is stopping"));
    const worker = this.idle.pop();
    if (worker !== undefined) return Promise.resolve(this.grant(worker));
    if (this.waiters.length >= this.options.maxQueue) {
      return Promise.reject(new PoolBusyError(`busy: ${this.workers.size} workers in use and ${this.waiters.length} requests queued (--max-queue ${this.options.maxQueue})`));
    }
    if (this.startingCount() < this.waiters.length + 1 && this.workers.size < this.options.maxWorkers) this.spawn();
    else this.askHoldersToYield();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The client that asked for this lease went away before it could use it. */
  returnUnused(worker: WorkerHandle): void {
    this.clearGrant(worker);
    if (worker.phase === "granted") {
      worker.phase = "idle";
      this.makeAvailable(worker);
    }
  }

  /** Sessions the worker may still serve on a lease (the client asks for a new lease after that). */
  sessionsLeft(worker: WorkerHandle): number {
    return Math.max(1, this.maxSessions() - worker.sessionsServed);
  }

  snapshot(): { pid: number; state: string; requests: number }[] {
    return [...this.workers].map((worker) => ({ pid: worker.pid, state: worker.phase, requests: worker.sessionsServed }));
  }

  /** Stop leasing, wait (bounded) for leased workers, then stop them all. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.idleTimer);
    clearInterval(this.healthTimer);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new PoolStoppedError("the daemon is stopping"));
    const deadline = Date.now() + graceMs;
    const all = [...this.workers];
    for (const worker of all) if (worker.phase !== "leased") worker.send({ kind: "shutdown" });
    await Promise.race([
      Promise.all(all.map((worker) => worker.exited)),
      Bun.sleep(Math.max(0, deadline - Date.now())),
    ]);
    for (const worker of this.workers) worker.kill("SIGKILL");
    await Promise.all(all.map((worker) => worker.exited));
  }

  // --- worker events ---

  readonly events: WorkerEvents = {
    onIdle: (worker) => {
      this.clearGrant(worker);
      if (this.stopping) return worker.send({ kind: "shutdown" });
      this.makeAvailable(worker);
    },
    onLeased: (worker) => {
      // Clients queued while this lease was being taken up: it yields at its first session boundary.
      if (this.waiters.length > 0) worker.send({ kind: "yield" });
    },
    onServed: (worker, report) => {
      this.requestsTotal += report.resetUs.length;
      for (const resetUs of report.resetUs) this.resetUs.add(resetUs);
      for (const problems of report.failures) {
        this.resetsFailed += 1;
        this.log(`worker ${worker.pid}: reset verification failed, retiring it: ${problems.join("; ")}`);
      }
    },
    onExit: (worker, reason) => {
      this.clearGrant(worker);
      this.workers.delete(worker);
      this.idleSince.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      if (this.stopping) return;
      if (!reason.startsWith("retired") || this.options.mode === "pool") this.log(`worker ${worker.pid} ${reason}`);
      // Keep the pool at its size, and keep serving queued requests.
      const wanted = Math.max(this.minimumWorkers(), Math.min(this.waiters.length, this.options.maxWorkers));
      if (this.workers.size < wanted) {
        this.workersReplaced += 1;
        this.spawn();
      }
    },
  };

  // --- internals ---

  private minimumWorkers(): number {
    return this.options.mode === "pool" ? this.options.workers : 0;
  }

  private maxSessions(): number {
    return this.options.mode === "fork" ? 1 : this.options.maxRequestsPerWorker;
  }

  private spawn(): void {
    const worker = this.spawnWorker(this.events, this.maxSessions());
    this.workersStarted += 1;
    this.workers.add(worker);
  }

  private startingCount(): number {
    let count = 0;
    for (const worker of this.workers) if (worker.phase === "starting") count += 1;
    return count;
  }

  private makeAvailable(worker: WorkerHandle): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) return waiter.resolve(this.grant(worker));
    this.idle.push(worker);
    this.idleSince.set(worker, Date.now());
  }

  private grant(worker: WorkerHandle): WorkerHandle {
    worker.phase = "granted";
    this.leasesTotal += 1;
    this.idleSince.delete(worker);
    this.grantTimers.set(worker, setTimeout(() => {
      this.grantTimers.delete(worker);
      if (worker.phase === "granted") {
        this.log(`worker ${worker.pid}: lease granted but never used; revoking it`);
        worker.send({ kind: "revoke" });
      }
    }, GRANT_TIMEOUT_MS));
    return worker;
  }

  private clearGrant(worker: WorkerHandle): void {
    const timer = this.grantTimers.get(worker);
    if (timer !== undefined) clearTimeout(timer);
    this.grantTimers.delete(worker);
  }

  /**
   * Held leases would starve queued clients (a library client holds its
   * worker between requests): ask every leased worker to end its lease at
   * its next session boundary. Its client re-leases and queues fairly.
   */
  private askHoldersToYield(): void {
    for (const worker of this.workers) if (worker.phase === "leased") worker.send({ kind: "yield" });
  }

  /** Ping every worker; kill one that stopped answering (a wedged event loop cannot serve or reset). */
  private checkHealth(): void {
    const now = Date.now();
    for (const worker of this.workers) {
      if (worker.phase === "starting" || worker.phase === "exited") continue;
      if (now - worker.lastPongAt > HEALTH_TIMEOUT_MS) {
        this.log(`worker ${worker.pid}: no answer to health checks for ${Math.round((now - worker.lastPongAt) / 1000)}s; killing it`);
        worker.kill("SIGKILL");
        continue;
      }
      worker.send({ kind: "ping" });
    }
  }

  private retireIdleSurplus(): void {
    const cutoff = Date.now() - this.options.idleTimeoutS * 1000;
    while (this.workers.size > this.minimumWorkers()) {
      const oldest = this.idle[0];
      if (oldest === undefined || (this.idleSince.get(oldest) ?? Infinity) > cutoff) return;
      this.idle.shift();
      this.log(`worker ${oldest.pid}: idle for ${this.options.idleTimeoutS}s above the pool size; retiring it`);
      oldest.send({ kind: "shutdown" });
      this.workers.delete(oldest);
    }
  }
}
