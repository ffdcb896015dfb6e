// The daemon: owns the socket, the pid file and the pool; answers brokers'
// requests; stops cleanly on SIGINT/SIGTERM or a Shutdown request, and on
// nothing else: a session that signals `$PPID` or the daemon's pid must not
// take the service down. With --idle-exit it also stops itself, the same
// way, once nobody has used it for that long (idle-exit.ts).

import { closeSync, readdirSync, writeSync } from "node:fs";
import type { Socket } from "bun";
import { Connection, DAEMON_ACCEPTS, listenFramed, ProtocolError, resolveDaemonPaths, workerSocketPath, type DaemonPaths } from "../protocol/index.ts";
import { BrokerConnection } from "./broker.ts";
import { ConnectionTable, effectiveConnectionLimit } from "./connections.ts";
import { DaemonLog } from "./log.ts";
import type { DaemonOptions } from "./options.ts";
import { Pool } from "./pool.ts";
import { prepareSocketDir } from "./socket-dir.ts";
import { WorkerHandle } from "./worker-handle.ts";
import { probeSocket } from "../common/probe.ts";
import { removeIfPresent } from "../common/remove-file.ts";
import { openFilesLimit } from "../common/open-files-limit.ts";
import { checkPeer } from "../common/peer-credentials.ts";
import { openPrivateFile, PrivateFileError } from "../common/private-file.ts";
import { daemonEnvironment } from "./environment.ts";
import { IdleExit } from "./idle-exit.ts";

/** How long a stopping daemon waits for running sessions before killing their workers. */
const STOP_GRACE_MS = 5_000;
/** sockaddr_un.sun_path holds 108 bytes including the terminator. */
const MAX_SOCKET_PATH_BYTES = 107;
/** Requests to the daemon are a few hundred bytes; a larger frame is refused before it is buffered. */
const DAEMON_MAX_FRAME_BYTES = 64 * 1024;
/** Idle connections (--connection-timeout) are looked for this often. */
const IDLE_SWEEP_INTERVAL_MS = 500;
/** Fewer free fds than this, and idle connections are shed (see closeIdleConnections). */
const FD_HEADROOM = 16;
/** Signals whose default action would end the daemon, but which are not a deliberate stop: logged and ignored. */
const IGNORED_SIGNALS = ["SIGHUP", "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ"] as const;

export class DaemonStartError extends Error {
  override readonly name = "DaemonStartError";
}

export class Daemon {
  readonly paths: DaemonPaths;
  readonly pool: Pool;
  readonly log = new DaemonLog();
  private listener: ReturnType<typeof listenFramed> | undefined;
  private connections: ConnectionTable;
  private readonly startedAt = Date.now();
  private readonly uid = process.getuid?.() ?? 0;
  private workerSequence = 0;
  private sweepTimer: Timer | undefined;
  private untrustedRefused = 0;
  private fdLimit = Number.MAX_SAFE_INTEGER;
  /** A connection opened, closed or sent a request (the pool keeps its own clock for leases). */
  private connectionsActiveAt = Date.now();
  private readonly idleExit: IdleExit;
  private stopping: Promise<void> | undefined;
  private resolveStopped: () => void = () => {};
  readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(private readonly options: DaemonOptions, env: Readonly<Record<string, string | undefined>>) {
    this.paths = resolveDaemonPaths(options.socket, env);
    this.pool = new Pool(options, (events, maxSessions) => this.spawnWorker(events, maxSessions), (line) => this.log.line(line));
    this.connections = new ConnectionTable(options.maxConnections);
    this.idleExit = new IdleExit(options.idleExitS ?? 0, {
      hasWork: () => this.pool.hasWork() || this.connections.size > 0,
      lastActiveAt: () => Math.max(this.pool.lastActiveAt, this.connectionsActiveAt),
    }, (idleS) => void this.stop(`idle for ${idleS}s: no session, queued lease or connection (--idle-exit ${idleS})`));
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
    this.fdLimit = openFilesLimit();
    const limit = effectiveConnectionLimit(this.options.maxConnections, this.fdLimit, this.options.maxWorkers);
    if (limit < this.options.maxConnections) {
      this.log.line(`the open-files limit leaves room for ${limit} connections, not --max-connections ${this.options.maxConnections}`);
    }
    this.connections = new ConnectionTable(limit);
    try {
      removeIfPresent(socket); // stale: nobody answers on it
      this.writePidFile();
      this.listener = listenFramed(socket, {
        accept: (s) => this.accept(s),
        socketError: (error) => this.log.line(`connection error: ${error.message}`),
      });
    } catch (error) {
      if (error instanceof PrivateFileError) throw new DaemonStartError(error.message, { cause: error });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined) throw new DaemonStartError(`cannot listen on ${socket}: ${code}`, { cause: error });
      throw error;
    }
    this.pool.start();
    this.idleExit.start();
    this.sweepTimer = setInterval(() => this.closeIdleConnections(), IDLE_SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    process.on("SIGINT", () => void this.stop("SIGINT"));
    process.on("SIGTERM", () => void this.stop("SIGTERM"));
    for (const signal of IGNORED_SIGNALS) {
      // SIGPIPE: a client that vanishes must never take the daemon down with EPIPE.
      process.on(signal, () => signal !== "SIGPIPE" && this.log.line(`ignoring ${signal} (stop the daemon with SIGTERM, SIGINT or \`rushd stop\`)`));
    }
    const idleExitS = this.options.idleExitS ?? 0;
    this.log.line(`listening on ${socket} (pid ${process.pid}, mode ${this.options.mode}, workers ${this.options.mode === "pool" ? this.options.workers : 0}..${this.options.maxWorkers}, connections ≤ ${limit}, ${idleExitS > 0 ? `exits after ${idleExitS}s idle` : "no idle exit"})`);
  }

  stop(reason: string): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    this.log.line(`stopping (${reason})`);
    this.stopping = (async () => {
      clearInterval(this.sweepTimer);
      this.idleExit.stop();
      this.listener?.stop(false);
      await this.pool.stop(STOP_GRACE_MS);
      this.listener?.stop(true);
      removeIfPresent(this.paths.socket);
      removeIfPresent(this.paths.pidFile);
      this.log.line("stopped");
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
      workers_peak: pool.workersPeak,
      leases_refused_no_wait: pool.leasesRefusedNoWait,
      worker_start_failures: pool.startFailures,
      worker_start_backoff_ms: pool.startBackoffMs,
      connections: this.connections.size,
      connection_limit: this.connections.capacity,
      connections_shed: this.connections.shedTotal,
      connections_refused: this.connections.refusedTotal,
      connections_timed_out: this.connections.timedOutTotal,
      connections_untrusted: this.untrustedRefused,
      log_lines_written: this.log.written,
      log_lines_dropped: this.log.dropped,
      reset_us: pool.resetUs.summary(),
      options: { ...this.options, idleExitS: this.options.idleExitS ?? 0 },
    };
  }

  private accept(socket: Socket<unknown>): Connection | undefined {
    const now = Date.now();
    this.connectionsActiveAt = now;
    const tracked = this.connections;
    let broker: BrokerConnection | undefined;
    const connection = new Connection(socket, DAEMON_ACCEPTS, {
      onMessage: (id, msg) => broker?.handleMessage(id, msg),
      onProtocolError: (error) => this.log.line(`client sent bad input: ${error.code}: ${error.message}`),
      onClose: () => {
        this.connectionsActiveAt = Date.now();
        tracked.remove(connection);
      },
    }, { maxFrameBytes: DAEMON_MAX_FRAME_BYTES });
    const peer = checkPeer(socket, this.uid);
    if (typeof peer === "string") {
      this.untrustedRefused += 1;
      this.log.line(peer);
      connection.refuse(new ProtocolError("FORBIDDEN", "this daemon serves only its own user"));
      return connection;
    }
    const admission = tracked.admit(connection, now);
    if (admission.kind === "refused") {
      connection.refuse(new ProtocolError("BUSY", admission.reason));
      return connection;
    }
    admission.shed?.connection.terminate();
    broker = new BrokerConnection(connection, {
      pool: this.pool,
      status: () => this.status(),
      shutdown: () => void this.stop("Shutdown request"),
      log: (line) => this.log.line(line),
      requestStarted: () => tracked.requestStarted(connection, Date.now()),
      requestFinished: () => tracked.requestFinished(connection, Date.now()),
    });
    return connection;
  }

  private closeIdleConnections(): void {
    // The connection limit leaves room for the daemon's other fds, but workers and their pipes vary:
    // if fds run short anyway, shed idle connections before accept(2) can fail with EMFILE.
    const spare = this.fdLimit - openFdCount(this.fdLimit);
    if (spare < FD_HEADROOM) {
      const shed = this.connections.takeIdle(FD_HEADROOM - spare);
      if (shed.length > 0) this.log.line(`only ${spare} fds left: shedding ${shed.length} idle connections`);
      for (const idle of shed) idle.connection.terminate();
    }
    const timeoutMs = Math.max(1, this.options.connectionTimeoutS) * 1000;
    for (const idle of this.connections.takeTimedOut(Date.now(), timeoutMs)) {
      idle.connection.refuse(new ProtocolError("TIMEOUT", "connection idle for too long: closed (reconnect to send more)"));
    }
  }

  private writePidFile(): void {
    const fd = openPrivateFile(this.paths.pidFile, "truncate");
    try {
      writeSync(fd, `${process.pid}\n`);
    } finally {
      closeSync(fd);
    }
  }

  private spawnWorker(events: ConstructorParameters<typeof WorkerHandle>[1], maxSessions: number): WorkerHandle {
    this.workerSequence += 1;
    const socketPath = workerSocketPath(this.paths.socket, process.pid, this.workerSequence);
    removeIfPresent(socketPath);
    return new WorkerHandle({
      socketPath,
      maxSessions,
      verifyReset: this.options.verifyReset,
      profileStages: this.options.profileStages,
      requestTimeoutS: this.options.requestTimeoutS,
      maxGrowthMb: this.options.mode === "pool" ? this.options.maxWorkerGrowthMb : 0,
      logFd: "inherit",
      env: daemonEnvironment(process.env),
    }, events);
  }
}

/** Fds this process has open (/proc/self/fd: about 50 µs for a few hundred). */
function openFdCount(limit: number): number {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EMFILE" || code === "ENFILE") return limit; // out of fds right now
    if (code !== undefined) return 0; // no /proc: nothing to learn
    throw error;
  }
}
