// The TypeScript client library: `import { connect } from "rushd"`.
//
//   const rushd = await connect();
//   const { status, stdout } = await rushd.run("echo hi");
//   rushd.close();
//
// A client holds its lease on a worker, so each run() is one round trip on
// one socket (DESIGN §7). Every run is its own one-shot session, isolated
// exactly as if it came from a new client.

import type { DaemonPaths } from "../protocol/index.ts";
import { resolveDaemonPaths } from "../protocol/index.ts";
import { ConnectFailedError } from "./daemon-link.ts";
import { DaemonClient } from "./daemon-client.ts";
import { launchDaemon } from "./launcher.ts";
import { LeaseEndedError, WorkerLink, type SessionIO, type SessionSpec } from "./worker-link.ts";

export { WorkerLostError } from "./worker-link.ts";
export { DaemonRequestError } from "./daemon-client.ts";

export interface ConnectOptions {
  /** Daemon socket; default as the CLI ($RUSHD_SOCKET, $XDG_RUNTIME_DIR/rushd/rushd.sock, ~/.rush/daemon.sock). */
  readonly socket?: string;
  /** Start a daemon if none answers (default true). */
  readonly autostart?: boolean;
  /** Daemon flags if one is started, e.g. ["--mode", "fork"]. */
  readonly daemonArgv?: readonly string[];
}

export interface RunOptions {
  readonly cwd?: string;
  /** Default: this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly argv0?: string;
  readonly args?: readonly string[];
  readonly umask?: number;
  /** Bytes the command may read from stdin (default: none, end of input). */
  readonly stdin?: string | Uint8Array;
  /** Called with output as it is produced; when set, the result's stdout/stderr stay empty. */
  readonly onStdout?: (data: Uint8Array) => void | Promise<void>;
  readonly onStderr?: (data: Uint8Array) => void | Promise<void>;
}

export interface RunResult {
  readonly status: number;
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  /** Time the worker spent running the script. */
  readonly durationUs: number;
}

export async function connect(options: ConnectOptions = {}): Promise<RushdClient> {
  const paths = resolveDaemonPaths(options.socket, process.env);
  let daemon: DaemonClient;
  try {
    daemon = await DaemonClient.connect(paths.socket);
  } catch (error) {
    if (!(error instanceof ConnectFailedError) || options.autostart === false) throw error;
    await launchDaemon(paths, options.daemonArgv ?? []);
    daemon = await DaemonClient.connect(paths.socket);
  }
  return new RushdClient(daemon, paths);
}

export class RushdClient {
  private link: WorkerLink | undefined;
  /** The env object last sent on this link; the same object again is not re-sent. */
  private lastEnv: Readonly<Record<string, string>> | undefined;
  private readonly defaultEnv: Readonly<Record<string, string>>;
  private readonly defaultCwd = process.cwd();
  private readonly defaultUmask: number;

  constructor(private readonly daemon: DaemonClient, readonly paths: DaemonPaths) {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    this.defaultEnv = env;
    this.defaultUmask = process.umask(0);
    process.umask(this.defaultUmask);
  }

  /** Run one script as its own session. Output is collected unless callbacks are given. */
  async run(script: string, options: RunOptions = {}): Promise<RunResult> {
    const link = await this.usableLink();
    const env = options.env ?? this.defaultEnv;
    const spec: SessionSpec = {
      cwd: options.cwd ?? this.defaultCwd,
      env: env === this.lastEnv ? undefined : env,
      argv0: options.argv0 ?? "rushd",
      args: options.args ?? [],
      umask: options.umask ?? this.defaultUmask,
    };
    this.lastEnv = env;
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    let input = typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin;
    const io: SessionIO = {
      stdout: options.onStdout ?? ((data) => void stdout.push(data)),
      stderr: options.onStderr ?? ((data) => void stderr.push(data)),
      stdin: async (maxBytes) => {
        if (input === undefined || input.length === 0) return null;
        const chunk = input.subarray(0, maxBytes);
        input = input.subarray(chunk.length);
        return chunk;
      },
    };
    let result;
    try {
      result = await link.run(spec, script, io);
    } catch (error) {
      if (!(error instanceof LeaseEndedError)) throw error;
      // The worker yielded its lease to a queued client before running this: run it on a new lease.
      return this.run(script, options);
    }
    return { status: result.status, stdout: concat(stdout), stderr: concat(stderr), durationUs: result.durationUs };
  }

  /** Release the worker and the daemon connection. */
  close(): void {
    this.link?.close();
    this.link = undefined;
    this.daemon.close();
  }

  private async usableLink(): Promise<WorkerLink> {
    if (this.link?.isUsable) return this.link;
    this.link?.close();
    this.link = await WorkerLink.open(await this.daemon.lease());
    this.lastEnv = undefined; // a new worker has not seen our env
    return this.link;
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
