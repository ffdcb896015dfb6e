// Start a daemon in the background, once, even when many clients try at the
// same moment: an exclusive lock file beside the socket elects the starter;
// the others wait for its socket to answer.
//
// A daemon a client starts (`rushd -c`, the library) stops itself after
// AUTO_START_IDLE_EXIT_S idle unless the user chose --idle-exit: nobody
// asked for it to stay, and it holds its workers' memory. One started by
// hand (`rushd start`) stays unless told otherwise.

import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { checkSocketDir, UntrustedPathError } from "../common/path-trust.ts";
import { openPrivateFile, PrivateFileError } from "../common/private-file.ts";
import { isProcessAlive } from "../common/process-alive.ts";
import { removeIfPresent } from "../common/remove-file.ts";
import { probeSocket } from "../common/probe.ts";
import { selfCommand } from "../common/self-command.ts";
import { until } from "../common/until.ts";
import { daemonEnvironment } from "../daemon/environment.ts";
import { AUTO_START_IDLE_EXIT_S } from "../daemon/options.ts";
import type { DaemonPaths } from "../protocol/index.ts";

/** How long a started daemon may take to accept connections. */
const START_TIMEOUT_MS = 15_000;

export class DaemonLaunchError extends Error {
  override readonly name = "DaemonLaunchError";
  /** The socket's place is not safely the user's (a warning is due, not just a quiet fallback). */
  readonly isTrustProblem: boolean;
  constructor(message: string, options?: ErrorOptions & { isTrustProblem?: boolean }) {
    super(message, options);
    this.isTrustProblem = options?.isTrustProblem ?? false;
  }
}

export type LaunchOutcome = "started" | "already-running";

export interface LaunchOptions {
  /** `rushd start`: the user asked for this daemon, so it gets no --idle-exit they did not give. Default: a client's auto-start. */
  readonly byHand?: boolean;
  /** The rushd executable to start (the library finds one); default: this program itself. */
  readonly command?: readonly string[];
}

/** The line a daemon started with --notify-ready prints on stdout once it listens. */
export const READY_LINE = "rushd-ready";

/**
 * Start a daemon on `paths` unless one answers. Every failure is a
 * DaemonLaunchError with a one-line message (the caller then runs the
 * command in process): a directory that cannot be created or used, one that
 * is not safely the user's (path-trust.ts), a daemon that does not start.
 */
export async function launchDaemon(paths: DaemonPaths, daemonArgv: readonly string[], options: LaunchOptions = {}): Promise<LaunchOutcome> {
  const hasIdleExit = daemonArgv.some((arg) => arg === "--idle-exit" || arg.startsWith("--idle-exit="));
  const argv = options.byHand === true || hasIdleExit ? daemonArgv : [...daemonArgv, "--idle-exit", String(AUTO_START_IDLE_EXIT_S)];
  try {
    return await launch(paths, argv, options.command ?? selfCommand());
  } catch (error) {
    if (error instanceof DaemonLaunchError) throw error;
    if (error instanceof UntrustedPathError || error instanceof PrivateFileError) {
      throw new DaemonLaunchError(error.message, { cause: error, isTrustProblem: true });
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) {
      throw new DaemonLaunchError(`cannot start a daemon on ${paths.socket}: ${code}${(error as Error).message ? ` (${(error as Error).message})` : ""}`, { cause: error });
    }
    throw error;
  }
}

async function launch(paths: DaemonPaths, daemonArgv: readonly string[], self: readonly string[]): Promise<LaunchOutcome> {
  if ((await probeSocket(paths.socket)) === "alive") return "already-running";
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  // Before any file is made there: a directory someone else controls could hand our clients to their daemon.
  checkSocketDir(paths.dir, process.getuid?.() ?? 0);
  if (!takeLock(paths.lockFile)) {
    await until(async () => (await probeSocket(paths.socket)) === "alive", { timeoutMs: START_TIMEOUT_MS, what: `the daemon another client is starting on ${paths.socket}` })
      .catch((error: unknown) => {
        throw new DaemonLaunchError(error instanceof Error ? error.message : String(error));
      });
    return "already-running";
  }
  try {
    if ((await probeSocket(paths.socket)) === "alive") return "already-running";
    await spawnDetached(paths, daemonArgv, self);
    return "started";
  } finally {
    removeIfPresent(paths.lockFile);
  }
}

function spawnDetached(paths: DaemonPaths, daemonArgv: readonly string[], self: readonly string[]): Promise<void> {
  const [command, ...prefix] = self;
  const logFd = openPrivateFile(paths.logFile, "append");
  const child = spawn(command as string, [...prefix, "daemon", ...daemonArgv, "--socket", paths.socket, "--notify-ready"], {
    detached: true, // its own session: a Ctrl-C at the client's terminal must not reach it
    stdio: ["ignore", "pipe", logFd],
    // Not the client's environment: its secrets must not outlive its session in the daemon (environment.ts).
    env: daemonEnvironment(process.env),
  });
  closeSync(logFd);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new DaemonLaunchError(`the daemon did not start: ${why}; see ${paths.logFile}${lastLogLine(paths.logFile)}`));
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        child.stdout?.destroy();
        child.unref();
        resolve();
      }
    });
    child.on("error", (error) => fail(error.message));
    child.on("exit", (code, signal) => fail(`it exited with ${signal ?? `status ${code}`}`));
  });
}

function takeLock(lockFile: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // O_EXCL does not follow a symlink at the path: it fails with EEXIST.
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockHolderAlive(lockFile)) return false;
      // The starter died holding the lock: break it and try again.
      removeIfPresent(lockFile);
    }
  }
  return false;
}

function lockHolderAlive(lockFile: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  return isProcessAlive(pid);
}

function lastLogLine(logFile: string): string {
  try {
    const lines = readFileSync(logFile, "utf8").trimEnd().split("\n");
    const last = lines[lines.length - 1];
    return last ? ` (last log line: ${last})` : "";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) return "";
    throw error;
  }
}
