// What a session is asked to be (SessionSpec) and the SessionInit that asks
// for it: shared by the worker link (the library, and `rushd -c` when it
// needs the event loop) and `rushd -c`'s direct path (direct-run.ts).
// Imports only the protocol's messages, so the direct path stays small.

import { message, PROTOCOL_VERSION, type Message } from "../protocol/messages.ts";

export interface SessionSpec {
  readonly cwd: string;
  /** Omit (with envPacked) to reuse the previous session's environment on this connection (saves encoding it). */
  readonly env?: Readonly<Record<string, string>>;
  /** The environment already packed (protocol packEnvironment), instead of `env`. */
  readonly envPacked?: Uint8Array;
  /**
   * Instead of `env`: the worker reads this process's own environment, the
   * one it was started with, from /proc (`rushd -c`, whose environment is
   * its caller's). Only for a process on the same machine as the worker.
   */
  readonly envFromCaller?: boolean;
  readonly argv0: string;
  readonly args: readonly string[];
  readonly umask: number;
  /** The session's $PPID: the pid of the program that asked for the command. */
  readonly ppid?: number;
  /** The caller's resource limits, nice value and ignored signals (client/caller-attributes.ts). */
  readonly limits?: Readonly<Record<string, string>>;
  readonly nice?: number;
  readonly ignoredSignals?: readonly number[];
  /**
   * This process's fds to hand to the session (SCM_RIGHTS): it then runs on
   * them, and its output and input never cross the socket. Absent: streamed
   * stdio (the library).
   */
  readonly passFds?: readonly number[];
  readonly flags?: readonly string[];
  readonly longOptions?: readonly string[];
  /** A persistent session resumes from this checkpoint (JSON text of a SessionState). */
  readonly state?: string;
  /** The stdin is this session's alone (the library's): the worker may read ahead of the command. */
  readonly stdinReadAhead?: boolean;
}

/** The SessionInit for `spec`. `token`: the lease's, on a connection's first session only; `passed`: fds already sent to the worker. */
export function sessionInitMessage(
  spec: SessionSpec,
  options: { readonly token: string | undefined; readonly passed: { readonly fds: number[]; readonly nonce: string } | undefined; readonly persistent: boolean },
): Message<"SessionInit"> {
  return message("SessionInit", {
    version: PROTOCOL_VERSION,
    token: options.token,
    cwd: spec.cwd,
    // Not copied: the message is encoded before run() or openSession() returns.
    env: spec.env,
    envPacked: spec.envPacked,
    envFromCaller: spec.envFromCaller,
    argv0: spec.argv0,
    args: spec.args,
    umask: spec.umask,
    ppid: spec.ppid,
    limits: spec.limits,
    nice: spec.nice,
    ignoredSignals: spec.ignoredSignals,
    passedFds: options.passed?.fds,
    fdNonce: options.passed?.nonce,
    persistent: options.persistent,
    flags: spec.flags,
    longOptions: spec.longOptions,
    state: spec.state,
    stdinReadAhead: spec.stdinReadAhead === true ? true : undefined,
  });
}
