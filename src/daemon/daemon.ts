// The daemon: owns the socket, the pid file and the pool; answers brokers'
// requests; stops cleanly on SIGINT/SIGTERM or a Shutdown request.

import { unlinkSync, writeFileSync } from "node:fs";
import type { Socket } from "bun";
import { Connection, DAEMON_ACCEPTS, listenFramed, ProtocolError, resolveDaemonPaths, workerSocketPath, type DaemonPaths } from "../protocol/index.ts";
import { BrokerConnection } from "./broker.ts";
import type { DaemonOptions } from "./options.ts";
import { Pool } from "./pool.ts";
import { prepareSocketDir } from "./socket-dir.ts";
import { WorkerHandle } from "./worker-handle.ts";
import { probeSocket } from "../common/probe.ts";

/** How long a stopping daemon waits for running sessions before killing their workers. */
const STOP_GRACE_MS = 5_000;
/** sockaddr_un.sun_path holds 108 bytes including the terminator. */
const MAX_SOCKET_PATH_BYTES = 107;

export class DaemonStartError extends Error {
  override readonly name = "DaemonStartError";
}

export class Daemon {
  readonly paths: DaemonPaths;
  readonly pool: Pool;
  private listener: ReturnType<typeof listenFramed> | undefined;
  private readonly startedAt = Date.now();
  private openConnections = 0;
  private workerSequence = 0;
  private stopping: Promise<void> | undefined;
  private resolveStopped: () => void = () => {};
  readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(private readonly options: DaemonOptions, env: Readonly<Record<string, string | undefined>>) {
    this.paths = resolveDaemonPaths(options.socket, env);
    this.pool = new Pool(options, (events, maxSessions) => this.spawnWorker(events, maxSessions), (line) => log(line));
  }

  /** Listen; resolves once the socket accepts connections. Throws DaemonStartError. */
  async start(): Promise<void> {
    const { socket, dir } = this.paths;
    if (Buffer.byteLength(workerSocketPath(socket, process.pid, 999999)) > MAX_SOCKET_PATH_BYTES) {
      throw new DaemonStartError(`socket path too long for a Unix socket: ${socket}`);
    }
    try {
      prepareSocketDir(dir);
    } catch (error) {
      throw new DaemonStartError(error instanceof Error ? error.message : String(error), { cause: error });
    }
    if ((await probeSocket(socket)) === "alive") {
      throw new DaemonStartError(`a daemon is already running on ${socket}`);
    }
    removeIfPresent(socket); // stale: nobody answers on it
    this.listener = listenFramed(socket, {
      accept: (s) => this.accept(s),
      closed: () => (this.openConnections -= 1),
      socketError: (error) => log(`connection error: ${error.message}`),
    });
    writeFileSync(this.paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
    this.pool.start();
    process.on("SIGINT", () => void this.stop("SIGINT"));
    process.on("SIGTERM", () => void this.stop("SIGTERM"));
    process.on("SIGHUP", () => void this.stop("SIGHUP"));
    // A client that vanishes must never take the daemon down with EPIPE.
    process.on("SIGPIPE", () => {});
    log(`listening on ${socket} (pid ${process.pid}, mode ${this.options.mode}, workers ${this.options.mode === "pool" ? this.options.workers : 0}..${this.options.maxWorkers})`);
  }

  stop(reason: string): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    log(`stopping (${reason})`);
    this.stopping = (async () => {
      this.listener?.stop(false);
      await this.pool.stop(STOP_GRACE_MS);
      this.listener?.stop(true);
      removeIfPresent(this.paths.socket);
      removeIfPresent(this.paths.pidFile);
      log("stopped");
      this.resolveStopped();
    })();
    return this.stopping;
  }

  status(): Record<string, unknown> {
    const pool = this.pool;
    return {
      pid: process.pid,
      mode: this.options.mode,
      socket: this.paths.socket,
      uptime_s: Math.round((Date.now() - this.startedAt) / 1000),
      workers: pool.snapshot(),
      requests_total: pool.requestsTotal,
      leases_total: pool.leasesTotal,
      resets_failed: pool.resetsFailed,
      workers_started: pool.workersStarted,
      workers_replaced: pool.workersReplaced,
      connections: this.openConnections,
      reset_us: pool.resetUs.summary(),
      options: { ...this.options },
    };
  }

  private accept(socket: Socket<unknown>): Connection | undefined {
    this.openConnections += 1;
    let broker: BrokerConnection | undefined;
    const connection = new Connection(socket, DAEMON_ACCEPTS, {
      onMessage: (id, msg) => broker?.handleMessage(id, msg),
      onProtocolError: (error) => log(`client sent bad input: ${error.code}: ${error.message}`),
      onClose: () => broker?.handleClose(),
    });
    if (this.openConnections > this.options.maxConnections) {
      connection.fail(new ProtocolError("BUSY", `too many connections (--max-connections ${this.options.maxConnections})`));
      return connection;
    }
    broker = new BrokerConnection(connection, {
      pool: this.pool,
      status: () => this.status(),
      shutdown: () => void this.stop("Shutdown request"),
      log,
    });
    return connection;
  }

  private spawnWorker(events: ConstructorParameters<typeof WorkerHandle>[1], maxSessions: number): WorkerHandle {
    this.workerSequence += 1;
    const socketPath = workerSocketPath(this.paths.socket, process.pid, this.workerSequence);
    removeIfPresent(socketPath);
    return new WorkerHandle({ socketPath, maxSessions, verifyReset: this.options.verifyReset, requestTimeoutS: this.options.requestTimeoutS, logFd: "inherit" }, events);
  }
}

export function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} rushd[${process.pid}]: ${line}\n`);
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
