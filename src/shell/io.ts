// The boundary between the interpreter and whatever embeds it (the CLI in
// process, a worker serving a client over a socket, tests). Types only.
//
// The interpreter never touches process-wide state itself: the embedding
// passes the session's cwd/env, its stdio, and a `ShellHost` for the few
// effects that must be process-wide (the umask is inherited by children).

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
}
