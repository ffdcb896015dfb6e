// Everything a subshell copies: variables, functions, positional parameters,
// cwd, fds, traps, options, aliases. `clone()` is the in-process fork.
//
// Imports the AST and sibling data modules only.

import type { Command } from "../ast.ts";
import type { FdTable } from "./fds.ts";
import { JobTable } from "./jobs.ts";
import type { ResourceLimit } from "./limits.ts";
import { type Variable, Variables } from "./vars.ts";

/**
 * `set -o` names and their `set -x` letters, in dash's order (its `set -o`/
 * `set +o` listings, and `$-` built backwards from it), then the extensions.
 */
export const OPTION_LETTERS: ReadonlyMap<string, string> = new Map([
  ["errexit", "e"],
  ["noglob", "f"],
  ["ignoreeof", "I"],
  ["interactive", "i"],
  ["monitor", "m"],
  ["noexec", "n"],
  ["stdin", "s"],
  ["xtrace", "x"],
  ["verbose", "v"],
  ["vi", "V"],
  ["emacs", "E"],
  ["noclobber", "C"],
  ["allexport", "a"],
  ["notify", "b"],
  ["nounset", "u"],
  ["privileged", "p"],
  ["nolog", ""],
  ["debug", ""],
  ["pipefail", ""],
  ["hashall", "h"],
]);

/** The letters of `$-`, last option first as dash builds it (`set -eu` gives `ue`). */
const LETTERS_REVERSED = [...OPTION_LETTERS].filter(([, letter]) => letter !== "").reverse();

export function optionForLetter(letter: string): string | undefined {
  for (const [name, l] of OPTION_LETTERS) if (l === letter && l !== "") return name;
  return undefined;
}

export interface Options {
  allexport: boolean;
  errexit: boolean;
  noglob: boolean;
  noexec: boolean;
  nounset: boolean;
  verbose: boolean;
  xtrace: boolean;
  noclobber: boolean;
  pipefail: boolean;
  /** Options we accept and report but that change nothing here. */
  readonly other: Set<string>;
}

function isKnownOption(name: string): name is Exclude<keyof Options, "other"> {
  return ["allexport", "errexit", "noglob", "noexec", "nounset", "verbose", "xtrace", "noclobber", "pipefail"].includes(name);
}

export function setOption(options: Options, name: string, on: boolean): boolean {
  if (isKnownOption(name)) options[name] = on;
  else if (OPTION_LETTERS.has(name)) {
    if (on) options.other.add(name);
    else options.other.delete(name);
  } else return false;
  return true;
}

export function getOption(options: Options, name: string): boolean {
  return isKnownOption(name) ? options[name] : options.other.has(name);
}

export function defaultOptions(): Options {
  return {
    allexport: false,
    errexit: false,
    noglob: false,
    noexec: false,
    nounset: false,
    verbose: false,
    xtrace: false,
    noclobber: false,
    pipefail: false,
    other: new Set(),
  };
}

/** A copy of the options, for `local -` to put back. */
export function copyOptions(options: Options): Options {
  return { ...options, other: new Set(options.other) };
}

/** Put back options saved by copyOptions (the object itself is shared, so it is changed in place). */
export function restoreOptions(options: Options, saved: Options): void {
  const { other, ...known } = saved;
  Object.assign(options, known);
  options.other.clear();
  for (const name of other) options.other.add(name);
}

/** `$-` */
export function optionLetters(options: Options): string {
  let letters = "";
  for (const [name, letter] of LETTERS_REVERSED) if (getOption(options, name)) letters += letter;
  return letters;
}

export type FunctionBody = Command;

export interface GetoptsPlace {
  optind: number;
  offset: number;
}

/** What the running function's `local` saved, to put back when it returns. */
export interface LocalFrame {
  /** The variables made local, with their entries from before (undefined: unset). */
  readonly vars: Map<string, Variable | undefined>;
  /** The options from before `local -` (dash's extension), if it was run. */
  options: Options | undefined;
  /** Names `local` took with a value but could not make (`local 1x=2`): fatal when the frame ends, as in dash. */
  readonly badNames: string[];
}

export class ShellState {
  constructor(
    public vars: Variables,
    public positional: string[],
    public cwd: string,
    public fds: FdTable,
    public readonly functions: Map<string, FunctionBody>,
    public readonly traps: Map<string, string>,
    public readonly aliases: Map<string, string>,
    public readonly options: Options,
  ) {}

  lastStatus = 0;
  /** The umask before this (sub)shell first changed it, to restore when a subshell ends. */
  umaskBeforeChange: number | undefined = undefined;
  /** Background jobs started by this shell. */
  jobs = new JobTable();
  /** `$!` */
  lastBackgroundPid: number | undefined = undefined;
  /** >0 while running a condition, a non-final `&&`/`||` operand or a `!` pipeline: `set -e` does not apply. */
  errexitSuppressed = 0;
  /** Depth of function calls (for `return` and `local`). */
  functionDepth = 0;
  /** Loop nesting (for `break`/`continue`). */
  loopDepth = 0;
  /**
   * `getopts`' place in the positional parameters, as dash keeps it (with them:
   * `set --`, `shift` and a function call start afresh): the next word's
   * index (1-based) and the offset of the next letter in the previous word
   * (-1: none). OPTIND is only its output; assigning OPTIND resets it.
   */
  getopts: GetoptsPlace = { optind: 1, offset: -1 };
  /**
   * dash's table of commands found in PATH (`type` says "tracked alias",
   * `hash` lists them): name → file, for the PATH value `trackedPath`. A
   * subshell's finds stay its own, as a forked child's do.
   */
  tracked = new Map<string, string>();
  trackedPath: string | undefined = undefined;
  /** The OPTIND entry getopts last wrote: another one means a script assigned OPTIND. */
  getoptsWrote: Variable | undefined = undefined;
  /** Limits set with `ulimit` (by resource letter); undefined until one is: the process's apply. */
  limits: ReadonlyMap<string, ResourceLimit> | undefined = undefined;
  /**
   * `$?` from before the running trap action, which a bare `exit` in it uses
   * (XCU `exit`: "the value of $? before the trap"); copied into subshells, as dash's fork keeps it.
   */
  statusBeforeTrap: number | undefined = undefined;
  /** PS4 is being expanded for `set -x` (dash's inps4): commands it runs are not traced. */
  isExpandingPs4 = false;
  /** What the running functions' `local`s saved, innermost frame last. */
  readonly localFrames: LocalFrame[] = [];

  /** New positional parameters (`set --`, `shift`): getopts starts over on them, as in dash. */
  setPositional(args: string[]): void {
    this.positional = args;
    this.getopts = { optind: 1, offset: -1 };
  }

  /** The copy a subshell runs in. Traps are reset, except ignored ones (XCU 2.12). */
  clone(): ShellState {
    const traps = new Map<string, string>();
    for (const [signal, action] of this.traps) if (action === "" && signal !== "EXIT") traps.set(signal, "");
    const copy = new ShellState(
      this.vars.clone(),
      this.positional.slice(),
      this.cwd,
      new Map(this.fds),
      new Map(this.functions),
      traps,
      new Map(this.aliases),
      copyOptions(this.options),
    );
    copy.lastStatus = this.lastStatus;
    copy.lastBackgroundPid = this.lastBackgroundPid;
    copy.errexitSuppressed = this.errexitSuppressed;
    // A subshell in a loop is still in it, as dash's fork is: `break` there ends the subshell.
    copy.loopDepth = this.loopDepth;
    copy.statusBeforeTrap = this.statusBeforeTrap;
    copy.isExpandingPs4 = this.isExpandingPs4;
    // A subshell (`( … )`, a pipeline stage, `$(…)`) of a function is still in
    // it: `local` works there, as in dash. Its frames are copies, never popped.
    for (const frame of this.localFrames) copy.localFrames.push({ vars: new Map(frame.vars), options: frame.options, badNames: [...frame.badNames] });
    copy.getopts = { ...this.getopts };
    copy.tracked = new Map(this.tracked);
    copy.trackedPath = this.trackedPath;
    copy.getoptsWrote = this.getoptsWrote;
    copy.limits = this.limits; // never mutated: `ulimit` replaces the map
    return copy;
  }
}
