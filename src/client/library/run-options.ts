// What a caller can ask of one command, and what it gets back.

import type { SessionSpec } from "../worker-link.ts";
import type { StdinInput } from "./stdin-source.ts";

export type Encoding = "utf8" | "buffer";

export interface CommandOptions {
  /** Default: this process's cwd at the time of the call. */
  readonly cwd?: string;
  /** The command's whole environment. Default: this process's (`process.env`) at the time of the call. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** $1, $2, … */
  readonly args?: readonly string[];
  /** $0 (default "rushd"). */
  readonly argv0?: string;
  /** Default: this process's umask when the client connected. */
  readonly umask?: number;
  /** Input: text, bytes or a stream, read only as the command asks. Default: none (end of input). */
  readonly stdin?: StdinInput;
  /** Kill the command with its whole process tree after this long on its worker (waiting for a free one is not counted); the result says `timedOut`. */
  readonly timeoutMs?: number;
  /** Throw RushdTimeoutError on a timeout instead of returning the result (default false). */
  readonly throwOnTimeout?: boolean;
  /** Aborting kills the command with its whole process tree (or takes it out of the queue for a worker); the run rejects with an AbortError. */
  readonly signal?: AbortSignal;
  /** Keep at most this many bytes of each of stdout and stderr; the result says `truncated`. */
  readonly maxOutputBytes?: number;
  /** Past maxOutputBytes: "truncate" (default) lets the command finish, dropping the rest; "kill" ends it. */
  readonly onOutputLimit?: "truncate" | "kill";
  /** Shell options to start with, as set's letters: ["e", "u"]. */
  readonly shellFlags?: readonly string[];
}

export interface RunOptions extends CommandOptions {
  /** "utf8": stdout and stderr as strings; "buffer" (default): as bytes, exact. */
  readonly encoding?: Encoding;
  /** Called with output as it is produced (it then is not collected); a returned promise holds the command back. */
  readonly onStdout?: (data: Uint8Array) => void | Promise<void>;
  readonly onStderr?: (data: Uint8Array) => void | Promise<void>;
}

export interface RunResult<Output = Uint8Array> {
  /** The exit status as sh reports it (128+N when a command died of signal N). */
  readonly status: number;
  /** The signal that ended the shell itself ("SIGKILL" when a timeout or abort killed it), or null. */
  readonly signal: string | null;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Time the worker spent running the script, in microseconds. */
  readonly durationUs: number;
  /** timeoutMs passed and the command was killed, with its process tree. */
  readonly timedOut: boolean;
  /** Output beyond maxOutputBytes was dropped. */
  readonly truncated: boolean;
  /**
   * Only from a daemon started with --profile-stages: nanoseconds the worker
   * spent in each stage of this session (and the tail of the one before),
   * by stage name. For profiling; absent otherwise.
   */
  readonly stages?: Readonly<Record<string, number>>;
}

export interface SessionResultExtras {
  /** The session's shell exited in this run (`exit`, a fatal error, a signal): the session is over. */
  readonly sessionEnded: boolean;
}

/** What a client fills in for options the caller left out. */
export interface Defaults {
  readonly umask: number;
  /** connect()'s `env`: the environment of a run that gives none (else process.env at the time of the call). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * A session's spec. `env` is the caller's `env` option, else the client's,
 * else process.env at this moment; it is left out (the worker keeps the one it has) when it holds
 * the same variables and values as `previousEnv`, what the last session on
 * the same link was given. `sessionEnv` is what this session gets, to pass as
 * `previousEnv` next time.
 */
export function sessionSpec(options: CommandOptions, defaults: Defaults, previousEnv?: Readonly<Record<string, string>>): { spec: SessionSpec; sessionEnv: Readonly<Record<string, string>> } {
  const source = options.env ?? defaults.env ?? process.env;
  // Compared in place: copying process.env costs more than reading it (each read is a host call).
  const same = previousEnv !== undefined && sameVariables(previousEnv, source);
  const sessionEnv = same ? previousEnv : definedEntries(source);
  const spec: SessionSpec = {
    cwd: options.cwd ?? process.cwd(),
    env: same ? undefined : sessionEnv,
    argv0: options.argv0 ?? "rushd",
    args: options.args ?? [],
    umask: options.umask ?? defaults.umask,
    ppid: process.pid,
    flags: options.shellFlags,
    stdinReadAhead: true, // each command's stdin is its own: nothing else reads after it
  };
  return { spec, sessionEnv };
}

function definedEntries(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in env) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `env`'s defined variables are exactly `known`'s, with the same values. */
function sameVariables(known: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>): boolean {
  // Object.keys, not for-in: enumerating process.env with for-in costs more than the reads.
  const keys = Object.keys(env);
  let count = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = env[key];
    if (value === undefined) continue;
    if (known[key] !== value) return false;
    count++;
  }
  return count === Object.keys(known).length;
}
