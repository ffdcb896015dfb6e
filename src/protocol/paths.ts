// Where the daemon's socket lives, and the files beside it (DESIGN §2).
// Shared by the client (to find the daemon) and the daemon (to listen).


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
    ?? (nonEmpty(env.XDG_RUNTIME_DIR) !== undefined ? `${trimSlash(env.XDG_RUNTIME_DIR as string)}/rushd/rushd.sock` : undefined)
    ?? `${trimSlash(nonEmpty(env.HOME) ?? homeFromPasswd())}/.rush/daemon.sock`;
  return {
    socket,
    dir: parentDir(socket),
    pidFile: `${socket}.pid`,
    logFile: `${socket}.log`,
    lockFile: `${socket}.lock`,
  };
}

/** The socket of one worker of the daemon listening on `daemonSocket`. */
export function workerSocketPath(daemonSocket: string, daemonPid: number, sequence: number): string {
  return `${daemonSocket}.${daemonPid}.w${sequence}`;
}

/** The datagram socket beside a worker's socket on which clients pass their fds (common/fd-passing.ts). */
export function workerFdSocketPath(workerSocket: string): string {
  return `${workerSocket}.fds`;
}

// String helpers instead of node:path and node:os, which the client would pay to load.
/** The directory part of a path (node:path's dirname, for the paths rushd makes). */
export function parentDir(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : ".";
}

function trimSlash(dir: string): string {
  return dir.length > 1 && dir.endsWith("/") ? dir.slice(0, -1) : dir;
}

function homeFromPasswd(): string {
  const os = require("node:os") as typeof import("node:os");
  return os.homedir();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
