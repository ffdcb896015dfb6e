// Pool policy: which worker a lease gets, when to grow, queue, replace and
// retire. No sockets here; workers are reached through WorkerHandle.
//
// Pool mode: `workers` are pre-started and reused; each is reset by its own
// WorkerState after every session. Fork mode: a worker serves one session
// and exits, so every session runs in a fresh process.
//
// A lease request either waits (the library: it queues, up to --max-queue)
// or does not (`rushd -c`, which can run the command in process about as
// fast as a worker serves it: ~11 ms against ~10 ms for `true`, measured).
// A request that does not wait is served by an idle worker, or by a worker
// that is starting for no other request (a start takes ~90 ms when the
// machine is idle, so this is paid only while the pool grows, and on every
// session in fork mode, where each session is a start); it starts one if
// the pool may grow. When the pool is at --max-workers with nothing
// starting for it, it is refused at once (BUSY): the client runs the
// command itself instead of waiting for other clients' leases to end.

import type { DaemonOptions } from "./options.ts";
import { SampleWindow } from "./stats.ts";
import type { WorkerEvents, WorkerHandle } from "./worker-handle.ts";

export class PoolBusyError extends Error {
  override readonly name = "PoolBusyError";
}

export class PoolStoppedError extends Error {
  override readonly name = "PoolStoppedError";
}

/**
 * Workers are checked this often: a stopped one (SIGSTOP) is killed and
 * replaced at once, since its clients would hang; every PING_EVERY checks
 * they are pinged, and one that has not answered for HEALTH_TIMEOUT_MS is
 * killed and replaced.
 */
const HEALTH_INTERVAL_MS = 1_000;
const PING_EVERY = 5;
const HEALTH_TIMEOUT_MS = 20_000;

/** After a worker fails to start, the next start waits this long, doubling per failure up to the maximum. */
const START_BACKOFF_FIRST_MS = 200;
const START_BACKOFF_MAX_MS = 30_000;

/** A granted lease not used within this time is revoked (its client died between the grant and the connect). */
const GRANT_TIMEOUT_MS = 10_000;

/**
 * A request that does not wait gives up on a starting worker after this
 * long (a start normally takes ~90 ms; one that hangs must not hold a
 * `rushd -c` that could have run the command itself).
 */
const NO_WAIT_START_LIMIT_MS = 5_000;

type SpawnWorker = (events: WorkerEvents, maxSessions: number) => WorkerHandle;

interface Waiter {
  /** false: the client would rather run the command itself than wait for another client's lease to end. */
  readonly wait: boolean;
  resolve(worker: WorkerHandle): void;
  reject(error: Error): void;
  /** For a request that does not wait: when to stop waiting for the start it was queued for. */
  timer: Timer | undefined;
}

export class Pool {
  private readonly workers = new Set<WorkerHandle>();
  /** Idle workers, most recently used last (LIFO keeps caches warm). */
  private readonly idle: WorkerHandle[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly grantTimers = new Map<WorkerHandle, Timer>();
  private readonly idleSince = new Map<WorkerHandle, number>();
  /**
   * Workers started ahead to replace a worn one (retire-soon), each with the
   * worker it replaces: that one is sent `retire` once its replacement is
   * ready, so its client moves to a warm worker at once.
   */
  private readonly replacing = new Map<WorkerHandle, WorkerHandle>();
  /** Retired workers still running their last session's background jobs: not capacity, but stopped with the pool. */
  private readonly leaving = new Set<WorkerHandle>();
  private stopping = false;
  private idleTimer: Timer | undefined;
  private healthTimer: Timer | undefined;
  private healthChecks = 0;
  private startRetryTimer: Timer | undefined;
  /** Consecutive failed worker starts (spawn threw, or the worker exited before it was ready). */
  private consecutiveStartFailures = 0;
  startFailures = 0;
  startBackoffMs = 0;

  readonly resetUs = new SampleWindow();
  requestsTotal = 0;
  leasesTotal = 0;
  resetsFailed = 0;
  workersReplaced = 0;
  workersStarted = 0;
  /** The most workers in service (starting, idle, granted, leased) at once: what --max-workers bounds. */
  workersPeak = 0;
  /** Requests that would not wait, answered BUSY (no worker could serve them soon, or starts fail): commands clients ran in process. */
  leasesRefusedNoWait = 0;
  /** When a lease was last asked for, granted or ended, or a worker came or went (the idle-exit clock, idle-exit.ts). */
  lastActiveAt = Date.now();

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

  /**
   * Lease a clean worker: now if one is idle, else after one is started or
   * freed. `wait: false`: only if one is idle or starting for this request
   * (see the header); otherwise PoolBusyError at once.
   */
  lease(wait = true): Promise<WorkerHandle> {
    if (this.stopping) return Promise.reject(new PoolStoppedError("the daemon is stopping"));
    this.lastActiveAt = Date.now();
    const worker = this.takeIdle();
    if (worker !== undefined) return Promise.resolve(this.grant(worker));
    if (this.consecutiveStartFailures > 0 && this.workers.size === 0) {
      // Waiting would be waiting for a worker that may never come: the client runs the command itself,
      // and a start is tried again after the back-off (its success ends the fast refusals).
      this.spawnOrBackOff();
      return this.refuseNow(wait, `no worker is running: ${this.consecutiveStartFailures} starts failed in a row (next try in ${this.startBackoffMs} ms)`);
    }
    // Every starting worker is already promised to a queued request: this one needs a new start.
    const needsStart = this.startingCount() < this.waiters.length + 1;
    const canGrow = this.workers.size < this.options.maxWorkers;
    if (!wait && needsStart && (!canGrow || this.consecutiveStartFailures > 0)) {
      const why = canGrow ? "worker starts are failing" : `all ${this.workers.size} workers (--max-workers) are in use`;
      return this.refuseNow(wait, `no worker free now: ${why}; run the command in process`);
    }
    if (this.waiters.length >= this.options.maxQueue) {
      return this.refuseNow(wait, `busy: ${this.workers.size} workers in use and ${this.waiters.length} requests queued (--max-queue ${this.options.maxQueue})`);
    }
    if (needsStart && canGrow) this.spawnOrBackOff();
    else if (wait) this.askHoldersToYield(); // a request that does not wait has a start coming for it
    return this.enqueue(wait);
  }

  /** Does a lease hold the pool (granted, leased, queued, or a retired worker still running background jobs)? */
  hasWork(): boolean {
    if (this.waiters.length > 0 || this.leaving.size > 0) return true;
    for (const worker of this.workers) if (worker.phase === "granted" || worker.phase === "leased") return true;
    return false;
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
    return [...this.workers, ...this.leaving].map((worker) => ({ pid: worker.pid, state: worker.phase, requests: worker.sessionsServed }));
  }

  /** Stop leasing, wait (bounded) for leased workers, then stop them all. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.idleTimer);
    clearInterval(this.healthTimer);
    clearTimeout(this.startRetryTimer);
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new PoolStoppedError("the daemon is stopping"));
    }
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
      this.lastActiveAt = Date.now();
      this.clearGrant(worker);
      this.replacementReady(worker, true);
      const recovered = this.consecutiveStartFailures > 0;
      this.consecutiveStartFailures = 0;
      this.startBackoffMs = 0;
      // Starts work again: bring the pool back to its size (only one worker was tried at a time).
      if (recovered && !this.stopping) queueMicrotask(() => this.replenish());
      if (this.stopping) return worker.send({ kind: "shutdown" });
      this.makeAvailable(worker);
    },
    onLeased: (worker) => {
      this.lastActiveAt = Date.now();
      // Clients queued while this lease was being taken up: it yields at its first session boundary
      // (not for requests that do not wait: each has a start of its own coming).
      if (this.waiters.some((waiter) => waiter.wait)) worker.send({ kind: "yield" });
    },
    onServed: (worker, report) => {
      this.requestsTotal += report.resetUs.length;
      for (const resetUs of report.resetUs) this.resetUs.add(resetUs);
      for (const problems of report.failures) {
        this.resetsFailed += 1;
        this.log(`worker ${worker.pid}: reset verification failed, retiring it: ${problems.join("; ")}`);
      }
    },
    onRetireSoon: (worker, reason) => {
      this.lastActiveAt = Date.now();
      // A warm worker is already free, or no room to start one ahead (--max-workers): it can go now.
      if (this.stopping || this.idle.length > 0 || this.workers.size >= this.options.maxWorkers) return worker.send({ kind: "retire" });
      this.workersReplaced += 1;
      const replacement = this.spawn();
      if (replacement === undefined) return worker.send({ kind: "retire" }); // the start failed at once
      this.log(`worker ${worker.pid}: ${reason}; starting worker ${replacement.pid} to replace it first`);
      this.replacing.set(replacement, worker);
    },
    onRetiring: (worker) => {
      this.lastActiveAt = Date.now();
      // It serves no more sessions; a replacement can start now, while it finishes.
      this.clearGrant(worker);
      this.removeFromService(worker);
      this.leaving.add(worker);
      if (!this.stopping) this.replenish();
    },
    onExit: (worker, reason) => {
      this.lastActiveAt = Date.now();
      this.clearGrant(worker);
      // A replacement that died before it was ready: the worn worker retires anyway (its own replacement follows).
      this.replacementReady(worker, false);
      const wasLeaving = this.leaving.delete(worker);
      this.removeFromService(worker);
      if (this.stopping) return;
      if (!worker.everReady) {
        this.recordFailedStart(`worker ${worker.pid} failed to start: ${reason}`);
        this.refuseUnstartedNoWait("a worker failed to start");
      } else if (!reason.startsWith("retired") || this.options.mode === "pool") {
        this.log(`worker ${worker.pid} ${reason}`);
      }
      if (!wasLeaving) this.replenish();
    },
  };

  /** `worker` was started to replace a worn one and is ready (or it died first): the worn one retires now. */
  private replacementReady(worker: WorkerHandle, ready: boolean): void {
    const worn = this.replacing.get(worker);
    if (worn === undefined) return;
    this.replacing.delete(worker);
    this.log(ready
      ? `worker ${worker.pid} is ready: worker ${worn.pid} retires at its next session boundary`
      : `worker ${worker.pid} died before it was ready: worker ${worn.pid} retires anyway`);
    worn.send({ kind: "retire" });
  }

  /** Keep the pool at its size, and keep serving queued requests (after a back-off if starts fail). */
  private replenish(): void {
    const wanted = this.wantedWorkers();
    while (this.workers.size < wanted) {
      const before = this.workers.size;
      this.workersReplaced += 1;
      this.spawnOrBackOff();
      if (this.workers.size === before) return; // backing off, or the start failed
    }
  }

  /**
   * Start a worker now, or, after failed starts, once the back-off has
   * passed: workers that cannot start (no inodes, a deleted executable)
   * would otherwise be respawned many times a second, each failure a log line.
   */
  private spawnOrBackOff(): void {
    if (this.startRetryTimer !== undefined) return; // a start is already scheduled
    if (this.consecutiveStartFailures === 0) {
      this.spawn();
      return;
    }
    this.startBackoffMs = Math.min(START_BACKOFF_MAX_MS, START_BACKOFF_FIRST_MS * 2 ** (this.consecutiveStartFailures - 1));
    this.startRetryTimer = setTimeout(() => {
      this.startRetryTimer = undefined;
      if (this.stopping) return;
      // At least one: a fork-mode pool (no minimum) must still find out when workers can start again.
      if (this.workers.size < Math.max(1, this.wantedWorkers())) this.spawn();
    }, this.startBackoffMs);
  }

  // --- internals ---

  /** The pool's size, or more while requests are queued (up to --max-workers). */
  private wantedWorkers(): number {
    return Math.max(this.minimumWorkers(), Math.min(this.waiters.length, this.options.maxWorkers));
  }

  private recordFailedStart(line: string): void {
    this.startFailures += 1;
    this.consecutiveStartFailures += 1;
    this.log(line);
  }

  private minimumWorkers(): number {
    return this.options.mode === "pool" ? this.options.workers : 0;
  }

  private maxSessions(): number {
    return this.options.mode === "fork" ? 1 : this.options.maxRequestsPerWorker;
  }

  /** Start a worker; undefined if it could not even be spawned (a back-off retry is scheduled). */
  private spawn(): WorkerHandle | undefined {
    let worker: WorkerHandle;
    try {
      worker = this.spawnWorker(this.events, this.maxSessions());
    } catch (error) {
      // The executable is gone, no fds or processes are left …: a failed start, retried with back-off.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined && !(error instanceof Error)) throw error;
      this.recordFailedStart(`cannot start a worker: ${error instanceof Error ? error.message : String(error)}`);
      this.spawnOrBackOff();
      return undefined;
    }
    this.workersStarted += 1;
    this.workers.add(worker);
    this.workersPeak = Math.max(this.workersPeak, this.workers.size);
    return worker;
  }

  /** BUSY; for a request that does not wait, one more command its client runs in process. */
  private refuseNow(wait: boolean, message: string): Promise<never> {
    if (!wait) this.leasesRefusedNoWait += 1;
    return Promise.reject(new PoolBusyError(message));
  }

  private enqueue(wait: boolean): Promise<WorkerHandle> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { wait, resolve, reject, timer: undefined };
      if (!wait) {
        waiter.timer = setTimeout(() => this.refuse(waiter, `no worker was ready within ${NO_WAIT_START_LIMIT_MS} ms`), NO_WAIT_START_LIMIT_MS);
      }
      this.waiters.push(waiter);
    });
  }

  /**
   * Queued requests are served in order, so the first `starting` of them
   * get the workers now starting. A request that does not wait and is
   * further back (a start failed under it) is refused rather than left to
   * wait for the start back-off or another client's lease.
   */
  private refuseUnstartedNoWait(why: string): void {
    const starting = this.startingCount();
    const unstarted = this.waiters.slice(starting).filter((waiter) => !waiter.wait);
    for (const waiter of unstarted) this.refuse(waiter, why);
  }

  private refuse(waiter: Waiter, why: string): void {
    const at = this.waiters.indexOf(waiter);
    if (at < 0) return; // served meanwhile
    this.waiters.splice(at, 1);
    clearTimeout(waiter.timer);
    this.leasesRefusedNoWait += 1;
    waiter.reject(new PoolBusyError(`no worker free now: ${why}; run the command in process`));
  }

  /** The most recently used idle worker that can serve (a stopped one is replaced instead). */
  private takeIdle(): WorkerHandle | undefined {
    for (let worker = this.idle.pop(); worker !== undefined; worker = this.idle.pop()) {
      if (!worker.isStopped) return worker;
      this.killStopped(worker);
    }
    return undefined;
  }

  private killStopped(worker: WorkerHandle): void {
    this.log(`worker ${worker.pid}: stopped (SIGSTOP?); killing and replacing it`);
    this.removeFromService(worker);
    worker.kill("SIGKILL");
  }

  /** Not leasable any more, not counted as capacity (its exit is still awaited). */
  private removeFromService(worker: WorkerHandle): void {
    this.workers.delete(worker);
    this.idleSince.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
  }

  private startingCount(): number {
    let count = 0;
    for (const worker of this.workers) if (worker.phase === "starting") count += 1;
    return count;
  }

  private makeAvailable(worker: WorkerHandle): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      clearTimeout(waiter.timer);
      return waiter.resolve(this.grant(worker));
    }
    this.idle.push(worker);
    this.idleSince.set(worker, Date.now());
  }

  private grant(worker: WorkerHandle): WorkerHandle {
    worker.phase = "granted";
    this.lastActiveAt = Date.now();
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
    const ping = this.healthChecks++ % PING_EVERY === 0;
    for (const worker of [...this.workers]) {
      if (worker.phase === "exited") continue;
      if (worker.isStopped) {
        this.killStopped(worker);
        continue;
      }
      if (worker.phase === "starting" || !ping) continue;
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
