// The daemon's proxy for one worker process: spawn it, follow its IPC
// reports, send it control messages, know when it exited. Policy (who gets
// leased, when to replace) lives in pool.ts.

import type { Subprocess } from "bun";
import { isWorkerToDaemon, workerFdSocketPath, type DaemonToWorker, type WorkerToDaemon } from "../protocol/index.ts";
import { readProcStat } from "../common/proc-stat.ts";
import { removeIfPresent } from "../common/remove-file.ts";
import { selfCommand } from "../common/self-command.ts";

export type WorkerPhase =
  | "starting" // spawned, not yet listening
  | "idle" // clean, holds a token nobody has
  | "granted" // its token was handed to a client that has not connected yet
  | "leased" // a client is attached
  | "leaving" // retired: serves no more sessions (it may still be running a session's background jobs)
  | "exited";

export interface WorkerEvents {
  /** Clean and leasable (after start or after a lease ended). */
  onIdle(worker: WorkerHandle): void;
  onServed(worker: WorkerHandle, report: Extract<WorkerToDaemon, { kind: "served" }>): void;
  /** A client attached to the worker's lease. */
  onLeased(worker: WorkerHandle): void;
  /** The worker should be replaced (worn by its count or memory) but serves on until it is sent `retire`. */
  onRetireSoon(worker: WorkerHandle, reason: string): void;
  /** The worker will serve no more sessions (it exits now, or once its last session's background jobs end). */
  onRetiring(worker: WorkerHandle, reason: string): void;
  onExit(worker: WorkerHandle, reason: string): void;
}

export interface WorkerSpawnOptions {
  readonly socketPath: string;
  readonly maxSessions: number;
  readonly verifyReset: boolean;
  /** Time each session's stages and report them in its ExecutionResult (--profile-stages). */
  readonly profileStages: boolean;
  /** Seconds a request may run before the worker kills it and retires (0: no limit). */
  readonly requestTimeoutS: number;
  /** MB of RSS growth past its fresh size at which the worker retires (0: no limit). */
  readonly maxGrowthMb: number;
  /** Where the worker's stderr goes (the daemon's log). */
  readonly logFd: number | "inherit";
  /** The worker's own environment (minimal: sessions bring theirs). */
  readonly env: Readonly<Record<string, string>>;
}

export class WorkerHandle {
  phase: WorkerPhase = "starting";
  /** The token a client must present; changes after every lease. */
  token = "";
  sessionsServed = 0;
  /** When the worker last reported anything (a ping's pong included; its start counts). */
  lastPongAt = Date.now();
  readonly startedAt = Date.now();
  private readonly process: Subprocess;
  private retireReason: string | undefined;
  readonly exited: Promise<number>;

  constructor(readonly options: WorkerSpawnOptions, private readonly events: WorkerEvents) {
    const argv = [...selfCommand(), "__worker", "--worker-socket", options.socketPath, "--max-sessions", String(options.maxSessions)];
    if (options.verifyReset) argv.push("--verify-reset");
    if (options.profileStages) argv.push("--profile-stages");
    if (options.requestTimeoutS > 0) argv.push("--request-timeout", String(options.requestTimeoutS));
    if (options.maxGrowthMb > 0) argv.push("--max-growth-mb", String(options.maxGrowthMb));
    this.process = Bun.spawn(argv, {
      stdin: "ignore",
      stdout: "ignore",
      stderr: options.logFd,
      env: { ...options.env },
      ipc: (value) => this.handleReport(value),
      serialization: "json",
      // Its own process group: commands it starts are in it, so they can be
      // cleaned up with it (below) and a terminal's Ctrl-C at the daemon does not reach them.
      detached: true,
    });
    this.exited = this.process.exited.then((code) => {
      this.phase = "exited";
      // A worker that was killed could not remove its socket.
      removeIfPresent(options.socketPath);
      removeIfPresent(workerFdSocketPath(options.socketPath));
      // A worker that crashed cannot have stopped its commands: stop them here. A worker
      // that retired normally leaves background jobs running, as `sh -c` does.
      if (code !== 0 || this.process.signalCode !== null) killGroup(this.process.pid);
      this.events.onExit(this, this.retireReason ?? `exited with status ${code}${this.process.signalCode ? ` (${this.process.signalCode})` : ""}`);
      return code;
    });
  }

  /** Did the worker ever become ready (listen)? A worker that exits before is a failed start. */
  everReady = false;

  /** Stopped by a signal (SIGSTOP, SIGTSTP) or a tracer: it cannot serve until continued. */
  get isStopped(): boolean {
    if (this.phase === "exited") return false;
    const state = readProcStat(this.process.pid)?.state; // gone: `exited` reports it
    return state === "T" || state === "t";
  }

  get isExited(): boolean {
    return this.phase === "exited";
  }

  get pid(): number {
    return this.process.pid;
  }

  get socketPath(): string {
    return this.options.socketPath;
  }

  send(msg: DaemonToWorker): void {
    if (this.phase === "exited") return;
    try {
      this.process.send(msg);
    } catch (error) {
      // The IPC channel closes as the worker exits; its exit is handled by `exited`.
      if (!this.isExited) console.error(`rushd: cannot reach worker ${this.pid}:`, error);
    }
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    if (this.phase !== "exited") this.process.kill(signal);
  }

  private handleReport(value: unknown): void {
    if (!isWorkerToDaemon(value)) return;
    this.lastPongAt = Date.now(); // any report shows a live event loop
    switch (value.kind) {
      case "ready":
      case "idle":
        if (value.kind === "ready") this.everReady = true;
        this.token = value.token;
        this.phase = "idle";
        this.events.onIdle(this);
        return;
      case "leased":
        this.phase = "leased";
        this.events.onLeased(this);
        return;
      case "served":
        this.sessionsServed += value.resetUs.length;
        this.events.onServed(this, value);
        return;
      case "retire-soon":
        this.events.onRetireSoon(this, value.reason);
        return;
      case "retiring":
        this.retireReason = `retired: ${value.reason}`;
        this.phase = "leaving";
        this.events.onRetiring(this, value.reason);
        return;
      case "pong":
        return;
    }
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
