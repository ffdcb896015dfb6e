// The interface expansion runs against, and the errors it raises. Expansion
// never spawns, opens files or touches process state itself: the executor
// implements `ExpandEnv` and answers command substitutions by resuming the
// expansion generator (see `index.ts`).
//
// Imports only the AST and text-mode.ts.

import type { Program } from "../ast.ts";
import type { TextMode } from "../text-mode.ts";

export interface ExpandEnv {
  /** A named shell variable (not positional or special). */
  get(name: string): string | undefined;
  /** Assign a named variable (`${x=w}`, `$((x=1))`); throws `ExpansionError` if it is read-only. */
  set(name: string, value: string): void;
  /** `$?`, `$$`, `$!`, `$-`, `$0`: undefined when unset (`$!` before any `&`). */
  special(name: string): string | undefined;
  /** `$1 …` */
  readonly positional: readonly string[];
  /** `set -u` */
  readonly nounset: boolean;
  /** `set -f` */
  readonly noglob: boolean;
  /** Characters or bytes, as the locale says (text-mode.ts): what `${#x}`, `?` and IFS count. */
  readonly textMode: TextMode;
  /** Home directory of a user for `~user`; undefined if there is no such user. */
  home(user: string): string | undefined;
  /** Entries of a directory (relative paths are relative to the shell's cwd; "" is the cwd), or null if it cannot be read. */
  readDir(dir: string): readonly string[] | null;
}

/**
 * The generator type of every expansion step. It yields the body of a command
 * substitution and is resumed with that command's output; a caller that knows
 * the word has no command substitution can drive it synchronously.
 */
export type Expansion<T> = Generator<Program, T, string>;

/** An expansion failed (`${x?}`, `set -u`, bad arithmetic). A non-interactive shell exits on it (XCU 2.8.1). */
export class ExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpansionError";
  }
}
