// RushdClient: the library's handle on a daemon. `connect()` finds the
// daemon (or starts one with the rushd executable it finds), and each
// run() is a one-shot session on a held worker lease: isolated exactly as
// if it came from a new client, one round trip on a held socket.

import { resolveDaemonPaths, type DaemonPaths } from "../../protocol/index.ts";
import { DaemonClient } from "../daemon-client.ts";
import { DaemonLaunchError, launchDaemon } from "../launcher.ts";
import { ConnectFailedError, UntrustedPeerError, type Transport } from "../link.ts";
import { LeaseEndedError, type WorkerLink } from "../worker-link.ts";
import { runCommand, type AnyRunResult, type CommandTarget } from "./command.ts";
import { RushdAbortError, RushdClosedError, RushdConnectionError } from "./errors.ts";
import { BinaryNotFoundError, findRushdBinary } from "./find-binary.ts";
import { LeasePool } from "./lease-pool.ts";
import { Leaser } from "./leaser.ts";
import { type Defaults, type Encoding, type RunOptions, type RunResult, sessionSpec } from "./run-options.ts";
import { RushdSession, type SessionOptions } from "./session.ts";
import { RunningCommand, type SpawnOptions } from "./spawn.ts";
import { defaultSocketKind, libraryTransport, type SocketKind } from "./transport.ts";

export interface ConnectOptions {
  /** Daemon socket; default as the CLI ($RUSHD_SOCKET, $XDG_RUNTIME_DIR/rushd/rushd.sock, ~/.rush/daemon.sock). */
  readonly socket?: string;
  /** Start a daemon if none answers (default true). */
  readonly autostart?: boolean;
  /** The rushd executable to start it with; default $RUSHD_BIN, this package's dist/rushd, then `rushd` on $PATH. */
  readonly binary?: string;
  /** Daemon flags if one is started, e.g. ["--mode", "fork"]. */
  readonly daemonArgv?: readonly string[];
  /** Commands this client runs at once, each on its own worker lease (default 8); more wait their turn. */
  readonly maxConcurrency?: number;
  /** Which sockets to use; default Bun's under Bun, node:net under Node.js. */
  readonly sockets?: SocketKind;
  /**
   * The environment of every run and session that gives no `env` of its
   * own, e.g. a snapshot taken once: `{ ...process.env }`. Default: each
   * one reads process.env at the time of its call, which costs a Node.js
   * process ~18 µs a run (every read of process.env is a call into the
   * host; measured in BENCHMARKS.md, "The library from Node.js and Bun").
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_MAX_CONCURRENCY = 8;

export async function connect(options: ConnectOptions = {}): Promise<RushdClient> {
  const paths = resolveDaemonPaths(options.socket, process.env);
  const transport = libraryTransport(options.sockets ?? defaultSocketKind());
  let daemon: DaemonClient;
  try {
    daemon = await DaemonClient.connect(paths.socket, transport);
  } catch (error) {
    if (!(error instanceof ConnectFailedError) || options.autostart === false) throw connectionError(error, paths);
    try {
      const binary = findRushdBinary(options.binary, process.env);
      await launchDaemon(paths, options.daemonArgv ?? [], { command: [binary] });
      daemon = await DaemonClient.connect(paths.socket, transport);
    } catch (startError) {
      throw connectionError(startError, paths);
    }
  }
  return new RushdClient(daemon, paths, transport, Math.max(1, options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY), options.env);
}

function connectionError(error: unknown, paths: DaemonPaths): unknown {
  if (error instanceof ConnectFailedError) {
    return new RushdConnectionError(`no rushd daemon answers on ${paths.socket}${error.code ? ` (${error.code})` : ""}`, paths.socket, { cause: error });
  }
  if (error instanceof DaemonLaunchError || error instanceof BinaryNotFoundError || error instanceof UntrustedPeerError) {
    return new RushdConnectionError(error.message, paths.socket, { cause: error });
  }
  return error;
}

export class RushdClient {
  private readonly pool: LeasePool<WorkerLink>;
  private readonly leaser: Leaser;
  private readonly defaults: Defaults;
  /** The environment last sent on each link: the same one again is not re-sent. */
  private readonly lastEnv = new WeakMap<WorkerLink, Readonly<Record<string, string>>>();
  private readonly sessions = new Set<RushdSession>();

  /** Use connect(). */
  constructor(daemon: DaemonClient, readonly paths: DaemonPaths, transport: Transport, maxConcurrency: number, env?: Readonly<Record<string, string | undefined>>) {
    this.leaser = new Leaser(paths.socket, transport, daemon);
    this.pool = new LeasePool((wait) => this.leaser.lease(wait), maxConcurrency);
    const umask = process.umask(0);
    process.umask(umask);
    this.defaults = { umask, env };
  }

  /** Run a script as its own one-shot session. A failing command is a result; see RunResult. */
  run(script: string, options: RunOptions & { readonly encoding: "utf8" }): Promise<RunResult<string>>;
  run(script: string, options?: RunOptions & { readonly encoding?: "buffer" }): Promise<RunResult<Uint8Array>>;
  run(script: string, options?: RunOptions): Promise<RunResult<Uint8Array | string>>;
  async run(script: string, options: RunOptions = {}): Promise<RunResult<Uint8Array | string>> {
    return this.runOnPool(script, options);
  }

  /** Start a script and hand back its streams at once; see RunningCommand. */
  spawn(script: string, options: SpawnOptions = {}): RunningCommand {
    return new RunningCommand((runOptions, bind) => this.runOnPool(script, runOptions, bind), options);
  }

  /** A persistent session: its runs share cwd, variables, functions, aliases, options and traps. */
  async session(options: SessionOptions = {}): Promise<RushdSession> {
    const session = await RushdSession.open(() => this.pool.leaseDedicated(), options, this.defaults, () => this.sessions.delete(session));
    this.sessions.add(session);
    return session;
  }

  /** Release every worker lease and the daemon connection; commands still running are ended. */
  async close(): Promise<void> {
    for (const session of this.sessions) await session.close();
    this.pool.close();
    this.leaser.close();
  }

  private async runOnPool(script: string, options: RunOptions, bind?: (target: CommandTarget) => void): Promise<AnyRunResult> {
    for (;;) {
      if (options.signal?.aborted === true) throw new RushdAbortError(options.signal.reason, undefined);
      const link = this.pool.takeIdle() ?? (await this.pool.acquire(options.signal));
      try {
        const { spec, sessionEnv } = sessionSpec(options, this.defaults, this.lastEnv.get(link));
        this.lastEnv.set(link, sessionEnv);
        const target: CommandTarget = {
          start: (io) => link.run(spec, script, io),
          cancel: (reason) => link.cancel(reason),
          abandon: () => link.close(),
          signal: (name) => link.signal(name, { tree: true }),
        };
        bind?.(target);
        return await runCommand(target, options);
      } catch (error) {
        if (this.pool.isClosed) throw new RushdClosedError("the client was closed while the command ran; it was ended with its process tree", { cause: error });
        // The worker yielded its lease to a queued client before running this: nothing ran; take another.
        if (!(error instanceof LeaseEndedError)) throw error;
      } finally {
        this.pool.release(link);
      }
    }
  }
}

export type { Encoding };
