// Where the daemon's socket lives, and the files beside it (DESIGN §2).
// Shared by the client (to find the daemon) and the daemon (to listen).

import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface DaemonPaths {
  readonly socket: string;
  readonly dir: string;
  readonly pidFile: string;
  readonly logFile: string;
  readonly lockFile: string;
}

/** `--socket` wins, then $RUSHD_SOCKET, then $XDG_RUNTIME_DIR/rushd/rushd.sock, then ~/.rush/daemon.sock. */
export function resolveDaemonPaths(explicitSocket: string | undefined, env: Readonly<Record<string, string | undefined>>): DaemonPaths {
  const socket = explicitSocket
    ?? nonEmpty(env.RUSHD_SOCKET)
    ?? (nonEmpty(env.XDG_RUNTIME_DIR) !== undefined ? join(env.XDG_RUNTIME_DIR as string, "rushd", "rushd.sock") : undefined)
    ?? join(nonEmpty(env.HOME) ?? homedir(), ".rush", "daemon.sock");
  return {
    socket,
    dir: dirname(socket),
    pidFile: `${socket}.pid`,
    logFile: `${socket}.log`,
    lockFile: `${socket}.lock`,
  };
}

/** The socket of one worker of the daemon listening on `daemonSocket`. */
export function workerSocketPath(daemonSocket: string, daemonPid: number, sequence: number): string {
  return `${daemonSocket}.${daemonPid}.w${sequence}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
