// The worker role of the rushd executable (started by the daemon with
// `rushd __worker …`). It listens on its own socket inside the daemon's
// 0700 directory and serves one leased client connection at a time; the
// daemon only brokers leases and hears about them over IPC, so a request's
// bytes cross one socket (DESIGN §7).

import { unlinkSync } from "node:fs";
import type { Socket } from "bun";
import { Connection, isDaemonToWorker, listenFramed, ProtocolError, WORKER_ACCEPTS, workerFdSocketPath, type WorkerToDaemon } from "../protocol/index.ts";
import { FdReceiver } from "../common/fd-passing.ts";
import { removeIfPresent } from "../common/remove-file.ts";
import { checkPeer } from "../common/peer-credentials.ts";
import { LeaseConnection, type ProcessControl } from "./lease-connection.ts";
import { ParseCache } from "../shell/index.ts";
import { adoptedChildren, becomeSubreaper, killTree, pruneExited, reapAdopted, signalTree } from "./process-tree.ts";
import { StateCaptureError, WorkerState } from "./state.ts";
import { warmUp } from "./warm-up.ts";
import { routeStraySignals } from "./stray-signals.ts";
import { PackedEnvironments } from "./packed-env.ts";
import { CallerEnvironments } from "./caller-environment.ts";
import { readCallerAttributes } from "./caller-attributes.ts";
import { enableStageClock } from "../common/stage-clock.ts";

export interface WorkerOptions {
  readonly socketPath: string;
  /** Sessions this worker may serve before it retires (1 in fork mode). */
  readonly maxSessions: number;
  readonly verifyReset: boolean;
  /** Time each session's stages and report them with its result (common/stage-clock.ts). */
  readonly profileStages: boolean;
  /** Seconds a request may run (0: no limit); past it the command is killed and the worker retires. */
  readonly requestTimeoutS: number;
  /** Retire once RSS grew this many MB past its size when it took its first client (0: never). */
  readonly maxGrowthMb: number;
}

/**
 * A pooled worker asks for its replacement (retire-soon) when it has served
 * this share of its sessions, so the replacement is warm before the count
 * runs out (at the default 1,000,000: 50,000 left, seconds at full speed).
 */
const RETIRE_NOTICE_SHARE = 0.95;

/** After retire-soon, the worker retires by itself if the daemon has not said `retire` within this long. */
const REPLACEMENT_WAIT_MS = 10_000;

/**
 * After this long without a session the worker collects its garbage, so
 * that freed pages go back to the system: a busy worker's RSS sits
 * ~40 MB above its fresh size (JIT code, the allocator's cached pages),
 * which an idle one need not keep. A request arriving during it waits a few ms.
 */
const IDLE_TRIM_MS = 1_000;

/** Sessions between two looks at this process's RSS (a read of /proc/self/statm: cheap, but not free per session). */
const MEMORY_CHECK_SESSIONS = 64;

/** Longest delay before a held lease's counters reach the daemon (they are batched off the hot path). */
const REPORT_INTERVAL_MS = 100;

/** In-memory sessions a pooled worker runs before it takes clients (each round runs every warm-up script). */
const WARM_UP_ROUNDS = 30;

/** Exit status of a worker that retired because a request timed out (non-zero: the daemon kills its process group). */
const EXIT_REQUEST_TIMEOUT = 3;

/** A worker leaving waits at most this long for its last reports to be sent. */
const EXIT_FLUSH_TIMEOUT_MS = 1_000;

/** Orphans the worker adopted (it is a subreaper) are reaped this often. */
const REAP_INTERVAL_MS = 2_000;

/** Exit status of a worker that could not capture its start state. */
export const EXIT_CAPTURE_FAILED = 70;

export async function runWorker(options: WorkerOptions): Promise<void> {
  if (options.profileStages) enableStageClock();
  let state: WorkerState;
  try {
    state = WorkerState.capture();
  } catch (error) {
    if (!(error instanceof StateCaptureError)) throw error;
    console.error(`rushd worker: ${error.message}: ${String(error.cause)}`);
    process.exit(EXIT_CAPTURE_FAILED);
  }
  // Only a worker that will serve many sessions is worth warming; a fork-mode worker serves one.
  if (options.maxSessions > 1) {
    await warmUp(WARM_UP_ROUNDS);
    trimMemory(); // give back the warm-up's garbage: an idle worker should stay small
  }
  const worker = new Worker(state, options);
  worker.listen();
}

class Worker {
  private token = newToken();
  /** The one attached lease (the connection that presented the token). Others may be connecting. */
  private current: LeaseConnection | undefined;
  /** Pids Bun spawned for sessions (Bun reaps them; the worker reaps only orphans it adopted). */
  private readonly spawned = new Set<number>();
  /** Background jobs of the last session still running here: the worker serves no more and exits after them. */
  private jobsRunning: Promise<void> | undefined;
  private readonly uid = process.getuid?.() ?? 0;
  /** Parsed scripts, shared by every session this worker serves (parse-cache.ts says what is kept). */
  private readonly parseCache = new ParseCache();
  /** Environments unpacked from SessionInit.envPacked (packed-env.ts), shared likewise. */
  private readonly packedEnvironments = new PackedEnvironments();
  /** Environments read from `rushd -c` clients' /proc entries (caller-environment.ts), shared likewise. */
  private readonly callerEnvironments = new CallerEnvironments();
  /** Where clients pass their fds (SCM_RIGHTS); created in listen(). */
  fdReceiver: FdReceiver | undefined;
  private readonly processControl: ProcessControl = {
    started: (pid) => void this.spawned.add(pid),
    signalTree: (roots, signal) => void signalTree(roots, signal),
    killTree: (roots) => killTree(roots, this.spawned),
  };
  private sessionsServed = 0;
  private retireReason: string | undefined;
  /** Why the worker asked to be replaced (retire-soon), while it serves on until the daemon says `retire`. */
  private pendingRetirement: string | undefined;
  private replacementTimer: Timer | undefined;
  /** The daemon has clients waiting: end the current lease at the next session boundary. */
  private yieldRequested = false;
  private listener: ReturnType<typeof listenFramed> | undefined;
  private servedResetUs: number[] = [];
  private servedFailures: (readonly string[])[] = [];
  private reportTimer: Timer | undefined;
  private trimTimer: Timer | undefined;

  /** RSS when the worker took its first client (after warm-up and a full GC): what growth is measured from. */
  private readonly freshRss = process.memoryUsage.rss();

  constructor(
    private readonly state: WorkerState,
    private readonly options: WorkerOptions,
  ) {}

  /**
   * Why the worker must retire for its memory, if it must: its RSS grew past
   * the bound (a leak in the runtime or the interpreter shows as steady
   * growth; a pooled worker is retired on that evidence, not after a fixed
   * count of sessions).
   */
  memoryGrowth(): string | undefined {
    if (this.options.maxGrowthMb <= 0) return undefined;
    const rss = process.memoryUsage.rss();
    const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);
    if (rss - this.freshRss <= this.options.maxGrowthMb * 1048576) return undefined;
    return `memory grew from ${mb(this.freshRss)} MB to ${mb(rss)} MB (more than ${this.options.maxGrowthMb} MB past its fresh size)`;
  }

  listen(): void {
    routeStraySignals((signal) => this.current?.signalFromOutside(signal));
    // A session's processes stay below this one when their parents exit, so its tree can be ended (process-tree.ts).
    if (becomeSubreaper()) {
      setInterval(() => {
        pruneExited(this.spawned);
        reapAdopted(this.spawned);
      }, REAP_INTERVAL_MS).unref();
    }
    const fdSocket = workerFdSocketPath(this.options.socketPath);
    removeIfPresent(fdSocket);
    this.fdReceiver = new FdReceiver(fdSocket);
    this.listener = listenFramed(this.options.socketPath, {
      accept: (socket) => this.accept(socket),
      socketError: (error) => console.error("rushd worker: socket error:", error),
    });
    process.on("message", (value: unknown) => {
      if (!isDaemonToWorker(value)) return;
      switch (value.kind) {
        case "revoke":
          if (this.current === undefined) this.issueToken();
          return;
        case "yield":
          if (this.current === undefined) return;
          this.yieldRequested = true;
          this.current.endLeaseIfDue();
          return;
        case "retire":
          return this.retireNow();
        case "ping":
          return this.report({ kind: "pong" });
        case "shutdown":
          return this.exitAfterJobs();
      }
    });
    // The daemon is gone (even kill -9): nobody can lease us again.
    process.on("disconnect", () => this.exitAfterJobs());
    this.report({ kind: "ready", socket: this.options.socketPath, token: this.token });
  }

  /**
   * A new connection. Any number may connect, but only the one that presents
   * the current token is attached (serves sessions); one that never does is
   * dropped after ATTACH_TIMEOUT_MS, and cannot get in the way of the leased
   * client.
   */
  private accept(socket: Socket<unknown>): Connection {
    const worker = this;
    let lease: LeaseConnection | undefined; // stays undefined for a connection refused below
    const connection = new Connection(socket, WORKER_ACCEPTS, {
      onMessage: (id, msg) => lease?.handleMessage(id, msg),
      onClose: () => lease?.handleClose(),
      onPeerEnd: () => lease?.handlePeerEnd(),
    });
    const peer = checkPeer(socket, this.uid);
    if (typeof peer === "string") {
      console.error(`rushd worker ${process.pid}: ${peer}`);
      connection.refuse(new ProtocolError("FORBIDDEN", "this worker serves only its own user"));
      return connection;
    }
    // Read while the client is still sending its fds and SessionInit (they take it ~0.2 ms), not after.
    const callerAttributes = once(() => readCallerAttributes(peer.pid));
    setImmediate(callerAttributes);
    lease = new LeaseConnection(connection, this.state, {
      attach(candidate, token) {
        if (worker.current !== undefined || worker.jobsRunning !== undefined) return "busy";
        if (token === undefined || token === "" || token !== worker.token) return "bad-token";
        worker.token = ""; // one use
        worker.current = candidate;
        // After the session has run (its first command usually ends in this turn): an IPC write is
        // ~20 µs of a cold `rushd -c`, and the daemon needs the news only for its bookkeeping.
        // Not if the lease already ended meanwhile (a client that hung up at once): its `idle` went first.
        setImmediate(() => {
          if (worker.current === candidate) worker.report({ kind: "leased" });
        });
        return "attached";
      },
      sessionDone(outcome) {
        worker.sessionsServed += 1;
        worker.trimWhenIdle();
        const resetOk = outcome.problems.length === 0;
        worker.recordServed(outcome.resetUs, outcome.problems);
        if (outcome.jobsRunning !== undefined) {
          worker.jobsRunning = outcome.jobsRunning;
          worker.retireReason = "background jobs of its last session are still running";
        } else if (!resetOk) worker.retireReason = `reset left the worker dirty: ${outcome.problems.join("; ")}`;
        else if (worker.sessionsServed >= worker.options.maxSessions) worker.retireReason = `served ${worker.sessionsServed} sessions`;
        else worker.checkWear();
      },
      leaseEndReason: () => worker.retireReason ?? (worker.yieldRequested ? "other clients are waiting for a worker" : undefined),
      leaseEnded(attached) {
        // A connection that never showed the token leaves the lease as it was.
        if (!attached || worker.current !== lease) return;
        worker.current = undefined;
        // Fds sent for sessions that never ran (the lease ended first) must not wait for a later client.
        worker.fdReceiver?.discardUntaken();
        worker.yieldRequested = false;
        worker.flushServed();
        // Asked to be replaced and its client left meanwhile: nothing to hand over, so go now.
        worker.retireReason ??= worker.pendingRetirement;
        if (worker.retireReason !== undefined) {
          worker.report({ kind: "retiring", reason: worker.retireReason });
          worker.exitAfterJobs();
        } else {
          worker.issueToken();
        }
      },
      requestTimedOut(processes) {
        // The run did not end when cancelled: leave, and let the daemon kill our process group
        // and start a fresh worker. Orphans adopted during the session (setsid'd grandchildren
        // whose parent is gone) go with the tree.
        console.error(`rushd worker ${process.pid}: a request ran past --request-timeout ${worker.options.requestTimeoutS}s and did not end when cancelled; retiring`);
        killTree([...processes, ...adoptedChildren(worker.spawned).map((child) => child.pid)], worker.spawned);
        worker.retireReason = "request timeout";
        worker.flushServed();
        worker.report({ kind: "retiring", reason: "request timeout" });
        setTimeout(() => process.exit(EXIT_REQUEST_TIMEOUT), 50).unref();
      },
    }, { verifyReset: this.options.verifyReset, requestTimeoutMs: this.options.requestTimeoutS * 1000 }, this.processControl, {
      takePassedFds: (nonce) => this.fdReceiver?.take(nonce),
      callerAttributes,
      callerEnvironment: () => this.callerEnvironments.read(peer.pid),
    }, this.parseCache, this.packedEnvironments);
    return connection;
  }

  /**
   * Between sessions: a worker worn by its count or its memory asks for its
   * replacement and serves on (the lease is not cut while no warm worker
   * can take it). A worker that can only ever serve one session (fork mode)
   * just retires.
   */
  checkWear(): void {
    const { maxSessions } = this.options;
    if (this.pendingRetirement !== undefined) return;
    const reason = this.sessionsServed >= Math.floor(maxSessions * RETIRE_NOTICE_SHARE)
      ? `served ${this.sessionsServed} of its ${maxSessions} sessions`
      : this.sessionsServed % MEMORY_CHECK_SESSIONS === 0 ? this.memoryGrowth() : undefined;
    if (reason === undefined) return;
    if (maxSessions <= 1) {
      this.retireReason = reason;
      return;
    }
    this.pendingRetirement = reason;
    this.report({ kind: "retire-soon", reason });
    this.replacementTimer = setTimeout(() => this.retireNow(), REPLACEMENT_WAIT_MS);
    this.replacementTimer.unref();
  }

  /** The replacement is ready (or the wait for it is over): leave at the next session boundary, or now if not leased. */
  private retireNow(): void {
    clearTimeout(this.replacementTimer);
    this.retireReason ??= this.pendingRetirement ?? "the daemon asked it to retire";
    if (this.current !== undefined) return this.current.endLeaseIfDue();
    this.report({ kind: "retiring", reason: this.retireReason });
    this.exitAfterJobs();
  }

  /** (Re)start the idle clock: IDLE_TRIM_MS after the last session, trim (unless a session is open by then). */
  trimWhenIdle(): void {
    if (this.trimTimer !== undefined) {
      this.trimTimer.refresh();
      return;
    }
    this.trimTimer = setTimeout(() => {
      this.trimTimer = undefined;
      if (this.current?.inSession === true) return this.trimWhenIdle();
      trimMemory();
    }, IDLE_TRIM_MS);
    this.trimTimer.unref();
  }

  /** Batch per-session counters; the daemon hears them at lease end or within REPORT_INTERVAL_MS. */
  recordServed(resetUs: number, problems: readonly string[]): void {
    this.servedResetUs.push(resetUs);
    if (problems.length > 0) this.servedFailures.push(problems);
    this.reportTimer ??= setTimeout(() => this.flushServed(), REPORT_INTERVAL_MS);
  }

  flushServed(): void {
    clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    if (this.servedResetUs.length === 0) return;
    this.report({ kind: "served", resetUs: this.servedResetUs, failures: this.servedFailures });
    this.servedResetUs = [];
    this.servedFailures = [];
  }

  private issueToken(): void {
    this.token = newToken();
    this.report({ kind: "idle", token: this.token });
  }

  private report(msg: WorkerToDaemon): void {
    if (process.send !== undefined && process.connected) process.send(msg);
  }

  /** Leave once the last session's background jobs are done (they run to completion, as under `sh -c`). */
  private exitAfterJobs(): void {
    const jobs = this.jobsRunning;
    if (jobs === undefined) return this.exit();
    this.listener?.stop(true);
    void jobs.then(() => this.exit());
  }

  private exit(): void {
    this.flushServed();
    this.listener?.stop(true);
    this.fdReceiver?.close();
    removeIfPresent(workerFdSocketPath(this.options.socketPath));
    try {
      unlinkSync(this.options.socketPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") console.error("rushd worker: cannot remove socket:", error);
    }
    // Let the last reports reach the daemon before leaving (an empty message's callback runs after them).
    if (process.send === undefined || !process.connected) process.exit(0);
    setTimeout(() => process.exit(0), EXIT_FLUSH_TIMEOUT_MS).unref();
    process.send({ kind: "pong" } satisfies WorkerToDaemon, undefined, undefined, () => process.exit(0));
  }
}

/** A full, synchronous collection; the allocator hands the freed pages back to the system on its own soon after. */
function trimMemory(): void {
  Bun.gc(true);
}

/** `read`, called at most once; later calls give its first result. */
function once<T>(read: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = read();
      done = true;
    }
    return value;
  };
}

function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Buffer.from(bytes).toString("hex");
}
