// The boundary between the interpreter and whatever embeds it (the CLI in
// process, a worker serving a client over a socket, tests). Types only.
//
// The interpreter never touches process-wide state itself: the embedding
// passes the session's cwd/env, its stdio, and a `ShellHost` for the few
// effects that must be process-wide (the umask is inherited by children).

import type { ShellCheckpoint } from "./checkpoint/format.ts";
import type { ParseCache } from "./parser/parse-cache.ts";

/** Where a shell writes bytes that leave the interpreter (the client's stdout, a capture buffer). */
export interface OutputSink {
  /**
   * Write one chunk. Return a promise when the caller must wait before
   * writing more (backpressure); chunks are never dropped or reordered.
   * The sink may keep a reference to the chunk: callers never reuse it.
   */
  write(chunk: Uint8Array): void | Promise<void>;
}

/** Where a shell reads bytes that come from outside (the client's stdin, forwarded on demand). */
export interface InputSource {
  /**
   * Read at most `maxBytes` (≥ 1). Resolves with a non-empty chunk, or null at
   * end of input. Never reads ahead: `read x` asks for one byte at a time so
   * that the rest of the input stays available to whatever runs next.
   */
  read(maxBytes: number): Promise<Uint8Array | null>;
  /**
   * Of the bytes that have already arrived beyond what reads took (an input
   * that may be read ahead, such as the library's stdin for one command),
   * those up to and with the first `delimiter` (all of them if it is not
   * there), taken now; undefined if none have, or a read is still pending
   * (the bytes must keep their order). Lets `read` take a line at once.
   */
  takeLine?(delimiter: number): Uint8Array | undefined;
  /**
   * True when every read would now resolve null: the end of input is known
   * and nothing is held (a library run without stdin). An external command
   * then reads /dev/null instead of a pipe the shell would have to pump.
   */
  isAtEnd?(): boolean;
}

/** One of the three standard streams given to a shell. */
export type StdioEndpoint =
  | { readonly kind: "fd"; readonly fd: number } // a real OS fd the process owns (CLI in-process mode)
  | { readonly kind: "sink"; readonly sink: OutputSink } // output leaving through JS (worker → frames)
  | { readonly kind: "source"; readonly source: InputSource } // input arriving through JS (worker ← client)
  | { readonly kind: "null" }; // /dev/null

/** Process-wide effects, owned by the embedding process (in a worker: `WorkerState`). */
export interface ShellHost {
  getUmask(): number;
  setUmask(mask: number): void;
  /**
   * Called once for every external process the session starts (from any of
   * its subshells, background jobs, pipeline stages or command
   * substitutions), right after it is spawned, so that the embedding can
   * find and end the session's whole process tree. Must not throw.
   */
  processStarted?(pid: number): void;
}

/** A resource limit in the kernel's unit (bytes, seconds, a count: what getrlimit(2) gives), or none. */
export type LimitValue = bigint | "unlimited";

/** One resource's soft and hard limit. */
export interface ResourceLimit {
  readonly soft: LimitValue;
  readonly hard: LimitValue;
}

/**
 * Resource limits by `ulimit`'s letter for them (Linux): t CPU seconds,
 * f file size (bytes), d data (bytes), s stack (bytes), c core file
 * (bytes), m resident set (bytes), l locked memory (bytes), p processes,
 * n open files, v address space (bytes), w file locks, r real-time priority.
 * Other letters are not used.
 */
export type ResourceLimits = Readonly<Partial<Record<string, ResourceLimit>>>;

export interface ShellOptions {
  /** `$0`, also the name used in error messages (`rushd: 1: foo: not found`). */
  readonly argv0: string;
  /** `$1 …` */
  readonly args: readonly string[];
  readonly cwd: string;
  /** The initial environment: every variable in it is exported. */
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: StdioEndpoint;
  readonly stdout: StdioEndpoint;
  readonly stderr: StdioEndpoint;
  readonly host: ShellHost;
  /** Shell option letters set at start, as on the `sh` command line (`["e", "x"]`), and `-o` names (`["pipefail"]`). */
  readonly flags?: readonly string[];
  readonly longOptions?: readonly string[];
  /**
   * The session's open fds when the embedding was handed the caller's own
   * (a worker serving `rushd -c`): shell fd number → an OS fd the embedding
   * owns and closes after the session. Builtins write to them, `read` reads
   * them, external commands inherit them at the same numbers. An fd not in
   * the map is closed, as it was for the caller. When given, the
   * stdin/stdout/stderr endpoints are not used.
   */
  readonly passedFds?: ReadonlyMap<number, number>;
  /**
   * `$PPID`, when the shell's parent process is not its caller: a worker runs
   * sessions for clients, and `kill $PPID` must reach the client, never the
   * daemon (a session could stop the service). Default: process.ppid.
   */
  readonly ppid?: number;
  /**
   * The caller's resource limits (a worker's client's): the session starts
   * with them as its own, as `sh -c` inherits its caller's. `ulimit` reports
   * and changes them, and every external command starts with them (those
   * the process can give: a hard limit above its own is not raised unless
   * it is root). Default: this process's.
   */
  readonly limits?: ResourceLimits;
  /**
   * Signal numbers the caller had ignored (SIG_IGN) when it started the
   * session. As for a non-interactive sh (XCU 2.11, `trap`), they stay
   * ignored for the shell and every command it starts: `kill $$` and
   * `Shell.signal` with one do nothing, and `trap` records an action for
   * one (and lists it, as dash does) but never runs it nor stops ignoring
   * it. SIGKILL and SIGSTOP cannot be ignored and are left out.
   */
  readonly ignoredSignals?: readonly number[];
  /**
   * The caller's nice value: every external command runs at it (through
   * nice(1), when it differs from this process's). A value below this
   * process's can be given only by root; otherwise it is left as it is.
   */
  readonly nice?: number;
  /**
   * Parsed scripts to share with the embedding's other sessions (a worker
   * runs the same texts session after session): parsing is most of the cost
   * of `true`. parse-cache.ts says what is kept, so sharing changes nothing
   * a script can see.
   */
  readonly parseCache?: ParseCache;
  /**
   * Resume a session from `Shell.checkpoint()` (docs/CHECKPOINTS.md): the
   * checkpoint wins over `cwd`, `env`, `args`, `flags` and `longOptions`,
   * which are then not used. Its variables are the whole variable table (a
   * variable unset before the checkpoint stays unset, whatever `env` holds);
   * its umask is set through `host`. A malformed one makes the constructor
   * throw CheckpointError. Everything else (stdio, host, ppid, limits,
   * ignoredSignals, nice) comes from these options, as for a new session.
   */
  readonly checkpoint?: ShellCheckpoint;
}
