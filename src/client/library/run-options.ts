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
}

export interface SessionResultExtras {
  /** The session's shell exited in this run (`exit`, a fatal error, a signal): the session is over. */
  readonly sessionEnded: boolean;
}

/** What a client fills in for options the caller left out. */
export interface Defaults {
  readonly umask: number;
}

export function sessionSpec(options: CommandOptions, defaults: Defaults): SessionSpec & { env: Record<string, string> } {
  return {
    cwd: options.cwd ?? process.cwd(),
    env: definedEntries(options.env ?? process.env),
    argv0: options.argv0 ?? "rushd",
    args: options.args ?? [],
    umask: options.umask ?? defaults.umask,
    ppid: process.pid,
    flags: options.shellFlags,
    stdinReadAhead: true, // each command's stdin is its own: nothing else reads after it
  };
}

function definedEntries(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in env) {
    const value = env[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Same variables, same values: the worker can reuse the environment it has. */
export function sameEnv(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  if (a === undefined) return false;
  let count = 0;
  for (const key in b) {
    if (a[key] !== b[key]) return false;
    count++;
  }
  return count === Object.keys(a).length;
}
