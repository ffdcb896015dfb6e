// The checkpoint of a shell session: what `Shell.checkpoint()` returns and
// `ShellOptions.checkpoint` resumes from, so that a session can go on in
// another worker or daemon (docs/CHECKPOINTS.md). Types and the error only;
// capture.ts builds one, validate.ts reads one, restore.ts makes state of it.
//
// Carried: the cwd; every variable, exported or not, with its value (or none:
// `export x` / `readonly x` of an unset name) and its export and read-only
// flags, except PPID (the resumed session's parent is its own caller:
// ShellOptions.ppid); functions, as source text that parses back to the same
// body (printer/); aliases, in definition order; the `set -o` options that
// are on; the umask; the positional parameters; `$?`.
//
// Not carried, and named in `notCarried` when the session had any, so that
// nothing is lost silently: traps ("traps"; the EXIT trap never outlives a
// `run`, which runs it), fds opened or changed with `exec` ("fds": the
// resumed session has its embedding's stdio and nothing else), background
// jobs and `$!` ("jobs": their processes stay where they run), resource
// limits changed with `ulimit` ("limits": the resumed session starts with its
// caller's), and getopts' place inside a group of options like `-abc`
// ("getopts": OPTIND is carried, so getopts goes on at the next argument).
// Never carried, and never reported: `$$`, `$0` and the shell's name in
// messages (the embedding's `argv0`), LINENO unless assigned (it
// is computed), the command-path cache, running commands (`checkpoint()`
// refuses while a script runs). There is no directory stack.
//
// Bytes that are not UTF-8 are lone surrogates U+DC80..U+DCFF in the shell's
// strings (bytes.ts). JSON.stringify writes them as `\udcXX` escapes and
// JSON.parse restores them, so the JSON text survives any transport; the
// object itself does not survive UTF-8 encoding of its strings (TextEncoder
// makes them U+FFFD, and so does msgpack for long strings): send the text.
//
// Imports nothing.

export const CHECKPOINT_VERSION = 1;

/** State the session had that a checkpoint does not carry (see the header). */
export type NotCarried = "traps" | "fds" | "jobs" | "limits" | "getopts";

export const NOT_CARRIED: readonly NotCarried[] = ["traps", "fds", "jobs", "limits", "getopts"];

export interface CheckpointVariable {
  readonly name: string;
  /** Absent for a variable that is declared (`export x`, `readonly x`) but unset. */
  readonly value?: string;
  readonly exported: boolean;
  readonly readonly: boolean;
}

export interface CheckpointFunction {
  readonly name: string;
  /** The whole definition, `name() { … }`: parsed, it defines `name` and nothing else. */
  readonly source: string;
}

export interface CheckpointAlias {
  readonly name: string;
  readonly value: string;
}

/**
 * A plain JSON value: only strings, numbers, booleans, arrays and plain
 * objects. Lists rather than maps, so that a name like `__proto__` is data.
 */
export interface ShellCheckpoint {
  readonly version: typeof CHECKPOINT_VERSION;
  /** Absolute. */
  readonly cwd: string;
  /** 0..0o777 */
  readonly umask: number;
  /** `$?`, 0..255 */
  readonly lastStatus: number;
  /** `$1 …` */
  readonly positional: readonly string[];
  /** Sorted by name. */
  readonly variables: readonly CheckpointVariable[];
  /** In definition order. */
  readonly functions: readonly CheckpointFunction[];
  /** In definition order (it is `alias`'s listing order within dash's buckets). */
  readonly aliases: readonly CheckpointAlias[];
  /** `set -o` names that are on, in `set -o`'s order. */
  readonly options: readonly string[];
  readonly notCarried: readonly NotCarried[];
}

/**
 * A checkpoint that cannot be taken or resumed from. `field` names the part
 * that is wrong as a path into the checkpoint (`variables[3].exported`);
 * undefined when the checkpoint as a whole is (not an object, taken while a
 * script runs).
 */
export class CheckpointError extends Error {
  override readonly name = "CheckpointError";

  constructor(
    readonly field: string | undefined,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(field === undefined ? `checkpoint: ${detail}` : `checkpoint: ${field}: ${detail}`, options);
  }
}
