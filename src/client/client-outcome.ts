// How a `rushd -c` through the daemon ended, and the exit statuses it gives
// of its own: shared by the direct path (direct-run.ts) and the general one
// (run-command.ts, worker-link.ts). Imports only the client's stdio.

import type { SessionSpec } from "./session-init.ts";
import { writeStderr } from "./stdio.ts";

/** Exit status when the connection to the daemon or worker is lost mid-command (like ssh's 255). */
export const EXIT_CONNECTION_LOST = 255;
/** Exit status when the daemon killed the command for running past --request-timeout (as timeout(1)). */
export const EXIT_REQUEST_TIMEOUT = 124;
/** Exit status when our stdout was closed under the command (as if killed by SIGPIPE). */
export const EXIT_OUTPUT_CLOSED = 128 + 13;

export type ClientOutcome =
  /** `signal`: the session's shell itself died of it (`kill $$`); the client then dies of it too, as `sh -c` would. */
  | { readonly kind: "status"; readonly status: number; readonly signal?: string }
  /**
   * No daemon could serve; nothing has run yet. `warn`: say why on stderr
   * (a socket or directory that is not safely the user's); otherwise the
   * fallback is silent (RUSHD_DEBUG=1 shows the reason).
   */
  | { readonly kind: "no-daemon"; readonly reason: string; readonly warn: boolean };

/**
 * Gives the session's spec. Called once, while the daemon answers the lease
 * (its round trip and the client's own work overlap), and not at all when no
 * daemon can serve. `ownFds`: fds this process opened itself by then (its
 * daemon connection), which are not the caller's to pass on.
 */
export type SessionDescriber = (ownFds: readonly number[]) => SessionSpec;

/**
 * Does a worker's Error with `code` say that it refused the session before
 * anything ran? Then the client runs the command in process: the worker
 * cannot read our environment from /proc (ENV_UNREADABLE), or the command is
 * attached to our controlling terminal, which only this process's session
 * has (CONTROLLING_TERMINAL).
 */
export function isRefusedBeforeRunning(code: string): boolean {
  return code === "ENV_UNREADABLE" || code === "CONTROLLING_TERMINAL";
}

/** What a worker's Error message tells the user: its text, marked once as the worker's (a TIMEOUT's speaks for itself). */
export function workerErrorText(code: string, message: string): string {
  return code === "TIMEOUT" || message.startsWith("worker error") ? message : `worker error: ${message}`;
}

/** The session was lost (the worker went away, broke the protocol or was timed out): say why; 124 for a timeout, else 255. */
export async function lostSession(text: string, code: string): Promise<ClientOutcome> {
  await writeStderr(`rushd: ${text}\n`);
  return { kind: "status", status: code === "TIMEOUT" ? EXIT_REQUEST_TIMEOUT : EXIT_CONNECTION_LOST };
}
