// Start a daemon in the background, once, even when many clients try at the
// same moment: an exclusive lock file beside the socket elects the starter;
// the others wait for its socket to answer.

import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { isProcessAlive } from "../common/process-alive.ts";
import { probeSocket } from "../common/probe.ts";
import { selfCommand } from "../common/self-command.ts";
import { until } from "../common/until.ts";
import type { DaemonPaths } from "../protocol/index.ts";

/** How long a started daemon may take to accept connections. */
const START_TIMEOUT_MS = 15_000;

export class DaemonLaunchError extends Error {
  override readonly name = "DaemonLaunchError";
}

export type LaunchOutcome = "started" | "already-running";

/** The line a daemon started with --notify-ready prints on stdout once it listens. */
export const READY_LINE = "rushd-ready";

export async function launchDaemon(paths: DaemonPaths, daemonArgv: readonly string[]): Promise<LaunchOutcome> {
  if ((await probeSocket(paths.socket)) === "alive") return "already-running";
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  if (!takeLock(paths.lockFile)) {
    await until(async () => (await probeSocket(paths.socket)) === "alive", { timeoutMs: START_TIMEOUT_MS, what: `the daemon another client is starting on ${paths.socket}` })
      .catch((error: unknown) => {
        throw new DaemonLaunchError(error instanceof Error ? error.message : String(error));
      });
    return "already-running";
  }
  try {
    if ((await probeSocket(paths.socket)) === "alive") return "already-running";
    await spawnDetached(paths, daemonArgv);
    return "started";
  } finally {
    releaseLock(paths.lockFile);
  }
}

function spawnDetached(paths: DaemonPaths, daemonArgv: readonly string[]): Promise<void> {
  const [command, ...prefix] = selfCommand();
  const logFd = openSync(paths.logFile, "a", 0o600);
  const child = spawn(command as string, [...prefix, "daemon", ...daemonArgv, "--socket", paths.socket, "--notify-ready"], {
    detached: true, // its own session: a Ctrl-C at the client's terminal must not reach it
    stdio: ["ignore", "pipe", logFd],
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
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockHolderAlive(lockFile)) return false;
      // The starter died holding the lock: break it and try again.
      try {
        unlinkSync(lockFile);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== "ENOENT") throw unlinkError;
      }
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

function releaseLock(lockFile: string): void {
  try {
    unlinkSync(lockFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function lastLogLine(logFile: string): string {
  try {
    const lines = readFileSync(logFile, "utf8").trimEnd().split("\n");
    const last = lines[lines.length - 1];
    return last ? ` (last log line: ${last})` : "";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
